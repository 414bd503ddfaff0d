namespace Nuage.Core.Scheduling;

/// <summary>
/// A connection network isolation lets through between two instances: TCP from the instance at <paramref name="From"/>
/// to <paramref name="To"/>:<paramref name="Port"/> (an app to the add-on it is linked to). Everything else between
/// instances stays refused.
/// </summary>
public sealed record InstanceFlow(string From, string To, int Port);
