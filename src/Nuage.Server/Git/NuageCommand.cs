namespace Nuage.Server.Git;

/// <summary>
/// Finds how to run the nuage CLI from a git hook: the running apphost when the server is the <c>nuage</c> binary,
/// else the <c>nuage</c> apphost or <c>nuage.dll</c> (through the dotnet host) next to the server's assemblies,
/// which is how tests and <c>dotnet nuage.dll server</c> run.
/// </summary>
public static class NuageCommand
{
    public const string AppHostName = "nuage";
    public const string AssemblyFileName = "nuage.dll";

    public static IReadOnlyList<string> Resolve(string? processPath, string baseDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (processPath is not null && Path.GetFileName(processPath) == AppHostName)
        {
            return [processPath];
        }

        var dll = Path.Combine(baseDirectory, AssemblyFileName);
        if (File.Exists(dll))
        {
            var host = processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet"
                ? processPath
                : environment.GetValueOrDefault("DOTNET_HOST_PATH") ?? "dotnet";
            return [host, dll];
        }

        var appHost = Path.Combine(baseDirectory, AppHostName);
        if (File.Exists(appHost))
        {
            return [appHost];
        }

        throw new InvalidOperationException(
            $"Cannot find the nuage CLI for the git push hook: neither {processPath} nor {dll} is it; set GitRemoteOptions.NuageCommand.");
    }

    public static IReadOnlyList<string> ResolveForThisProcess() =>
        Resolve(
            Environment.ProcessPath,
            AppContext.BaseDirectory,
            Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal));
}
