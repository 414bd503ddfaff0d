using Nuage.Core.Errors;

namespace Nuage.Cli.Hosting;

/// <summary>The CLI's exit codes; scripts rely on them, so they never change meaning. Defined once in <see cref="CliExitCodes"/>.</summary>
public static class ExitCodes
{
    public const int Ok = CliExitCodes.Ok;
    public const int Failed = CliExitCodes.Failed;
    public const int InvalidInput = CliExitCodes.InvalidInput;
    public const int NotFound = CliExitCodes.NotFound;
    public const int Unauthorized = CliExitCodes.Unauthorized;
    public const int Unreachable = CliExitCodes.Unreachable;
}
