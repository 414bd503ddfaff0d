using Nuage.Core.Variables;
using System.Text.Json;

namespace Nuage.Build.Planning;

public sealed partial class BuildPlanner
{
    private static readonly string[] NodeLockfiles = ["package-lock.json", "npm-shrinkwrap.json"];
    private static readonly string[] DependencyKinds = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

    private static void PlanNode(PlanDraft draft)
    {
        draft.RequireTool("node", "run a node app");
        var (manifest, runner, bin) = PlanNodeDependencies(draft, draft.Settings.NodeDevDependencies);
        var scripts = manifest?.Scripts ?? [];
        if (scripts.ContainsKey("build"))
        {
            draft.AddStep($"{runner} run build", BuildStage.Build, $"{runner} run build");
        }

        if (draft.DefaultStartCommand() is { } command)
        {
            draft.StartCommand(command, pathPrepend: [bin]);
        }
        else if (scripts.ContainsKey("start"))
        {
            draft.StartCommand($"{runner} start", pathPrepend: [bin]);
        }
        else if (manifest is not null)
        {
            var main = manifest.Main ?? "index.js";
            if (!draft.HasFile(main) && !draft.HasFile(main + ".js"))
            {
                draft.Error("package.json", main, "no start script, run command or Procfile web line, and the main file does not exist; add \"scripts\": {\"start\": …} or \"main\"");
            }
            else
            {
                draft.StartCommand($"node {ShellQuote.Quote(main)}", pathPrepend: [bin]);
            }
        }
    }

    /// <summary>
    /// The dependency install of package.json (CC_NODE_BUILD_TOOL), its cache and build environment; shared by node
    /// apps and static sites built with npm. Returns the manifest (null without package.json), the script runner
    /// (npm or yarn) and the <c>node_modules/.bin</c> put first on PATH.
    /// </summary>
    private static (PackageManifest? Manifest, string Runner, string Bin) PlanNodeDependencies(PlanDraft draft, bool installDev)
    {
        var settings = draft.Settings;
        var manifest = ReadPackageJson(draft);
        var npmLock = NodeLockfiles.FirstOrDefault(draft.HasFile);
        var yarnLock = draft.HasFile("yarn.lock") ? "yarn.lock" : null;
        var runner = settings.NodeBuildTool is NodeBuildTool.Yarn or NodeBuildTool.Yarn2 ? "yarn" : "npm";

        draft.Environment["npm_config_update_notifier"] = "false";
        draft.Environment["npm_config_fund"] = "false";
        draft.Environment["npm_config_audit"] = "false";
        var bin = Path.Combine(draft.App.AppRoot, "node_modules", ".bin");
        draft.PathPrepend.Add(bin);

        var omitDev = !installDev;
        var nothingDeclared = manifest is not null && !manifest.HasDependencies;
        switch (settings.NodeBuildTool)
        {
            case NodeBuildTool.Npm when nothingDeclared:
                draft.Note("package.json declares no dependencies; install skipped");
                break;
            case NodeBuildTool.Npm:
                draft.RequireTool("npm", "install node dependencies");
                draft.AddStep(npmLock is null ? "npm install" : "npm ci", BuildStage.Dependencies,
                    (npmLock is null ? "npm install" : "npm ci") + (omitDev ? " --omit=dev" : string.Empty), skipOnCacheHit: true);
                break;
            case NodeBuildTool.NpmCi:
                draft.RequireTool("npm", "install node dependencies");
                if (npmLock is null)
                {
                    draft.Error(nameof(BuildSettings.NodeBuildTool), "npm-ci", "npm ci needs package-lock.json or npm-shrinkwrap.json; commit one or use the 'npm' build tool");
                }

                draft.AddStep("npm ci", BuildStage.Dependencies, "npm ci" + (omitDev ? " --omit=dev" : string.Empty), skipOnCacheHit: true);
                break;
            case NodeBuildTool.Yarn:
                draft.RequireTool("yarn", "install node dependencies with yarn");
                draft.AddStep("yarn install", BuildStage.Dependencies,
                    "yarn install --non-interactive" + (yarnLock is null ? string.Empty : " --frozen-lockfile") + (omitDev ? " --production=true" : string.Empty),
                    skipOnCacheHit: true);
                break;
            case NodeBuildTool.Yarn2:
                draft.RequireTool("yarn", "install node dependencies with yarn");
                if (omitDev)
                {
                    draft.Note("yarn 2+ installs devDependencies too (it has no production-only install)");
                }

                draft.AddStep("yarn install", BuildStage.Dependencies, "yarn install" + (yarnLock is null ? string.Empty : " --immutable"), skipOnCacheHit: true);
                break;
            case NodeBuildTool.Custom:
                if (string.IsNullOrWhiteSpace(settings.CustomBuildTool))
                {
                    draft.Error(nameof(BuildSettings.CustomBuildTool), null, "the 'custom' node build tool needs a custom build command");
                }
                else
                {
                    draft.AddStep("custom build tool", BuildStage.Dependencies, settings.CustomBuildTool, skipOnCacheHit: true);
                }

                break;
        }

        var keyFiles = npmLock is not null ? [npmLock] : yarnLock is not null ? [yarnLock] : draft.HasFile("package.json") ? new[] { "package.json" } : [];
        if (keyFiles.Length > 0 && !(nothingDeclared && settings.NodeBuildTool == NodeBuildTool.Npm))
        {
            var fingerprint = $"{settings.NodeBuildTool}|dev={installDev}|{settings.CustomBuildTool}|{draft.FindTool("node")}";
            draft.Cache = new CachePlan(CacheKey(draft.App.AppRoot, "node", fingerprint, keyFiles), "node", keyFiles, ["node_modules"], new Dictionary<string, string>());
        }

        return (manifest, runner, bin);
    }

    private static PackageManifest? ReadPackageJson(PlanDraft draft)
    {
        if (!draft.HasFile("package.json"))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(draft.AppFile("package.json")));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                draft.Error("package.json", null, "must be a JSON object");
                return null;
            }

            var scripts = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("scripts", out var s) && s.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in s.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
                {
                    scripts[p.Name] = p.Value.GetString()!;
                }
            }

            var main = root.TryGetProperty("main", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var hasDependencies = DependencyKinds.Any(kind =>
                root.TryGetProperty(kind, out var d) && d.ValueKind == JsonValueKind.Object && d.EnumerateObject().Any());
            return new PackageManifest(scripts, main, hasDependencies);
        }
        catch (JsonException e)
        {
            draft.Error("package.json", null, $"is not valid JSON: {e.Message}");
            return null;
        }
    }

    private sealed record PackageManifest(Dictionary<string, string> Scripts, string? Main, bool HasDependencies);
}
