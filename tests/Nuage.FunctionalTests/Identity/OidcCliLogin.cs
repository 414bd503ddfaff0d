using System.Text.Json;
using System.Text.RegularExpressions;
using Nuage.Cli;
using Nuage.Cli.Hosting;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Identity;

/// <summary>
/// Runs the real <c>nuage login --oidc</c> in-process against a running server, reads the verification URL it prints,
/// and lets <see cref="OidcUser"/> approve (or refuse) the sign-in at the provider while the CLI polls.
/// </summary>
internal sealed partial class OidcCliLogin
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    private OidcCliLogin(RunningServer server)
    {
        Env = new CliEnvironment
        {
            Out = TextWriter.Synchronized(_out),
            Error = TextWriter.Synchronized(_error),
            WorkingDirectory = server.Scratch,
            ConfigDirectory = Path.Combine(server.Scratch, "cli-" + Guid.NewGuid().ToString("N")),
        };
    }

    public CliEnvironment Env { get; }

    public int ExitCode { get; private set; }

    public string Output => _out.ToString();

    public string Error => _error.ToString();

    /// <summary>The stored session secret (config.json), or null when nothing was stored.</summary>
    public string? StoredToken => File.Exists(Path.Combine(Env.ConfigDirectory, "config.json"))
        ? JsonDocument.Parse(File.ReadAllText(Path.Combine(Env.ConfigDirectory, "config.json"))).RootElement.GetProperty("token").GetString()
        : null;

    /// <param name="login">The provider account to sign in as; null to leave the code unapproved.</param>
    public static async Task<OidcCliLogin> RunAsync(RunningServer server, string? login, bool approve = true)
    {
        var cli = new OidcCliLogin(server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var run = CliApp.RunAsync(cli.Env, ["login", "--url", server.Url, "--oidc"], timeout.Token);
        string? complete = null;
        for (var i = 0; i < 600 && complete is null && !run.IsCompleted; i++)
        {
            complete = CompleteUrl().Match(cli.Output) is { Success: true } m ? m.Groups[1].Value : null;
            await Task.Delay(100);
        }

        Assert.True(complete is not null || run.IsCompleted, "nuage login --oidc printed no verification URL:\n" + cli.Output + cli.Error);
        if (complete is not null && login is not null)
        {
            await OidcUser.CompleteDeviceSignInAsync(complete, login, approve);
        }

        cli.ExitCode = await run;
        return cli;
    }

    /// <summary>
    /// Runs <c>nuage login --oidc --browser</c>, reads the authorization URL it prints, and lets <paramref name="user"/>
    /// play the browser with it (sign in at the provider, then deliver the redirect to the CLI's loopback port).
    /// </summary>
    /// <param name="askForBrowser">False: plain <c>nuage login --oidc</c>, which falls back to the browser when the issuer has no device grant.</param>
    public static async Task<OidcCliLogin> RunBrowserAsync(RunningServer server, Func<string, Task> user, bool askForBrowser = true)
    {
        var cli = new OidcCliLogin(server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string[] arguments = askForBrowser ? ["login", "--url", server.Url, "--oidc", "--browser"] : ["login", "--url", server.Url, "--oidc"];
        var run = CliApp.RunAsync(cli.Env, arguments, timeout.Token);
        string? url = null;
        for (var i = 0; i < 600 && url is null && !run.IsCompleted; i++)
        {
            url = AuthorizationUrl().Match(cli.Output) is { Success: true } m ? m.Groups[1].Value : null;
            await Task.Delay(100);
        }

        Assert.True(url is not null || run.IsCompleted, "nuage login --oidc --browser printed no URL:\n" + cli.Output + cli.Error);
        if (url is not null)
        {
            await user(url);
        }

        cli.ExitCode = await run;
        return cli;
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(Env with { Out = output, Error = error }, args, CancellationToken.None);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";

    [GeneratedRegex(@"^  (http://\S+/auth\?\S+)$", RegexOptions.Multiline)]
    private static partial Regex AuthorizationUrl();

    [GeneratedRegex(@"or open (\S+)")]
    private static partial Regex CompleteUrl();
}
