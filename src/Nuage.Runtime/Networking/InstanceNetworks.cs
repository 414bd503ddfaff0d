using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Nuage.Core.Errors;
using Nuage.Runtime.Sandboxing;
using Nuage.Runtime.Scheduling;

namespace Nuage.Runtime.Networking;

/// <summary>
/// One network namespace per instance, reachable only from the host (the router), with outbound access to the
/// internet: veth pairs with a /31 from <see cref="AddressPool"/>, and a host nftables table of this server's own.
/// Addresses are claimed machine-wide (a file per address under <see cref="LocalSchedulerOptions.NetworkStateDirectory"/>)
/// so two servers on one machine never hand out the same one. Namespaces are named (/run/netns), so they outlive the server.
/// </summary>
internal sealed class InstanceNetworks
{
    private readonly AddressPool _pool;
    private readonly string _claims;
    private readonly string _owner;
    private readonly string _nsenter;
    private readonly string _nft;
    private readonly Lock _cursorLock = new();
    private int _cursor;

    private InstanceNetworks(AddressPool pool, string claims, string owner, string table, string nsenter, string nft)
    {
        _nft = nft;
        _pool = pool;
        _claims = claims;
        _owner = owner;
        Table = table;
        _nsenter = nsenter;
    }

    /// <summary>This server's nftables table (family inet), named after its run directory.</summary>
    public string Table { get; }

    public AddressPool Pool => _pool;

    /// <summary>The table name of the server whose run directory is <paramref name="runDirectory"/>: "nuage_" + 8 hex digits.</summary>
    public static string TableFor(string runDirectory) =>
        "nuage_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runDirectory)))[..8];

    public static string NamespaceOf(string address) => "nuage-" + AddressPool.Hex(address);

    public static string InterfaceOf(string address) => NetworkScripts.InterfacePrefix + AddressPool.Hex(address);

