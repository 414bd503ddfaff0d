namespace Nuage.Server.Hosting;

/// <summary>Values of <c>nuage server --router</c>.</summary>
public static class RouterModes
{
    public const string Flag = "--router";

    /// <summary>The router runs inside the server: nothing answers while the server is down.</summary>
    public const string InProcess = "in-process";

    /// <summary>The router is its own <c>nuage router</c> process, started or re-adopted by the server, serving while it is away.</summary>
    public const string Process = "process";

    public static IReadOnlyList<string> All { get; } = [InProcess, Process];
}
