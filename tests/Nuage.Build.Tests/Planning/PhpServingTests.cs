using System.Diagnostics;
using Nuage.Build.Detection;
using Nuage.Build.Planning;
using Nuage.Build.Tests.Support;
using Nuage.Core.Errors;

namespace Nuage.Build.Tests.Planning;

/// <summary>The generated PHP-FPM + httpd configuration, and the real daemons (apache2, php-fpm from .ci/packages/php.apt) running it.</summary>
public sealed class PhpServingTests : IDisposable
{
    private static readonly PhpHost FakeHost = new("/usr/sbin/php-fpm8.2", "/usr/sbin/apache2", "/usr/lib/apache2/modules");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void HttpdConfig_HonoursHtaccessAndSendsPhpToTheFpmSocket()
    {
        var config = PhpServing.HttpdConfig("/srv/app/releases/d1/", "/usr/lib/apache2/modules");

        Assert.Contains("DocumentRoot \"/srv/app/releases/d1\"", config, StringComparison.Ordinal);
        Assert.Contains("<Directory \"/srv/app/releases/d1\">\n    Options FollowSymLinks\n    AllowOverride All\n", config, StringComparison.Ordinal);
        Assert.Contains("LoadModule rewrite_module \"/usr/lib/apache2/modules/mod_rewrite.so\"", config, StringComparison.Ordinal);
        Assert.Contains("LoadModule proxy_fcgi_module \"/usr/lib/apache2/modules/mod_proxy_fcgi.so\"", config, StringComparison.Ordinal);
        Assert.Contains("Listen 127.0.0.1:${PORT}", config, StringComparison.Ordinal);
        Assert.Contains("SetHandler \"proxy:unix:${NUAGE_PHP_DIR}/php-fpm.sock|fcgi://localhost\"", config, StringComparison.Ordinal);
        Assert.Contains("DirectoryIndex index.php index.html", config, StringComparison.Ordinal);
        Assert.Contains("ErrorLog /dev/stderr", config, StringComparison.Ordinal);
        Assert.Contains("CustomLog /dev/stdout combined", config, StringComparison.Ordinal);
        Assert.Contains("PidFile ${NUAGE_PHP_DIR}/httpd.pid", config, StringComparison.Ordinal);
        Assert.DoesNotContain("/etc/apache2", config, StringComparison.Ordinal);
    }

    [Fact]
    public void FpmConfig_ForegroundPoolOnASocket_KeepsTheAppEnvironment()
    {
        var config = PhpServing.FpmConfig("/srv/data/.php-sessions");

        Assert.Contains("daemonize = no", config, StringComparison.Ordinal);
        Assert.Contains("listen = ${NUAGE_PHP_DIR}/php-fpm.sock", config, StringComparison.Ordinal);
        Assert.Contains("clear_env = no", config, StringComparison.Ordinal);
        Assert.Contains("pm = ondemand", config, StringComparison.Ordinal);
        Assert.DoesNotContain("user =", config, StringComparison.Ordinal);
    }

    [Fact]
    public void FpmConfig_StoresSessionsInTheGivenDirectory_WithGarbageCollectionOn()
    {
        var config = PhpServing.FpmConfig("/srv/data/.php-sessions/");

        Assert.Contains("php_value[session.save_handler] = files\n", config, StringComparison.Ordinal);
        Assert.Contains("php_value[session.save_path] = \"/srv/data/.php-sessions\"\n", config, StringComparison.Ordinal);

        // Debian's php.ini has gc_probability = 0 (a host cron job cleans /var/lib/php/sessions); none runs here.
        Assert.Contains("php_value[session.gc_probability] = 1\n", config, StringComparison.Ordinal);
        Assert.Contains("php_value[session.gc_divisor] = 100\n", config, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/srv/da\"ta")]
    [InlineData("/srv/${HOME}")]
    [InlineData("/srv/a\nb")]
    public void Command_DataDirectoryWithConfigSyntax_IsRefused(string dataDirectory)
    {
        var plan = new StartPlan { Kind = StartKind.Php, WorkingDirectory = "/srv/app", StaticRoot = "/srv/app", Php = FakeHost };

        Assert.Throws<ArgumentException>(() => PhpServing.Command(plan, dataDirectory));
    }

    [Theory]
    [InlineData("/srv/a\"b")]
    [InlineData("/srv/$HOME")]
    [InlineData("/srv/a\nb")]
    public void HttpdConfig_DocumentRootWithConfigSyntax_IsRefused(string root) =>
        Assert.Throws<ArgumentException>(() => PhpServing.HttpdConfig(root, "/usr/lib/apache2/modules"));

