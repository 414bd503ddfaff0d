namespace Nuage.Runtime.Sandboxing;

/// <summary>
/// The unprivileged uids apps run as when the server runs as root. The caller persists one index per app
/// (e.g. a sequence in the state store) and derives the uid from it, so an app keeps its uid across restarts.
/// </summary>
public static class AppUserIds
{
    /// <summary>The first uid handed to apps; well above the range Debian gives to people (1000–59999 is shared, so stay clear of 1000–19999).</summary>
    public const int First = 20_000;

    /// <summary>How many apps the range holds (up to 59999, below Debian's reserved 60000+).</summary>
    public const int Count = 40_000;

    /// <summary>The uid (also used as gid) for the app with the given persisted index (0-based).</summary>
    public static int ForIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return First + index;
    }

    public static bool IsAppUid(int uid) => uid is >= First and < First + Count;
}
