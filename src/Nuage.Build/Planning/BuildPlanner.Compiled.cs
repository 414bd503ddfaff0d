using System.Text.RegularExpressions;

namespace Nuage.Build.Planning;

public sealed partial class BuildPlanner
{
    /// <summary>Where <c>dotnet publish</c> writes, relative to the app root.</summary>
    public const string DotnetPublishFolder = OutputFolder + "/publish";

    /// <summary>The build configuration <c>dotnet publish</c> uses when CC_DOTNET_PROFILE is not set.</summary>
    public const string DefaultDotnetConfiguration = "Release";

    /// <summary>The binary <c>go build</c> writes, relative to the app root.</summary>
    public const string GoBinary = OutputFolder + "/bin/app";

    private static void PlanDotnet(PlanDraft draft)
    {
        var settings = draft.Settings;
        draft.RequireTool("dotnet", "build a .NET app");
        draft.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        draft.Environment["DOTNET_NOLOGO"] = "1";
        draft.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        draft.ToolDirectories["NUGET_PACKAGES"] = "nuget";

        var project = FindProject(draft, settings.DotnetProj);
        if (project is null)
        {
            return;
        }

        var text = File.ReadAllText(draft.AppFile(project));
        var assembly = Tag(text, "AssemblyName") ?? Path.GetFileNameWithoutExtension(project);
        if (settings.DotnetTfm is null && Tag(text, "TargetFrameworks") is { } frameworks)
        {
            draft.Error(nameof(BuildSettings.DotnetTfm), null, $"{project} targets several frameworks ({frameworks}); choose one to publish");
        }

        // CC_DOTNET_PROFILE is the build configuration (Clever Cloud: "Release" unless set), not a publish profile.
        var configuration = settings.DotnetProfile is { Length: > 0 } profile ? profile : DefaultDotnetConfiguration;
        var command = $"dotnet publish {ShellQuote.Quote(project)} -c {ShellQuote.Quote(configuration)} -o {DotnetPublishFolder} --nologo";
        if (settings.DotnetTfm is { Length: > 0 } tfm)
        {
            command += $" -f {ShellQuote.Quote(tfm)}";
        }

        draft.AddStep("dotnet publish", BuildStage.Build, command);
        draft.StartCommand(draft.DefaultStartCommand() ?? $"ASPNETCORE_HTTP_PORTS=$PORT exec dotnet {DotnetPublishFolder}/{ShellQuote.Quote(assembly + ".dll")}");

        var keyFiles = Directory.EnumerateFiles(draft.App.AppRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(draft.App.AppRoot, f))
            .Where(f => !f.StartsWith(OutputFolder + "/", StringComparison.Ordinal) && IsNuGetInput(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        draft.Cache = new CachePlan(CacheKey(draft.App.AppRoot, "dotnet", settings.DotnetTfm ?? string.Empty, keyFiles), "dotnet", keyFiles, [], draft.ToolDirectories);
    }

    private static string? FindProject(PlanDraft draft, string? chosen)
    {
        var projects = Directory.EnumerateFiles(draft.App.AppRoot, "*.csproj").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (chosen is { Length: > 0 })
        {
            var candidate = chosen.EndsWith(".csproj", StringComparison.Ordinal) ? chosen : chosen + ".csproj";
            var full = Path.GetFullPath(Path.Combine(draft.App.AppRoot, candidate));
            if (!full.StartsWith(draft.App.AppRoot + "/", StringComparison.Ordinal) || !File.Exists(full))
            {
                candidate = Path.Combine(chosen, Path.GetFileName(chosen) + ".csproj");
                full = Path.GetFullPath(Path.Combine(draft.App.AppRoot, candidate));
            }

            if (full.StartsWith(draft.App.AppRoot + "/", StringComparison.Ordinal) && File.Exists(full))
            {
                return Path.GetRelativePath(draft.App.AppRoot, full);
            }

            draft.Error(nameof(BuildSettings.DotnetProj), chosen, $"project not found in the app folder; found: {(projects.Count == 0 ? "none" : string.Join(", ", projects))}");
            return null;
        }

        if (projects.Count == 1)
        {
            return projects[0];
        }

        draft.Error(nameof(BuildSettings.DotnetProj), null, projects.Count == 0
            ? "no *.csproj in the app folder; set the project to publish"
            : $"several projects in the app folder ({string.Join(", ", projects)}); choose the one to publish");
        return null;
    }

    private static bool IsNuGetInput(string name) =>
        name.EndsWith(".csproj", StringComparison.Ordinal) || name is "packages.lock.json" or "Directory.Packages.props" or "NuGet.config" or "nuget.config";

    private static string? Tag(string xml, string name)
    {
        var match = Regex.Match(xml, $"<{name}>\\s*([^<]+?)\\s*</{name}>", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups[1].Value : null;
    }

    private static void PlanGo(PlanDraft draft)
    {
        var settings = draft.Settings;
        draft.RequireTool("go", "build a go app");
        draft.Environment["GOFLAGS"] = "-modcacherw";
        draft.Environment["GOTOOLCHAIN"] = "local";
        draft.ToolDirectories["GOMODCACHE"] = "gomod";
        draft.ToolDirectories["GOCACHE"] = "gobuild";
        draft.ToolDirectories["GOPATH"] = "gopath";
        var package = settings.GoPackage is { Length: > 0 } p ? p : ".";
        if (package.StartsWith('/') || package.Split('/').Contains(".."))
        {
            draft.Error(nameof(BuildSettings.GoPackage), package, "must be a package path inside the app folder, e.g. './cmd/server'");
        }

        if (package != "." && !package.StartsWith("./", StringComparison.Ordinal) && !package.Contains('.', StringComparison.Ordinal))
        {
            package = "./" + package;
        }

        draft.AddStep("go build", BuildStage.Build, $"go build -o {GoBinary} {ShellQuote.Quote(package)}");
        draft.StartCommand(draft.DefaultStartCommand() ?? $"exec ./{GoBinary}");
        var keyFile = draft.HasFile("go.sum") ? "go.sum" : "go.mod";
        if (draft.HasFile(keyFile))
        {
            draft.Cache = new CachePlan(CacheKey(draft.App.AppRoot, "go", draft.FindTool("go") ?? string.Empty, [keyFile]), "go", [keyFile], [], draft.ToolDirectories);
        }
    }
}
