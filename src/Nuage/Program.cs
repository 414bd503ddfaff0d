using Nuage;
using Nuage.Cli;
using Nuage.Cli.Hosting;

// One binary: 'nuage server' hosts the platform, every other verb is the CLI.
var env = CliEnvironment.FromProcess();
var root = CliApp.CreateRoot(new CliContext(env));
root.Subcommands.Add(ServerCommand.Create(env));
root.Subcommands.Add(StaticCommand.Create(env));
root.Subcommands.Add(RouterCommand.Create(env));
root.Subcommands.Add(Nuage.Cli.Mcp.McpCommand.Create(env));
return await CliApp.RunAsync(root, env, args, CancellationToken.None);
