using System.CommandLine;
using Nuage.Cli.Hosting;
using Nuage.Core.Errors;
using Nuage.Server.Hosting;

namespace Nuage;

/// <summary><c>nuage server</c>: starts the platform and runs until SIGTERM or SIGINT.</summary>
internal static class ServerCommand
{
    public const string Name = "server";

    public static Command Create(CliEnvironment env)
    {
        var flags = new ServerFlags();
        var command = new Command(Name, "Run the Nuage platform (API, router, scheduler) on this machine");
        foreach (var flag in flags.All)
        {
            command.Options.Add(flag);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = flags.Bind(parse, env);
            NuageServer server;
            try
            {
                server = await NuageServer.StartAsync(options, cancellationToken);
            }
            catch (NuageException e)
            {
                return await StartFailure.ReportAsync(env.Error, e);
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
                await env.Out.WriteLineAsync($"  console: {server.ApiAddress} (sign in with an API token)");
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
