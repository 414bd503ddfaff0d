namespace Nuage.Core.Tests.Variables;

internal static class RepoRoot
{
    /// <summary>The directory holding Nuage.slnx, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nuage.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Nuage.slnx not found above {AppContext.BaseDirectory}.");
    }
}