    [Fact]
    public void Command_RunsFpmInTheBackgroundAndHttpdInTheForeground()
    {
        var plan = new StartPlan { Kind = StartKind.Php, WorkingDirectory = "/srv/app", StaticRoot = "/srv/app", Php = FakeHost };

        var command = PhpServing.Command(plan, "/srv/data");

        Assert.Contains("/usr/sbin/php-fpm8.2 -F -y \"$NUAGE_PHP_DIR/php-fpm.conf\" $fpm_root &", command, StringComparison.Ordinal);
        Assert.Contains("/usr/sbin/apache2 -DFOREGROUND -d \"$NUAGE_PHP_DIR\" -f \"$NUAGE_PHP_DIR/httpd.conf\" &", command, StringComparison.Ordinal);
        Assert.Contains("trap 'kill -TERM $fpm $httpd", command, StringComparison.Ordinal);
        Assert.Contains("mkdir -p -m 0700 /srv/data/.php-sessions ||", command, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PhpServing.Command(plan with { Kind = StartKind.Command }, "/srv/data"));
    }

    [Fact]
    public async Task Planner_PhpVersionNotServedHere_FailsNamingTheFpmPackage()
    {
        await File.WriteAllTextAsync(_temp.Combine("index.php"), "<?php echo 1;");
        var settings = new BuildSettings { PhpVersion = "7.4.33" };
        var app = await RuntimeDetector.DetectAsync(_temp.Path, null, settings, CancellationToken.None);

        var error = Assert.Throws<NuageException>(() => BuildHarness.Planner().Plan(app, settings));

        Assert.Equal(BuildPlanner.RuntimeUnavailableCode, error.Code);
        Assert.Contains("apt-get install php7.4-fpm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Htaccess_RewriteRule_IsHonoured()
    {
        var release = BuildHarness.CopyExample("php", _temp.Path);
        var htaccess = Path.Combine(release, ".htaccess");
        await File.WriteAllTextAsync(htaccess, "RewriteEngine On\nRewriteRule ^pretty$ echo.php?x=1 [L]\n" + await File.ReadAllTextAsync(htaccess));
        await File.WriteAllTextAsync(Path.Combine(release, "echo.php"), "<?php echo 'x=' . ($_GET['x'] ?? 'none') . \"\\n\";");
        var (plan, result, _) = await BuildHarness.BuildAsync(release, null, new BuildSettings());
        Assert.True(result.Succeeded);

        var body = await BuildHarness.StartAndGetAsync(plan.Start, "/pretty");

        Assert.Equal("x=1\n", body);
    }

    [Fact]
    public async Task Sigterm_ToTheProcessGroup_StopsHttpdAndFpm_EvenThoughFpmLeavesTheGroup()
    {
        var release = BuildHarness.CopyExample("php", _temp.Path);
        var (plan, _, _) = await BuildHarness.BuildAsync(release, null, new BuildSettings());
        var port = BuildHarness.FreePort();
        var info = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = release };
        info.ArgumentList.Add("bash");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(PhpServing.Command(plan.Start, _temp.Combine("data")));
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            Assert.Equal("ok\n", await GetWhenUpAsync(http, $"http://127.0.0.1:{port}/health", process));
            var group = Descendants(process.Id);
            Assert.Contains(group, p => p.Comm.StartsWith("php-fpm", StringComparison.Ordinal));
            Assert.Contains(group, p => p.Comm == "apache2");

            using (var term = Process.Start("kill", ["-TERM", "--", $"-{process.Id}"]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);

            // The output ends once every writer is gone (the log cats end last, on end of file).
            var output = await stdout.WaitAsync(timeout.Token);
            _ = await stderr.WaitAsync(timeout.Token);
            // A log cat may still be exiting after its last write closed the pipe: wait (bounded) for the group to be gone.
            while (group.Any(p => IsAlive(p.Pid)) && !timeout.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None);
            }

            Assert.All(group, p => Assert.False(IsAlive(p.Pid), $"{p.Comm} ({p.Pid}) survived SIGTERM"));
            Assert.Contains("GET /health", output, StringComparison.Ordinal);
        }
        finally
        {
            using var kill = Process.Start("bash", ["-c", $"kill -KILL -- -{process.Id} 2>/dev/null; true"]);
            await kill.WaitForExitAsync();
        }
    }

    private static async Task<string> GetWhenUpAsync(HttpClient http, string url, Process process)
    {
        for (var attempt = 0; ; attempt++)
        {
            Assert.False(process.HasExited, "the PHP instance exited early");
            try
            {
                return await http.GetStringAsync(new Uri(url));
            }
            catch (HttpRequestException) when (attempt < 600)
            {
                await Task.Delay(100);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Every live descendant of <paramref name="root"/> (PHP-FPM calls setsid, so the group is not enough).</summary>
    private static List<(int Pid, string Comm)> Descendants(int root)
    {
        var all = new List<(int Pid, int Parent, string Comm)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                if (fields[0] != "Z")
                {
                    all.Add((pid, int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), comm));
                }
            }
            catch (IOException)
            {
                // the process ended while being read
            }
        }

        var found = new List<(int, string)>();
        var parents = new HashSet<int> { root };
        for (var added = true; added;)
        {
            added = false;
            foreach (var p in all.Where(p => parents.Contains(p.Parent) && !parents.Contains(p.Pid)))
            {
                parents.Add(p.Pid);
                found.Add((p.Pid, p.Comm));
                added = true;
            }
        }

        return found;
    }
}
