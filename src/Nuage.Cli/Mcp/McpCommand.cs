using System.CommandLine;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Mcp;

/// <summary><c>nuage mcp</c>: serve MCP on stdin/stdout for AI clients, authenticated with the CLI's token.</summary>
public static class McpCommand
{
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("mcp", "Serve the Nuage MCP tools over stdio (for AI clients), with your stored token");
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliConfig config;
            try
            {
                config = ConfigFile.Resolve(env);
            }
            catch (CliException e)
            {
                await env.Error.WriteLineAsync("error: " + e.Message);
                return e.ExitCode;
            }

            using var proxy = new McpStdioProxy(new Uri(config.Url.TrimEnd('/') + "/mcp"), config.Token);
            await proxy.RunAsync(env.In, env.Out, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
