using System.Collections.Concurrent;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Core.Scheduling;
using Nuage.Runtime.Networking;

namespace Nuage.Runtime.Scheduling;

/// <summary>Network isolation: an address and a network namespace per instance (see <see cref="InstanceNetworks"/>).</summary>
public sealed partial class LocalScheduler
{
    private readonly ConcurrentDictionary<string, byte> _reservedAddresses = new(StringComparer.Ordinal);

    /// <summary>True when each instance gets a network namespace of its own (sandboxed, and not --insecure-host-network).</summary>
    public bool IsolatesNetwork => _launcher.Sandboxed && !_options.InsecureHostNetwork;

    /// <summary>Why network isolation cannot work here (one sentence naming the missing piece); null when it works or is off.</summary>
    public string? NetworkProblem => IsolatesNetwork ? _networkProblem : null;

    /// <summary>This server's nftables table, or null without network isolation.</summary>
    public string? NetworkTable => _networks?.Table;

    /// <summary>
    /// A free address of the pool for a new instance (its <see cref="InstanceSpec.Address"/>), claimed machine-wide until
    /// the instance finishes or <see cref="ReleaseAddress"/>; null when instances share the host's network.
    /// </summary>
    public string? AllocateAddress()
    {
        if (!IsolatesNetwork)
        {
            return null;
        }

        var networks = RequireNetworks();
        var taken = _instances.Values.Where(i => !IsFinal(i.State.Status) && i.Spec.Address is not null).Select(i => i.Spec.Address!)
            .Concat(_reservedAddresses.Keys).ToHashSet(StringComparer.Ordinal);
        var address = networks.Allocate(taken);
        _reservedAddresses[address] = 0;
        return address;
    }

    /// <summary>Gives back an address from <see cref="AllocateAddress"/> that will not be used (a finished instance's address is released automatically).</summary>
    public void ReleaseAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_reservedAddresses.TryRemove(address, out _) && !_instances.Values.Any(i => !IsFinal(i.State.Status) && i.Spec.Address == address))
        {
            _networks?.Release(address);
        }
    }

    /// <summary>The host's end of an instance address: where the router's connections come from, as the app sees them.</summary>
    public string RouterAddressFor(string instanceAddress) => AddressPool.HostAddress(instanceAddress);

    /// <summary>Replaces the instance-to-instance flows let through isolation (apps to their linked add-ons); nothing to do without it.</summary>
    public Task AllowFlowsAsync(IReadOnlyCollection<InstanceFlow> flows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flows);
        return _networks is { } networks
            ? networks.SetFlowsAsync(flows.Distinct().Select(f => (f.From, f.To, f.Port)), cancellationToken)
            : Task.CompletedTask;
    }

    /// <summary>Creates the instance's namespace (replacing a stale one) before its first run.</summary>
    private async Task PrepareNetworkAsync(InstanceSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Address is not { } address)
        {
            return;
        }

        var networks = RequireNetworks();
        if (!networks.Owns(address))
        {
            throw NuageException.Invalid("invalid_instance_spec", [new FieldError(nameof(InstanceSpec.Address), address,
                $"must be an instance address of the pool {networks.Pool.Cidr} (see LocalScheduler.AllocateAddress).")]);
        }

        if (!networks.Claim(address))
        {
            throw NuageException.Conflict(ErrorCodes.InstanceAddressTaken, $"Address {address} of instance '{spec.InstanceId}' is claimed by another Nuage server on this machine.");
        }

        _reservedAddresses[address] = 0;
        await networks.CreateAsync(address, spec.Port, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a finished instance's namespace and gives its address back, unless its owner keeps it (<see cref="InstanceSpec.KeepsAddress"/>).</summary>
    private async Task RemoveNetworkAsync(InstanceSpec spec)
    {
        if (spec.Address is { } address && _networks is { } networks && networks.Owns(address))
        {
            await networks.RemoveAsync(address).ConfigureAwait(false);
            if (spec.KeepsAddress)
            {
                _reservedAddresses[address] = 0; // reserved until ReleaseAddress, also after an adoption restored it
                return;
            }

            _reservedAddresses.TryRemove(address, out _);
            networks.Release(address);
        }
    }

    private InstanceNetworks RequireNetworks() =>
        _networks ?? throw new NuageException(
            ErrorKind.Failed,
            ErrorCodes.NetworkIsolationUnavailable,
            $"Instances cannot get a network of their own: {_networkProblem ?? "network isolation is off."} Fix this, or start the server with --insecure-host-network to run apps on the host's network.");
}
