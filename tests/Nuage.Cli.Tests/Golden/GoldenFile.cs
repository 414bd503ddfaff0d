namespace Nuage.Cli.Tests.Golden;

/// <summary>
/// Compares output with a committed expectation file. Run the tests with NUAGE_UPDATE_GOLDEN=1 to rewrite the
/// files after an intended change, then review the diff.
/// </summary>
internal static class GoldenFile
{
    public static void Verify(string name, string actual)
    {
        var path = Path.Combine(Directory(), name);
        if (Environment.GetEnvironmentVariable("NUAGE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; run with NUAGE_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    private static string Directory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nuage.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "Nuage.Cli.Tests", "Golden");
            }
        }

        throw new InvalidOperationException("Nuage.slnx not found above " + AppContext.BaseDirectory);
    }
}