    /// <summary>
    /// Checks ip, nft, nsenter and root, proves a netns and a veth pair can be made, turns IPv4 forwarding on and
    /// installs this server's table. Returns the networks, or the problem (one sentence naming the missing piece).
    /// </summary>
    public static async Task<(InstanceNetworks? Networks, string? Problem)> SetUpAsync(LocalSchedulerOptions options, bool isRoot, CancellationToken cancellationToken)
    {
        var pool = AddressPool.TryParse(options.AddressPool, out _)!;
        if (!isRoot)
        {
            return (null, "network isolation needs the server to run as root (it creates network namespaces and nftables rules).");
        }

        var nft = Find(options.NftPath);
        var missing = new[] { ("ip", "iproute2", Find("ip")), ("nft", "nftables", nft), ("nsenter", "util-linux", Find("nsenter")) }
            .Where(t => t.Item3 is null)
            .Select(t => $"'{t.Item1}' was not found (install it with 'apt-get install {t.Item2}')").ToList();
        if (missing.Count > 0)
        {
            return (null, string.Join("; ", missing) + ".");
        }

        var probe = await RunAsync("/bin/bash", ["-c", NetworkScripts.Probe, "nuage-probe", ProbeName()], null, cancellationToken).ConfigureAwait(false);
        if (probe is not null)
        {
            return (null, $"network namespaces or veth pairs cannot be created here: {probe}");
        }

        var table = TableFor(options.RunDirectory);
        var rules = await RunAsync(nft!, ["-f", "-"], NetworkScripts.HostRuleset(table, pool, NetworkScripts.NameServers()), cancellationToken).ConfigureAwait(false);
        if (rules is not null)
        {
            return (null, $"nftables cannot load the instance firewall (table inet {table}): {rules}");
        }

        Directory.CreateDirectory(options.NetworkStateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var nsenter = SandboxProbe.FindExecutable("nsenter") ?? "/usr/bin/nsenter";
        return (new InstanceNetworks(pool, options.NetworkStateDirectory, table, table, nsenter, nft!), null);
    }

    /// <summary>Unique per probe: servers started concurrently in one process (tests) must not share the namespace.</summary>
    private static string ProbeName() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>Claims a free address of the pool (not in <paramref name="inUse"/>, not claimed by any server on this machine).</summary>
    public string Allocate(IReadOnlySet<string> inUse)
    {
        for (var tried = 0; tried < _pool.Capacity; tried++)
        {
            int slot;
            lock (_cursorLock)
            {
                _cursor = _cursor % _pool.Capacity + 1;
                slot = _cursor;
            }

            var address = _pool.InstanceAddress(slot);
            if (!inUse.Contains(address) && TryCreateClaim(address))
            {
                return address;
            }
        }

        throw new NuageException(ErrorKind.Failed, ErrorCodes.NetworkPoolExhausted,
            $"No free instance address is left in {_pool.Cidr} (server option --network-pool): stop some instances or use a larger range.");
    }

    /// <summary>Makes sure <paramref name="address"/> is claimed by this server (a spec saved before a restart); false when another server holds it.</summary>
    public bool Claim(string address)
    {
        if (TryCreateClaim(address))
        {
            return true;
        }

        try
        {
            return File.ReadAllText(ClaimFile(address)).Trim() == _owner;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Release(string address) => File.Delete(ClaimFile(address));

    public bool Owns(string address) => _pool.Contains(address) && AddressPool.IsInstanceAddress(address);

    /// <summary>Creates (or recreates) the instance's namespace and veth pair; a web instance's port is forwarded to its loopback.</summary>
    public async Task CreateAsync(string address, int? port, CancellationToken cancellationToken)
    {
        var error = await RunAsync("/bin/bash", ["-c", NetworkScripts.Create, "nuage-netns", NamespaceOf(address), InterfaceOf(address),
            AddressPool.HostAddress(address), address, port?.ToString(CultureInfo.InvariantCulture) ?? string.Empty], null, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            await RemoveAsync(address).ConfigureAwait(false);
            throw new NuageException(ErrorKind.Failed, ErrorCodes.InstanceNetworkFailed, $"Could not create the network of instance address {address}: {error}");
        }
    }

    /// <summary>Deletes the namespace and the host end of the veth pair (idempotent).</summary>
    public async Task RemoveAsync(string address) =>
        await RunAsync("/bin/bash", ["-c", NetworkScripts.Remove, "nuage-netns", NamespaceOf(address), InterfaceOf(address)], null, CancellationToken.None).ConfigureAwait(false);

    /// <summary>Replaces the instance-to-instance flows the firewall lets through (see <see cref="NetworkScripts.Flows"/>).</summary>
    public async Task SetFlowsAsync(IEnumerable<(string From, string To, int Port)> flows, CancellationToken cancellationToken)
    {
        var error = await RunAsync(_nft, ["-f", "-"], NetworkScripts.Flows(Table, flows), cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw new NuageException(ErrorKind.Failed, ErrorCodes.InstanceNetworkFailed, $"Could not update the allowed instance flows of table inet {Table}: {error}");
        }
    }

    /// <summary>What runs the sandbox inside the instance's namespace.</summary>
    public IReadOnlyList<string> EnterPrefix(string address) => [_nsenter, "--net=/run/netns/" + NamespaceOf(address), "--"];

    /// <summary>A bare name is looked up in PATH, then /usr/sbin (root's tools, often missing from a service's PATH).</summary>
    private static string? Find(string name) =>
        SandboxProbe.FindExecutable(name) ?? (name.Contains('/', StringComparison.Ordinal) ? null : SandboxProbe.FindExecutable("/usr/sbin/" + name));

    private string ClaimFile(string address) => Path.Combine(_claims, address);

    private bool TryCreateClaim(string address)
    {
        try
        {
            using var stream = new FileStream(ClaimFile(address), FileMode.CreateNew, FileAccess.Write);
            stream.Write(Encoding.UTF8.GetBytes(_owner));
            return true;
        }
        catch (IOException) when (File.Exists(ClaimFile(address)))
        {
            return false;
        }
    }

    /// <summary>Runs a command (optionally feeding <paramref name="stdin"/>); null on success, else the exit code and error output.</summary>
    internal static async Task<string?> RunAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(SandboxProbe.FindExecutable(file) ?? SandboxProbe.FindExecutable("/usr/sbin/" + file) ?? file)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        try
        {
            using var process = Process.Start(start)!;
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await stdout.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"exit code {process.ExitCode}: {stderr.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
