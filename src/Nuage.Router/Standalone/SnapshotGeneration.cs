namespace Nuage.Router.Standalone;

/// <summary>
/// Orders route snapshots: <see cref="Epoch"/> grows at every server start (persisted under the data root), <see cref="Sequence"/>
/// at every snapshot a server sends. A router applies a snapshot only when its generation is newer than the one it serves, so a
/// server of an older generation (one being replaced) can never roll routes back.
/// </summary>
public readonly record struct SnapshotGeneration(long Epoch, long Sequence) : IComparable<SnapshotGeneration>
{
    /// <summary>What a router that has never received a snapshot serves.</summary>
    public static SnapshotGeneration None => default;

    public int CompareTo(SnapshotGeneration other) =>
        Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Sequence.CompareTo(other.Sequence);

    public static bool operator >(SnapshotGeneration left, SnapshotGeneration right) => left.CompareTo(right) > 0;

    public static bool operator <(SnapshotGeneration left, SnapshotGeneration right) => left.CompareTo(right) < 0;

    public static bool operator >=(SnapshotGeneration left, SnapshotGeneration right) => left.CompareTo(right) >= 0;

    public static bool operator <=(SnapshotGeneration left, SnapshotGeneration right) => left.CompareTo(right) <= 0;

    public override string ToString() => $"{Epoch}.{Sequence}";
}
