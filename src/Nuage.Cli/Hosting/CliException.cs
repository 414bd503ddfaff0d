namespace Nuage.Cli.Hosting;

/// <summary>A failure to report to the user with a given exit code; the message says what to do.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Invalid(string message) => new(ExitCodes.InvalidInput, message);
}
