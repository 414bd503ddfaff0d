using System.Net;
using Nuage.Build.Planning;
using Nuage.Build.Tests.Support;

namespace Nuage.Build.Tests.Planning;

/// <summary>
/// PHP sessions with the real daemons (apache2, php-fpm from .ci/packages/php.apt) and examples/php-sessions: a form
/// login on one instance is seen by another instance sharing the app's data directory, and by a later release.
/// </summary>
public sealed class PhpSessionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Login_OnOneInstance_IsSeenByAnotherInstanceAndByTheNextRelease()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(data);
        var first = await BuildAsync("release-1");
        var second = await BuildAsync("release-2");
        using var http = Client(out var cookies);

        await using (var instance0 = await BuildHarness.StartAsync(first, data, instanceNumber: 0))
        await using (var instance1 = await BuildHarness.StartAsync(first, data, instanceNumber: 1))
        {
            Assert.Equal("user=- instance=0\n", await instance0.GetWhenUpAsync(http));
            Assert.Equal("user=- instance=1\n", await instance1.GetWhenUpAsync(http));

            using var login = await http.PostAsync(instance0.Url("/login"), Form("alice", "nuage"));
            Assert.True(login.StatusCode == HttpStatusCode.SeeOther, $"{login.StatusCode}: {await login.Content.ReadAsStringAsync()}\n{instance0.Output}");
            Assert.Single(cookies.GetCookies(instance0.Url("/")));

            Assert.Equal("user=alice instance=0\n", await http.GetStringAsync(instance0.Url("/")));
            Assert.Equal("user=alice instance=1\n", await http.GetStringAsync(instance1.Url("/")));
        }

        // A redeploy: new release, same data directory, the browser keeps its cookie.
        await using (var next = await BuildHarness.StartAsync(second, data, instanceNumber: 0))
        {
            Assert.Equal("user=alice instance=0\n", await next.GetWhenUpAsync(http));
        }

        // The session files are the app's alone: folder 0700, files 0600.
        var sessions = PhpServing.SessionDirectory(data);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(sessions));
        var file = Assert.Single(Directory.GetFiles(sessions, "sess_*"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Sessions_GarbageCollection_IsOnAndRemovesExpiredFiles()
    {
        var data = _temp.Combine("data");
        var release = BuildHarness.CopyExample("php-sessions", _temp.Path);
        await File.WriteAllTextAsync(Path.Combine(release, "gc.php"), "<?php ini_set('session.gc_maxlifetime', '60'); session_start(); echo 'removed=' . session_gc();");
        var (plan, result, _) = await BuildHarness.BuildAsync(release, null, new BuildSettings());
        Assert.True(result.Succeeded);
        using var http = Client(out _);

        await using var instance = await BuildHarness.StartAsync(plan.Start, data);

        // Debian's php.ini says gc_probability = 0; the pool turns collection back on.
        Assert.Equal("handler=files gc=1/100\n", await instance.GetWhenUpAsync(http, "/session-settings"));
        var stale = Path.Combine(PhpServing.SessionDirectory(data), "sess_stale0123456789abcdef");
        await File.WriteAllTextAsync(stale, "user|s:3:\"bob\";");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));

        Assert.Equal("removed=1", await http.GetStringAsync(instance.Url("/gc.php")));
        Assert.False(File.Exists(stale));
    }

    private async Task<StartPlan> BuildAsync(string releaseName)
    {
        var release = BuildHarness.CopyExample("php-sessions", _temp.Path, releaseName);
        var (plan, result, _) = await BuildHarness.BuildAsync(release, null, new BuildSettings());
        Assert.True(result.Succeeded);
        return plan.Start;
    }

    private static HttpClient Client(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    private static FormUrlEncodedContent Form(string user, string password) =>
        new([new("user", user), new("password", password)]);
}
