namespace Nuage.Build.Planning;

public sealed partial class BuildPlanner
{
    private static void PlanPhp(PlanDraft draft)
    {
        // CC_PHP_VERSION (already resolved among the installed php executables) picks php8.2 / php-fpm8.2.
        var majorMinor = draft.Settings.PhpVersion is { Length: > 0 } version ? MajorMinor(version) : null;
        var php = majorMinor is null ? "php" : $"php{majorMinor}";
        var bundled = draft.HasFile("composer.phar");
        if (draft.HasFile("composer.json"))
        {
            string composer;
            if (bundled)
            {
                draft.RequireTool(php, "run the committed composer.phar");
                composer = $"{php} composer.phar";
            }
            else
            {
                draft.RequireTool("composer", "install PHP dependencies");
                if (majorMinor is not null)
                {
                    draft.RequireTool(php, $"run composer with PHP {majorMinor}");
                }

                composer = majorMinor is null ? "composer" : $"{php} \"$(command -v composer)\"";
            }

            draft.AddStep("composer install", BuildStage.Dependencies, $"{composer} install --no-dev --no-interaction --prefer-dist --optimize-autoloader", skipOnCacheHit: true);
            var keyFile = draft.HasFile("composer.lock") ? "composer.lock" : "composer.json";
            draft.Cache = new CachePlan(CacheKey(draft.App.AppRoot, "php", composer, [keyFile]), "php", [keyFile], ["vendor"], new Dictionary<string, string>());
        }

        if (draft.DefaultStartCommand() is { } command)
        {
            draft.StartCommand(command);
            return;
        }

        if (FindPhpHost(draft, majorMinor) is { } host)
        {
            draft.Start = new StartPlan { Kind = StartKind.Php, WorkingDirectory = draft.App.AppRoot, StaticRoot = WebRoot(draft), Php = host };
        }
    }

    /// <summary>PHP-FPM of the requested version (else the highest installed) and Apache httpd with its modules.</summary>
    private static PhpHost? FindPhpHost(PlanDraft draft, string? majorMinor)
    {
        string? fpm;
        if (majorMinor is not null)
        {
            var name = $"php-fpm{majorMinor}";
            fpm = draft.RequireTool(name, $"serve PHP {majorMinor}") ? draft.FindTool(name) : null;
        }
        else
        {
            var versioned = draft.FindToolsPrefixed("php-fpm")
                .Select(name => (Name: name, Version: Version.TryParse(name["php-fpm".Length..], out var v) ? v : null))
                .Where(t => t.Version is not null || t.Name == "php-fpm")
                .OrderBy(t => t.Version ?? new Version(0, 0))
                .Select(t => t.Name)
                .LastOrDefault();
            fpm = versioned is not null ? draft.FindTool(versioned) : null;
            if (fpm is null)
            {
                draft.RequireTool("php-fpm", "serve PHP apps");
            }
        }

        var httpd = draft.RequireTool("apache2", "serve PHP apps (Apache httpd)") ? draft.FindTool("apache2") : null;
        if (fpm is null || httpd is null)
        {
            return null;
        }

        // Debian layout: /usr/sbin/apache2 → /usr/lib/apache2/modules.
        var prefix = Path.GetDirectoryName(Path.GetDirectoryName(httpd)) ?? "/";
        var modules = Path.Combine(prefix, "lib", "apache2", "modules");
        if (!File.Exists(Path.Combine(modules, "mod_proxy_fcgi.so")))
        {
            draft.Error("runtime", draft.App.Runtime, $"Apache httpd's modules (mod_proxy_fcgi.so) were not found in {modules}; apt-get install apache2");
            return null;
        }

        return new PhpHost(fpm, httpd, modules);
    }

    private static string MajorMinor(string version)
    {
        var parts = version.Split('-', 2)[0].Split('.');
        return parts.Length >= 2 ? string.Join('.', parts[0], parts[1]) : parts[0];
    }
}
