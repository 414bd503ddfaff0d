using Nuage.Build.Planning;

namespace Nuage.Build.Steps;

/// <summary>
/// Checks, once the build is done, that the folder a release serves is there: a static site's web root must hold
/// an <c>index.html</c> (or <c>index.htm</c>), a PHP document root must exist. Without it the deployment fails at
/// the build with the fix in the reason, rather than "succeeding" with a site that answers 404 at <c>/</c>.
/// </summary>
internal static class WebRootCheck
{
    /// <summary>The name the check has in the build log and in the deployment's reason.</summary>
    public const string StepName = "check web root";

    internal static readonly string[] IndexFiles = ["index.html", "index.htm"];

    /// <summary>Folders site generators and bundlers commonly write to, suggested when one holds an index.</summary>
    internal static readonly string[] CommonOutputFolders = ["dist", "build", "public", "out", "_site", "www"];

    /// <summary>Why the plan's served folder cannot serve the site, or null when it can (or the plan serves no folder).</summary>
    public static string? Problem(BuildPlan plan)
    {
        if (plan.Start.Kind is not (StartKind.Static or StartKind.Php) || plan.Start.StaticRoot is not { } root)
        {
            return null;
        }

        var name = Describe(plan.AppRoot, root);
        if (ThroughLink(plan.AppRoot, root) is { } link)
        {
            return $"the web root {name} goes through the symbolic link '{link}'; point CC_WEBROOT at a real folder of the app";
        }

        if (!Directory.Exists(root))
        {
            return $"the web root {name} does not exist after the build{Hint(plan.AppRoot)}";
        }

        if (plan.Start.Kind == StartKind.Static && !IndexFiles.Any(index => File.Exists(Path.Combine(root, index))))
        {
            return $"the web root {name} has no index.html or index.htm, so the site would answer 404 at /{Hint(plan.AppRoot)}";
        }

        return null;
    }

    private static string Hint(string appRoot)
    {
        var built = CommonOutputFolders.FirstOrDefault(folder => IndexFiles.Any(index => File.Exists(Path.Combine(appRoot, folder, index))));
        return built is not null
            ? $"; {built}/ holds an index: set CC_WEBROOT={built}"
            : "; set CC_WEBROOT to the folder holding the site's index.html, or build it (CC_BUILD_COMMAND, or a 'build' script in package.json)";
    }

    private static string Describe(string appRoot, string root)
    {
        var relative = Path.GetRelativePath(appRoot, root);
        return relative == "." ? "(the app folder)" : $"'{relative}'";
    }

    /// <summary>The first folder from the app root down to <paramref name="root"/> that is a symbolic link, or null.</summary>
    private static string? ThroughLink(string appRoot, string root)
    {
        var current = appRoot;
        foreach (var part in Path.GetRelativePath(appRoot, root).Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."))
        {
            current = Path.Combine(current, part);
            if (new DirectoryInfo(current).LinkTarget is not null)
            {
                return Path.GetRelativePath(appRoot, current);
            }
        }

        return null;
    }
}
