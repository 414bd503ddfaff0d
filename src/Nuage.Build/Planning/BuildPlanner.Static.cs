namespace Nuage.Build.Planning;

public sealed partial class BuildPlanner
{
    /// <summary>
    /// Static sites: CC_BUILD_COMMAND, else <c>npm run build</c> (dependencies, devDependencies included, installed
    /// first) when package.json has a build script, else no build; then the platform serves CC_WEBROOT (default: the
    /// app folder). The build runner checks the served folder has an index once the build is done.
    /// </summary>
    private static void PlanStatic(PlanDraft draft)
    {
        var settings = draft.Settings;
        if (settings.BuildCommand is { Length: > 0 } command)
        {
            draft.AddStep("build command", BuildStage.Build, command);
        }
        else if (draft.HasFile("package.json"))
        {
            var manifest = ReadPackageJson(draft);
            if (manifest?.Scripts.ContainsKey("build") == true)
            {
                draft.RequireTool("node", "build a static site with its package.json build script");

                // Site generators and bundlers are usually devDependencies: a static build needs them.
                var (_, runner, _) = PlanNodeDependencies(draft, installDev: true);
                draft.AddStep($"{runner} run build", BuildStage.Build, $"{runner} run build");
            }
        }

        if (settings.RunCommand is { Length: > 0 } || draft.App.Procfile?.WebCommand is not null)
        {
            draft.StartCommand(draft.DefaultStartCommand()!);
            return;
        }

        var root = WebRoot(draft);
        if (root == draft.App.AppRoot && draft.HasBuildSteps)
        {
            // A bundler's source index.html (Vite…) would pass the web root check and be served unbuilt.
            draft.Note("the site is built but CC_WEBROOT is not set: the app folder itself is served; set CC_WEBROOT to the build's output folder (e.g. dist)");
        }

        draft.Start = new StartPlan { Kind = StartKind.Static, WorkingDirectory = draft.App.AppRoot, StaticRoot = root, SpaFallback = settings.SpaFallback };
    }

    /// <summary>The served folder: CC_WEBROOT inside the app folder (it may not exist before the build), else the app folder.</summary>
    private static string WebRoot(PlanDraft draft)
    {
        var webRoot = draft.Settings.WebRoot?.Trim().Trim('/');
        if (string.IsNullOrEmpty(webRoot) || webRoot == ".")
        {
            return draft.App.AppRoot;
        }

        // The registry already refused '..' and backslashes; checked again since BuildSettings is a public type.
        var full = Path.GetFullPath(Path.Combine(draft.App.AppRoot, webRoot));
        if (!full.StartsWith(draft.App.AppRoot + "/", StringComparison.Ordinal))
        {
            draft.Error(nameof(BuildSettings.WebRoot), draft.Settings.WebRoot, "must be a folder inside the app folder, e.g. 'dist' or '/public'");
            return draft.App.AppRoot;
        }

        return Path.TrimEndingDirectorySeparator(full);
    }
}
