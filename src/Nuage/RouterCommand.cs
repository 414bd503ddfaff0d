using System.CommandLine;
using Microsoft.Extensions.Logging;
using Nuage.Cli.Hosting;
using Nuage.Core.Errors;
using Nuage.Core.Paths;
using Nuage.Router;
using Nuage.Router.Standalone;
using Nuage.Server.Hosting;

namespace Nuage;

/// <summary>
/// <c>nuage router</c>: the router as its own process, started and re-adopted by <c>nuage server --router process</c> (it
/// outlives the server so apps keep answering while the server restarts). Runs until SIGTERM or SIGINT.
/// </summary>
internal static class RouterCommand
{
    public const string Name = "router";

    public static Command Create(CliEnvironment env)
    {
        var data = new Option<string>("--data") { Description = "Data directory (default: $NUAGE_DATA, else ./.nuage-data)" };
        var http = new Option<string>("--http") { Description = "Router listen address (apps)", DefaultValueFactory = _ => NuageServerOptions.DefaultHttp };
        var https = new Option<string?>("--https") { Description = "Router HTTPS listen address (certificates come with the server's route snapshots)" };
        var domain = new Option<string>("--domain") { Description = "Apps answer at <app>.<domain>", DefaultValueFactory = _ => NuageServerOptions.DefaultDomain };
        var trustedProxies = new Option<string[]>("--trusted-proxy") { Description = "IP or CIDR of a proxy whose X-Forwarded-* headers are trusted (repeatable)", AllowMultipleArgumentsPerToken = false };
        var spoolMiB = new Option<int>("--spool-mib")
        {
            Description = "Bound of the access-log spool kept while the server is away, in MiB (records beyond are dropped and counted)",
            DefaultValueFactory = _ => (int)(RouterProcessHost.DefaultSpoolBytes >> 20),
        };
        var command = new Command(Name, "Run the router alone (started by 'nuage server --router process'; keeps serving apps while the server restarts)")
        {
            data, http, https, domain, trustedProxies, spoolMiB,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = new NuagePaths(parse.GetValue(data) ?? env.Variables.GetValueOrDefault("NUAGE_DATA") ?? NuageServerOptions.DefaultDataDirectory);
            if (parse.GetValue(spoolMiB) is var mib and < 1)
            {
                await env.Error.WriteLineAsync($"error: --spool-mib: {mib} is not a size; give a number of MiB of at least 1.");
                return ExitCodes.InvalidInput;
            }

            var options = new RouterOptions
            {
                HttpEndpoints = [parse.GetValue(http)!],
                HttpsEndpoints = parse.GetValue(https) is { } endpoint ? [endpoint] : [],
                DomainSuffix = parse.GetValue(domain)!,
                TrustedProxies = parse.GetValue(trustedProxies) ?? [],
            };
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddFilter("Yarp", LogLevel.Warning));
            RouterProcessHost host;
            try
            {
                host = await RouterProcessHost.StartAsync(options, paths, loggers, TimeProvider.System, (long)parse.GetValue(spoolMiB) << 20, cancellationToken);
            }
            catch (NuageException e)
            {
                return await StartFailure.ReportAsync(env.Error, e);
            }
            catch (IOException e)
            {
                await env.Error.WriteLineAsync($"error: cannot start the router: {e.Message}");
                return ExitCodes.Failed;
            }

            await using (host)
            {
                await env.Out.WriteLineAsync($"Nuage router running (pid {Environment.ProcessId}). data: {paths.Root}");
                await env.Out.WriteLineAsync($"  apps:    {string.Join(", ", host.Router.HttpAddresses.Concat(host.Router.HttpsAddresses))}");
                await env.Out.WriteLineAsync($"  control: {paths.RouterSocket}");
                await env.Out.FlushAsync(cancellationToken);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    await env.Out.WriteLineAsync("Router stopping (draining requests in flight)…");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
