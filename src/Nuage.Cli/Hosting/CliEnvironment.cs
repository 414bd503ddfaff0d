namespace Nuage.Cli.Hosting;

/// <summary>Everything the CLI touches outside itself, so tests can run it in-process against a real server.</summary>
public sealed record CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public TextReader In { get; init; } = TextReader.Null;

    public required string WorkingDirectory { get; init; }

    /// <summary>Directory of config.json (default ~/.config/nuage, or $XDG_CONFIG_HOME/nuage).</summary>
    public required string ConfigDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Tables and colour only when a person is watching.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Whether a person can answer a prompt (stdin is a terminal); commands that confirm refuse to wait otherwise.</summary>
    public bool IsInteractive { get; init; }

    public static CliEnvironment FromProcess()
    {
        var variables = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        var configHome = variables.GetValueOrDefault("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return new CliEnvironment
        {
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            WorkingDirectory = Directory.GetCurrentDirectory(),
            ConfigDirectory = Path.Combine(configHome, "nuage"),
            Variables = variables,
            IsTerminal = !Console.IsOutputRedirected && !variables.ContainsKey("NO_COLOR"),
            IsInteractive = !Console.IsInputRedirected,
        };
    }
}
