using System.Formats.Tar;
using System.Net.Http.Json;
using System.Text.Json;

namespace Nuage.FunctionalTests.Infrastructure;

/// <summary>Uploads a directory as a deployment (the bytes 'nuage deploy' would send) and waits for its outcome.</summary>
public static class Deployer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Example(string name) => Path.Combine(RepoRoot, "examples", name);

    /// <summary>Copies an example to a scratch directory so a test can change files before deploying.</summary>
    public static string CopyExample(RunningServer server, string name, string? label = null)
    {
        var target = Path.Combine(server.Scratch, label ?? name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Example(name), "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(Example(name), file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    public static async Task<JsonElement> DeployAsync(RunningServer server, string app, string directory, string? token = null)
    {
        using var http = server.Http(token);
        var id = await StartAsync(http, app, directory);
        return await WaitAsync(http, app, id);
    }

    /// <summary>Deploys and asserts success; on failure the message carries the whole deployment (stages, reason).</summary>
    public static async Task<JsonElement> DeployOkAsync(RunningServer server, string app, string directory, string? token = null)
    {
        var deployment = await DeployAsync(server, app, directory, token);
        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Describe(deployment));
        return deployment;
    }

    public static async Task<string> StartAsync(HttpClient http, string app, string directory)
    {
        using var tar = new MemoryStream();
        await WriteTarAsync(directory, tar);
        tar.Position = 0;
        using var response = await http.PostAsync($"v1/apps/{app}/deployments?message=test", new StreamContent(tar));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Waits until the deployment has an outcome and, by default, until its stages have all ended too (a succeeded
    /// deployment retires the old release after it is reported succeeded); <paramref name="settled"/> false returns at the outcome.
    /// </summary>
    public static async Task<JsonElement> WaitAsync(HttpClient http, string app, string id, bool settled = true)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (true)
        {
            var deployment = await http.GetFromJsonAsync<JsonElement>($"v1/apps/{app}/deployments/{id}", Json, timeout.Token);
            if (deployment.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled" && (!settled || Settled(deployment)))
            {
                return deployment;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>
    /// Every stage has ended, and a switch in a succeeded deployment has its retire stage (recorded just after the
    /// deployment is reported succeeded, so a poll can fall between the two).
    /// </summary>
    private static bool Settled(JsonElement deployment)
    {
        var stages = deployment.GetProperty("stages").EnumerateArray().ToList();
        var names = stages.Select(s => s.GetProperty("name").GetString()).ToList();
        var retirePending = deployment.GetProperty("state").GetString() == "succeeded" && names.Contains("switch") && !names.Contains("retire");
        return !retirePending && stages.All(s => s.TryGetProperty("finishedAt", out var end) && end.ValueKind != JsonValueKind.Null);
    }

    /// <summary>GET through the router with the app's host name.</summary>
    public static async Task<(int Status, string Body)> GetAppAsync(RunningServer server, string app, string path = "/")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Server.RouterAddress, path));
        request.Headers.Host = $"{app}.localhost";
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string Describe(JsonElement deployment) => deployment.GetRawText();

    /// <summary>Like <c>git archive</c>: every file, dotfiles (.htaccess…) included, which TarFile.CreateFromDirectory skips.</summary>
    public static async Task WriteTarAsync(string directory, Stream output)
    {
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer)
        {
            var all = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
            foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", all).Order(StringComparer.Ordinal))
            {
                await writer.WriteEntryAsync(path, Path.GetRelativePath(directory, path));
            }
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nuage.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Nuage.slnx) above " + AppContext.BaseDirectory);
    }
}
