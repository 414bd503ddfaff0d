namespace Nuage.Core.Routing;

/// <summary>A started instance the router may send traffic to.</summary>
public sealed record InstanceEndpoint(string InstanceId, int InstanceNumber, string Address);
