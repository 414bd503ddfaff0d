namespace Nuage.Cli.Hosting;

/// <summary>The CLI's exit codes; scripts rely on them, so they never change meaning.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int NotFound = 3;
    public const int Unauthorized = 4;
    public const int Unreachable = 5;
}
