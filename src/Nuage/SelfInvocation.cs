namespace Nuage;

/// <summary>How a shell (in an app's sandbox) runs this very nuage binary, and which directory it needs to see.</summary>
internal static class SelfInvocation
{
    public static string Command
    {
        get
        {
            var process = Environment.ProcessPath ?? "nuage";
            var assembly = typeof(SelfInvocation).Assembly.Location;
            // Run through the dotnet host ("dotnet nuage.dll") when not started from the apphost.
            return Path.GetFileNameWithoutExtension(process) == "dotnet" ? $"{process} {Quote(assembly)}" : Quote(process);
        }
    }

    public static string Directory => Path.GetDirectoryName(typeof(SelfInvocation).Assembly.Location)!;

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
