using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary>
/// <c>nuage network peer|prefix|status</c>: this machine's BGP sessions and the prefixes it announces while its router
/// is healthy (platform operator only; docs/bgp.md).
/// </summary>
internal static class NetworkCommands
{
    public static Command Create(CliContext context)
    {
        var network = new Command("network", "Announce this machine's addresses over BGP while its router is healthy (operator)");
        var peer = new Command("peer", "BGP neighbours of this machine");
        peer.Subcommands.Add(AddPeer(context));
        peer.Subcommands.Add(ListPeers(context));
        peer.Subcommands.Add(RemovePeer(context));
        var prefix = new Command("prefix", "Prefixes (or single addresses) this machine announces");
        prefix.Subcommands.Add(AddPrefix(context));
        prefix.Subcommands.Add(ListPrefixes(context));
        prefix.Subcommands.Add(RemovePrefix(context));
        network.Subcommands.Add(peer);
        network.Subcommands.Add(prefix);
        network.Subcommands.Add(Status(context));
        network.Subcommands.Add(Preflight(context));
        return network;
    }

    private static Command AddPeer(CliContext context)
    {
        var address = new Argument<string>("address") { Description = "The neighbour's address, e.g. 192.0.2.254" };
        var remoteAs = new Option<long>("--remote-as") { Description = "The neighbour's AS number", Required = true };
        var localAs = new Option<long>("--local-as") { Description = "This machine's AS number", Required = true };
        var port = new Option<int?>("--port") { Description = "The neighbour's BGP port (default 179)" };
        var localAddress = new Option<string?>("--local-address") { Description = "Address the session starts from (the one the neighbour expects)" };
        var netns = new Option<string?>("--netns") { Description = "Open the session inside this network namespace (ip netns name), where the uplink lives" };
        var routerId = new Option<string?>("--router-id") { Description = "BGP identifier, an IPv4 address (default: --local-address when IPv4)" };
        var holdTime = new Option<int?>("--hold-time") { Description = "Seconds, 0 or 3-65535 (default 90; keepalives every third)" };
        var ipv6 = new Option<bool>("--ipv6") { Description = "Also announce IPv6 prefixes (multiprotocol BGP)" };
        var noIpv4 = new Option<bool>("--no-ipv4") { Description = "Do not announce IPv4 prefixes to this peer" };
        var nextHopV4 = new Option<string?>("--next-hop-v4") { Description = "Next hop of IPv4 routes (default: the session's local address)" };
        var nextHopV6 = new Option<string?>("--next-hop-v6") { Description = "Next hop of IPv6 routes (required over an IPv4 session)" };
        var med = new Option<long?>("--med") { Description = "MULTI_EXIT_DISC sent with every route" };
        var localPref = new Option<long?>("--local-pref") { Description = "LOCAL_PREF, internal peers only (default 100)" };
        var prepend = new Option<int?>("--prepend") { Description = "Extra copies of the local AS on the path, 0-10 (makes this machine less preferred)" };
        var password = new Option<string?>("--password") { Description = "TCP-MD5 password: not supported yet, refused with an explanation (docs/bgp.md)" };
        var json = CommandActions.JsonOption();
        var command = new Command("add", "Add a BGP neighbour, or change the one at that address")
        {
            address, remoteAs, localAs, port, localAddress, netns, routerId, holdTime, ipv6, noIpv4, nextHopV4, nextHopV6, med, localPref, prepend, password, json,
        };
        command.Run(context, async (parse, ct) =>
        {
            List<string> families = [.. parse.GetValue(noIpv4) ? Array.Empty<string>() : ["ipv4"], .. parse.GetValue(ipv6) ? ["ipv6"] : Array.Empty<string>()];
            var request = new BgpPeerDto
            {
                Address = parse.GetValue(address),
                RemoteAs = parse.GetValue(remoteAs),
                LocalAs = parse.GetValue(localAs),
                Port = parse.GetValue(port),
                LocalAddress = parse.GetValue(localAddress),
                Namespace = parse.GetValue(netns),
                RouterId = parse.GetValue(routerId),
                HoldTime = parse.GetValue(holdTime),
                Families = families,
                NextHopV4 = parse.GetValue(nextHopV4),
                NextHopV6 = parse.GetValue(nextHopV6),
                Med = parse.GetValue(med),
                LocalPref = parse.GetValue(localPref),
                Prepend = parse.GetValue(prepend),
                Password = parse.GetValue(password),
            };
            using var client = context.Client();
            var saved = await client.SetBgpPeerAsync(request, ct);
            Report(context, parse.GetValue(json), saved, CliJson.Default.NetworkChangeDtoBgpPeerDto, $"BGP peer {saved.Saved.Address} (AS{saved.Saved.RemoteAs}) saved; 'nuage network status' shows the session.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListPeers(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("list", "List the BGP neighbours") { json };
        command.Aliases.Add("ls");
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            context.Output.Listing(
                await client.ListBgpPeersAsync(ct),
                parse.GetValue(json),
                CliJson.Default.ListBgpPeerDto,
                ["ADDRESS", "PORT", "REMOTE AS", "LOCAL AS", "FAMILIES", "HOLD"],
                p => [p.Address ?? "-", Number(p.Port ?? 179), Number(p.RemoteAs), Number(p.LocalAs), string.Join(",", p.Families ?? ["ipv4"]), Number(p.HoldTime ?? 90)],
                "No BGP peers; add one with 'nuage network peer add ADDRESS --remote-as N --local-as N'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RemovePeer(CliContext context)
    {
        var address = new Argument<string>("address") { Description = "The neighbour's address" };
        var port = new Option<int?>("--port") { Description = "Its port, when two peers share an address" };
        var command = new Command("rm", "Remove a BGP neighbour (its routes get the graceful-shutdown community, then are withdrawn)") { address, port };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            await client.RemoveBgpPeerAsync(parse.GetValue(address)!, parse.GetValue(port), ct);
            context.Output.Success($"Removed BGP peer {parse.GetValue(address)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command AddPrefix(CliContext context)
    {
        var prefix = new Argument<string>("prefix") { Description = "Prefix such as 192.0.2.0/24 or 2001:db8::/48, or one address" };
        var community = new Option<string[]>("--community") { Description = "Standard community ASN:VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };
        var large = new Option<string[]>("--large-community") { Description = "Large community ASN:VALUE:VALUE (repeatable)" };
        var allowInvalid = new Option<bool>("--allow-rpki-invalid") { Description = "Announce even if RPKI says Invalid (recorded in the audit trail)" };
        var whileApp = new Option<string?>("--while-app") { Description = "Announce only while this app also answers its health check through the router" };
        var json = CommandActions.JsonOption();
        var command = new Command("add", "Announce a prefix to every peer while the router is healthy") { prefix, community, large, allowInvalid, whileApp, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var saved = await client.SetBgpPrefixAsync(new BgpPrefixDto
            {
                Prefix = parse.GetValue(prefix),
                Communities = parse.GetValue(community) ?? [],
                LargeCommunities = parse.GetValue(large) ?? [],
                AllowRpkiInvalid = parse.GetValue(allowInvalid) ? true : null,
                WhileApp = parse.GetValue(whileApp),
            }, ct);
            var condition = saved.Saved.WhileApp is { } app ? $"the router and app {app} are healthy" : "the router is healthy";
            Report(context, parse.GetValue(json), saved, CliJson.Default.NetworkChangeDtoBgpPrefixDto, $"Announcing {saved.Saved.Prefix} while {condition}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListPrefixes(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("list", "List the prefixes this machine announces") { json };
        command.Aliases.Add("ls");
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            context.Output.Listing(
                await client.ListBgpPrefixesAsync(ct),
                parse.GetValue(json),
                CliJson.Default.ListBgpPrefixDto,
                ["PREFIX", "COMMUNITIES", "LARGE COMMUNITIES"],
                p => [p.Prefix ?? "-", Join(p.Communities), Join(p.LargeCommunities)],
                "No prefixes; add one with 'nuage network prefix add 192.0.2.0/24'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RemovePrefix(CliContext context)
    {
        var prefix = new Argument<string>("prefix") { Description = "The prefix to withdraw" };
        var command = new Command("rm", "Withdraw a prefix from every peer and stop announcing it") { prefix };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            await client.RemoveBgpPrefixAsync(parse.GetValue(prefix)!, ct);
            context.Output.Success($"Withdrew {parse.GetValue(prefix)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("status", "Show the router's health, each BGP session and what is announced") { json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var status = await client.NetworkStatusAsync(ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(status, CliJson.Default.NetworkStatusDto);
                return ExitCodes.Ok;
            }

            context.Output.Line($"Router: {(status.RouterHealthy ? "healthy" : "NOT healthy")} ({status.RouterHealthDetail ?? "not probed yet"}); prefixes {(status.Announcing ? "announced" : "withdrawn")}.");
            context.Output.Table(
                ["PEER", "AS", "STATE", "UP", "SENT", "RECEIVED", "LAST ERROR"],
                status.Peers.Select(p => (IReadOnlyList<string>)[$"{p.Address}:{p.Port}", Number(p.RemoteAs), p.State, p.UptimeSeconds is { } s ? $"{s} s" : "-", Number(p.PrefixesAnnounced), Number(p.PrefixesReceived), p.LastError ?? "-"]));
            if (status.Events.Count > 0)
            {
                context.Output.Line("Recent events (also in 'nuage audit'):");
                context.Output.Table(
                    ["TIME", "EVENT", "SUBJECT", "DETAIL"],
                    status.Events.TakeLast(10).Select(e => (IReadOnlyList<string>)[e.At.ToString("u", System.Globalization.CultureInfo.InvariantCulture), e.Kind, e.Subject, e.Detail]));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Preflight(CliContext context)
    {
        var cache = new Option<string?>("--rpki-cache") { Description = "host:port of an RTR cache (stayrtr, Routinator); omit to turn RPKI checks off" };
        var rpkiPolicy = new Option<string?>("--rpki-policy") { Description = "refuse (default) or warn for prefixes RPKI does not cover; Invalid is always refused" };
        var irrFile = new Option<string?>("--irr-file") { Description = "RPSL or bgpq4 JSON file of route objects on the server's machine; omit to turn IRR checks off" };
        var irrFormat = new Option<string?>("--irr-format") { Description = "rpsl (default) or bgpq4" };
        var irrPolicy = new Option<string?>("--irr-policy") { Description = "warn (default) or refuse for unregistered prefixes" };
        var command = new Command("preflight", "Set the RPKI and IRR checks made before any prefix is announced") { cache, rpkiPolicy, irrFile, irrFormat, irrPolicy };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var rpki = parse.GetValue(cache) is { } c ? new BgpRpkiDto { Cache = c, Policy = parse.GetValue(rpkiPolicy) } : null;
            var irr = parse.GetValue(irrFile) is { } f ? new BgpIrrDto { File = f, Format = parse.GetValue(irrFormat), Policy = parse.GetValue(irrPolicy) } : null;
            await client.SetPreflightAsync(new BgpPreflightDto(rpki, irr), ct);
            context.Output.Success($"Pre-flight: RPKI {(rpki is null ? "off" : rpki.Cache)}, IRR {(irr is null ? "off" : irr.File)}; 'nuage network status' shows each prefix's checks.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Report<T>(CliContext context, bool json, NetworkChangeDto<T> change, System.Text.Json.Serialization.Metadata.JsonTypeInfo<NetworkChangeDto<T>> type, string message)
    {
        if (json)
        {
            context.Output.Json(change, type);
            return;
        }

        foreach (var warning in change.Warnings)
        {
            context.Output.Warning(warning);
        }

        context.Output.Success(message);
    }

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Join(IReadOnlyList<string>? values) => values is { Count: > 0 } ? string.Join(" ", values) : "-";
}
