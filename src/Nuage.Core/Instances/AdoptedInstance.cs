namespace Nuage.Core.Instances;

/// <summary>What the caller persisted for one instance: its spec (to restart it) and its last state (to find it).</summary>
public sealed record AdoptedInstance(InstanceSpec Spec, InstanceState State);

/// <summary>The outcome of adopting one instance after a server restart.</summary>
/// <param name="Adopted">True when the process was found alive (pid and start time match) and is supervised again.</param>
/// <param name="State">The current state: Running when adopted; otherwise Exited/Crashed with the exit code when known.</param>
/// <param name="Reason">Why it was not adopted (process gone, pid reused); null when adopted.</param>
public sealed record AdoptionResult(string InstanceId, bool Adopted, InstanceState State, string? Reason);
