namespace Nuage.Core.Errors;

/// <summary>The CLI's exit codes; scripts rely on them, so they never change meaning (docs/errors.md lists them).</summary>
public static class CliExitCodes
{
    public const int Ok = 0;

    /// <summary>The operation failed (e.g. the deployment failed), or the server failed unexpectedly.</summary>
    public const int Failed = 1;

    /// <summary>The input was refused (a flag, a variable, a file, a state that does not allow it).</summary>
    public const int InvalidInput = 2;

    public const int NotFound = 3;

    /// <summary>No valid token, or the token's role may not do this.</summary>
    public const int Unauthorized = 4;

    /// <summary>The server could not be reached.</summary>
    public const int Unreachable = 5;
}
