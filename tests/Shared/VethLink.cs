using System.Globalization;
using System.Net;

namespace Nuage.Tests.Shared;

/// <summary>
/// Two network namespaces made for one test and joined by a veth pair, as two routers on a point-to-point link:
/// "near" for Nuage's side, "far" for the peer. The addresses (10.231.N.0/30, fd00:231:N::/64) exist only inside
/// these namespaces, so nothing on the host changes; <see cref="DisposeAsync"/> deletes both (and the link with them).
/// </summary>
internal sealed class VethLink : IAsyncDisposable
{
    private static int _next = Environment.ProcessId % 200;

    private VethLink(int n)
    {
        var id = $"{Environment.ProcessId % 10000}-{n}";
        Near = "nuage-near-" + id;
        Far = "nuage-far-" + id;
        NearDevice = "nn" + id.Replace("-", "", StringComparison.Ordinal);
        FarDevice = "nf" + id.Replace("-", "", StringComparison.Ordinal);
        NearV4 = IPAddress.Parse($"10.231.{n}.1");
        FarV4 = IPAddress.Parse($"10.231.{n}.2");
        NearV6 = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"fd00:231:{n:x}::1"));
        FarV6 = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"fd00:231:{n:x}::2"));
    }

    /// <summary>The namespace Nuage's session runs in.</summary>
    public string Near { get; }

    /// <summary>The namespace the peer daemon runs in.</summary>
    public string Far { get; }

    public string NearDevice { get; }

    public string FarDevice { get; }

    public IPAddress NearV4 { get; }

    public IPAddress FarV4 { get; }

    public IPAddress NearV6 { get; }

    public IPAddress FarV6 { get; }

    public static async Task<VethLink> CreateAsync()
    {
        var link = new VethLink(Interlocked.Increment(ref _next) % 250);
        try
        {
            await IpAsync("netns", "add", link.Near);
            await IpAsync("netns", "add", link.Far);
            await IpAsync("link", "add", link.NearDevice, "netns", link.Near, "type", "veth", "peer", "name", link.FarDevice, "netns", link.Far);
            foreach (var (ns, device, v4, v6) in new[] { (link.Near, link.NearDevice, link.NearV4, link.NearV6), (link.Far, link.FarDevice, link.FarV4, link.FarV6) })
            {
                await IpAsync("-n", ns, "addr", "add", $"{v4}/30", "dev", device);
                await IpAsync("-n", ns, "addr", "add", $"{v6}/64", "dev", device, "nodad"); // usable at once, no duplicate detection wait
                await IpAsync("-n", ns, "link", "set", device, "up");
                await IpAsync("-n", ns, "link", "set", "lo", "up");
            }

            return link;
        }
        catch
        {
            await link.DisposeAsync();
            throw;
        }
    }

    /// <summary>The command line that runs <paramref name="file"/> inside namespace <paramref name="ns"/>.</summary>
    public static (string File, string[] Arguments) In(string ns, string file, params string[] arguments) =>
        ("ip", ["netns", "exec", ns, file, .. arguments]);

    /// <summary>The far side drops every packet (an nftables table of its own): the link looks alive but nothing arrives, as when a path breaks silently.</summary>
    public Task SilenceAsync() => NftAsync("""
        table inet silence {
          chain in { type filter hook input priority 0; policy drop; }
          chain out { type filter hook output priority 0; policy drop; }
        }
        """);

    /// <summary>Undoes <see cref="SilenceAsync"/>.</summary>
    public Task RestoreAsync() => NftAsync("delete table inet silence");

    private async Task NftAsync(string rule)
    {
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, rule + "\n");
        try
        {
            var (file, arguments) = In(Far, "nft", "-f", script);
            await CheckedAsync(file, arguments);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static Task IpAsync(params string[] arguments) => CheckedAsync("ip", arguments);

    private static async Task CheckedAsync(string file, string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in new[] { Near, Far })
        {
            var start = new System.Diagnostics.ProcessStartInfo("ip", ["netns", "delete", ns]) { RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(start)!;
            await process.WaitForExitAsync();
        }
    }
}
