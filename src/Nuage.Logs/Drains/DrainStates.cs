namespace Nuage.Logs.Drains;

/// <summary>A drain's delivery state as listed (API, CLI, MCP). Shown to users and scripts: do not rename.</summary>
public static class DrainStates
{
    /// <summary>Delivering, or caught up.</summary>
    public const string Ok = "ok";

    /// <summary>The last attempt failed; retrying with backoff.</summary>
    public const string Failing = "failing";

    /// <summary>Lines are waiting and none was delivered for <see cref="DrainOptions.StallAfter"/>.</summary>
    public const string Stalled = "stalled";

    public const string Disabled = "disabled";
}
