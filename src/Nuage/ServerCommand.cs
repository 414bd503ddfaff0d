using System.CommandLine;
using Nuage.Cli.Hosting;
using Nuage.Core.Errors;
using Nuage.Server.Hosting;

namespace Nuage;

/// <summary><c>nuage server</c>: starts the platform and runs until SIGTERM or SIGINT.</summary>
internal static class ServerCommand
{
    public static Command Create(CliEnvironment env)
    {
        var data = new Option<string>("--data") { Description = "Data directory (default: $NUAGE_DATA, else ./.nuage-data)" };
        var api = new Option<string>("--api") { Description = "API listen address", DefaultValueFactory = _ => NuageServerOptions.DefaultApi };
        var http = new Option<string>("--http") { Description = "Router listen address (apps)", DefaultValueFactory = _ => NuageServerOptions.DefaultHttp };
        var https = new Option<string?>("--https") { Description = "Router HTTPS listen address, e.g. 0.0.0.0:8443 (certificates per domain: 'nuage domain add D --cert F --key F')" };
        var trustedProxies = new Option<string[]>("--trusted-proxy")
        {
            Description = "IP or CIDR of a proxy in front of the router whose X-Forwarded-* headers are trusted (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var domain = new Option<string>("--domain") { Description = "Apps answer at <app>.<domain>", DefaultValueFactory = _ => NuageServerOptions.DefaultDomain };
        var insecure = new Option<bool>("--insecure-no-sandbox") { Description = "Run apps without bubblewrap and cgroups (unsafe; for machines that cannot sandbox)" };
        var hostNetwork = new Option<bool>("--insecure-host-network") { Description = "Run apps on the host's network instead of a network namespace each (unsafe: apps reach each other, the API and local services; for machines without network namespaces or nftables)" };
        var networkPool = new Option<string>("--network-pool") { Description = "Private IPv4 range for instance addresses, one /31 per instance", DefaultValueFactory = _ => NuageServerOptions.DefaultNetworkPool };
        var allowPrivateDrains = new Option<bool>("--allow-private-drains") { Description = "Let log drains send to private and loopback addresses (a collector on this machine or the LAN); link-local and this server's own ports stay refused" };
        var otlp = new Option<string?>("--otlp-endpoint") { Description = "Export traces of platform operations (deployments and their stages) to this OTLP/HTTP collector, e.g. http://127.0.0.1:4318" };
        var submoduleHosts = new Option<string[]>("--submodule-host")
        {
            Description = "HOST or HOST:PORT a pushed commit's submodules may be fetched from (repeatable; this server's own /git/ remotes are always allowed)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("server", "Run the Nuage platform (API, router, scheduler) on this machine") { data, api, http, https, trustedProxies, domain, insecure, hostNetwork, allowPrivateDrains, networkPool, otlp, submoduleHosts };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new NuageServerOptions
            {
                DataDirectory = parse.GetValue(data) ?? env.Variables.GetValueOrDefault("NUAGE_DATA") ?? NuageServerOptions.DefaultDataDirectory,
                Api = parse.GetValue(api)!,
                Http = parse.GetValue(http)!,
                Https = parse.GetValue(https),
                TrustedProxies = parse.GetValue(trustedProxies) ?? [],
                Domain = parse.GetValue(domain)!,
                InsecureNoSandbox = parse.GetValue(insecure),
                InsecureHostNetwork = parse.GetValue(hostNetwork),
                NetworkPool = parse.GetValue(networkPool)!,
                AllowPrivateDrains = parse.GetValue(allowPrivateDrains),
                OtlpEndpoint = parse.GetValue(otlp),
                Git = new Nuage.Server.Git.GitRemoteOptions { SubmoduleHosts = parse.GetValue(submoduleHosts) ?? [] },
                SelfCommand = SelfInvocation.Command,
                SandboxReadOnlyPaths = [SelfInvocation.Directory],
            };
            NuageServer server;
            try
            {
                server = await NuageServer.StartAsync(options, cancellationToken);
            }
            catch (NuageException e)
            {
                foreach (var error in e.Errors)
                {
                    await env.Error.WriteLineAsync($"error: {error.Field}: {error.Message}");
                }

                if (e.Errors.Count == 0)
                {
                    await env.Error.WriteLineAsync($"error: {e.Message}");
                }

                return e.Kind == ErrorKind.Invalid ? ExitCodes.InvalidInput : ExitCodes.Failed;
            }
            catch (IOException e)
            {
                await env.Error.WriteLineAsync($"error: cannot start: {e.Message}");
                return ExitCodes.Failed;
            }

            await using (server)
            {
                await env.Out.WriteLineAsync($"Nuage server running. data: {server.Paths.Root}");
                await env.Out.WriteLineAsync($"  api:    {server.ApiAddress}");
                await env.Out.WriteLineAsync($"  apps:   http://<app>.{options.Domain}:{NuageServerOptions.ParseEndpoint(options.Http).Port}");
                if (options.Https is { } httpsEndpoint)
                {
                    await env.Out.WriteLineAsync($"  https:  port {NuageServerOptions.ParseEndpoint(httpsEndpoint).Port} (custom domains with a certificate)");
                }
                if (server.InitialAdminToken is { } token)
                {
                    await env.Out.WriteLineAsync($"  admin token (shown once; also in {server.Paths.AdminToken}):");
                    await env.Out.WriteLineAsync($"  {token}");
                }

                await env.Out.FlushAsync(cancellationToken);
                await server.WaitForShutdownAsync(cancellationToken);
                await env.Out.WriteLineAsync("Stopping…");
                await server.StopAsync(CancellationToken.None);
                await env.Out.WriteLineAsync("Stopped.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
