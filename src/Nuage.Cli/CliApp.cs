using System.CommandLine;
using Nuage.Cli.Commands;
using Nuage.Cli.Hosting;

namespace Nuage.Cli;

/// <summary>The <c>nuage</c> command line: parse, call the API once, render.</summary>
public static class CliApp
{
    public const string Description = "Nuage — a self-hosted platform as a service. 'nuage server' runs the platform; every other verb talks to it.";

    public static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand(Description);
        foreach (var command in AuthCommands.Create(context).Concat(AppCommands.Create(context)).Concat(OperationCommands.Create(context)))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(EnvCommands.Create(context));
        root.Subcommands.Add(TokenCommands.Create(context));
        root.Subcommands.Add(VariablesCommand.Create(context));
        root.Subcommands.Add(DeployCommand.Create(context));
        root.Subcommands.Add(ActivityCommand.Create(context));
        root.Subcommands.Add(LogsCommand.Create(context));
        root.Subcommands.Add(DrainCommands.Create(context));
        root.Subcommands.Add(DomainCommands.Create(context));
        root.Subcommands.Add(FlowCommands.Create(context));
        root.Subcommands.Add(ProtectCommands.Create(context));
        root.Subcommands.Add(NetworkCommands.Create(context));
        root.Subcommands.Add(MetricsCommand.Create(context));
        root.Subcommands.Add(AddonCommands.Create(context));
        root.Subcommands.Add(OrgCommands.Create(context));
        root.Subcommands.Add(AuditCommands.Create(context));
        root.Subcommands.Add(AuthProviderCommands.Create(context));
        root.Subcommands.Add(UsageCommand.Create(context));
        foreach (var command in ApplyCommands.Create(context))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(ImportCommands.Create(context));
        return root;
    }

    /// <summary>Runs one invocation. Parse errors exit with 2 (invalid input), as every other invalid input does.</summary>
    public static async Task<int> RunAsync(RootCommand root, CliEnvironment env, string[] args, CancellationToken cancellationToken)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await env.Error.WriteLineAsync($"error: {error.Message}");
            }

            await env.Error.WriteLineAsync("Run 'nuage --help' (or 'nuage COMMAND --help') for usage.");
            return ExitCodes.InvalidInput;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error }, cancellationToken);
    }

    public static Task<int> RunAsync(CliEnvironment env, string[] args, CancellationToken cancellationToken) =>
        RunAsync(CreateRoot(new CliContext(env)), env, args, cancellationToken);
}
