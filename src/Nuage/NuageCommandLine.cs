using System.CommandLine;
using Nuage.Cli;
using Nuage.Cli.Hosting;

namespace Nuage;

/// <summary>
/// The root command for one invocation. The long-running verbs (<c>server</c>, <c>router</c>, <c>serve-static</c>) get
/// a root with only themselves: building the CLI's other verbs would load their assemblies (Spectre.Console, the
/// CLI's commands and clients) into a process that stays resident (docs/benchmarks.md, "Static sites and idle memory").
/// Parsing, errors and help of those verbs are the same either way.
/// </summary>
internal static class NuageCommandLine
{
    public static RootCommand CreateRoot(CliEnvironment env, IReadOnlyList<string> args)
    {
        if (args.Count > 0 && LongRunning(env, args[0]) is { } command)
        {
            return new RootCommand(CliApp.Description) { command };
        }

        var root = CliApp.CreateRoot(new CliContext(env));
        root.Subcommands.Add(ServerCommand.Create(env));
        root.Subcommands.Add(StaticCommand.Create(env));
        root.Subcommands.Add(RouterCommand.Create(env));
        root.Subcommands.Add(Nuage.Cli.Mcp.McpCommand.Create(env));
        return root;
    }

    private static Command? LongRunning(CliEnvironment env, string verb) => verb switch
    {
        ServerCommand.Name => ServerCommand.Create(env),
        RouterCommand.Name => RouterCommand.Create(env),
        StaticCommand.Name => StaticCommand.Create(env),
        _ => null,
    };
}
