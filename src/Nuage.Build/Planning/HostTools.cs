namespace Nuage.Build.Planning;

/// <summary>Finds the executables a build needs on the host, searching a <c>PATH</c> value.</summary>
public sealed class HostTools
{
    private static readonly Dictionary<string, string> InstallHints = new(StringComparer.Ordinal)
    {
        ["node"] = "apt-get install nodejs npm",
        ["npm"] = "apt-get install npm",
        ["yarn"] = "npm install --global yarn (or 'corepack enable')",
        ["python3"] = "apt-get install python3 python3-venv",
        ["php"] = "apt-get install php-cli",
        ["composer"] = "apt-get install composer (or commit composer.phar)",
        ["php-fpm"] = "apt-get install php-fpm",
        ["apache2"] = "apt-get install apache2",
        ["dotnet"] = "install the .NET SDK: https://learn.microsoft.com/dotnet/core/install/linux-debian",
        ["go"] = "apt-get install golang-go",
    };

    private readonly string[] _directories;

    /// <param name="searchPath">A <c>PATH</c> value: directories separated by ':'.</param>
    public HostTools(string searchPath)
    {
        SearchPath = searchPath;
        _directories = searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The <c>PATH</c> searched; build steps get the same one unless the caller supplies another.</summary>
    public string SearchPath { get; }

    /// <summary>Uses the server's own <c>PATH</c>.</summary>
    public static HostTools FromEnvironment() =>
        new(System.Environment.GetEnvironmentVariable("PATH") ?? Core.Paths.SystemPath.Value);

    /// <summary>Absolute path of <paramref name="tool"/>, or null when it is not installed.</summary>
    public string? Find(string tool)
    {
        foreach (var directory in _directories)
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Names of the executables on the search path whose name starts with <paramref name="prefix"/>, sorted.</summary>
    public IReadOnlyList<string> FindPrefixed(string prefix) =>
        [.. _directories
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, prefix + "*"))
            .Where(IsExecutable)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>How to install <paramref name="tool"/> on Debian.</summary>
    public static string InstallHint(string tool)
    {
        if (InstallHints.TryGetValue(tool, out var hint))
        {
            return hint;
        }

        // Side-by-side PHP builds: php-fpm8.2 comes with php8.2-fpm, php8.2 with php8.2-cli.
        if (tool.StartsWith("php-fpm", StringComparison.Ordinal) && tool.Length > "php-fpm".Length)
        {
            return $"apt-get install php{tool["php-fpm".Length..]}-fpm";
        }

        return tool.StartsWith("php", StringComparison.Ordinal) && tool.Length > 3 && char.IsDigit(tool[3])
            ? $"apt-get install {tool}-cli"
            : $"install '{tool}' and put it on the server's PATH";
    }

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
