namespace Nuage.Core.Addons;

/// <summary>What <c>nuage addon status</c> shows, derived from the add-on's supervised instance. Persisted nowhere.</summary>
public static class AddonStatuses
{
    /// <summary>Its server is being initialised or started.</summary>
    public const string Starting = "starting";

    /// <summary>A server Nuage does not run (<c>--external</c>); <see cref="Api.AddonDto.Answers"/> says whether it answers.</summary>
    public const string External = "external";

    /// <summary>Its server process runs.</summary>
    public const string Running = "running";

    /// <summary>Its server died and is being restarted with back-off.</summary>
    public const string Restarting = "restarting";

    /// <summary>Its server runs but its data is over the plan's disk quota: writes are refused until it is back under (see docs/addons.md).</summary>
    public const string OverQuota = "over_quota";

    /// <summary>Its server could not start or keeps crashing; <c>lastError</c> has its own last lines.</summary>
    public const string Failed = "failed";
}
