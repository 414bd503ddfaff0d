using System.CommandLine;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;
using Nuage.Core.Env;
using Nuage.Core.Errors;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage env</c> and its <c>set</c>, <c>rm</c>, <c>import</c> subcommands.</summary>
internal static class EnvCommands
{
    public static Command Create(CliContext context)
    {
        var app = CommandActions.AppOption();
        var json = CommandActions.JsonOption();
        var env = new Command("env", "List an app's environment variables") { app, json };
        env.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var dto = await client.GetEnvAsync(context.App(parse.GetValue(app)), ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(new Dictionary<string, string>(dto.Variables), CliJson.Default.DictionaryStringString);
            }
            else
            {
                foreach (var (name, value) in dto.Variables)
                {
                    context.Output.Line($"{name}={value}");
                }

                foreach (var linked in dto.Linked ?? [])
                {
                    context.Output.Line($"{linked.Name}={linked.Value}    # from add-on {linked.Addon} (read-only)");
                }
            }

            return ExitCodes.Ok;
        });

        env.Subcommands.Add(Set(context));
        env.Subcommands.Add(Remove(context));
        env.Subcommands.Add(Import(context));
        return env;
    }

    private static Command Set(CliContext context)
    {
        var app = CommandActions.AppOption();
        var name = new Argument<string>("name") { Description = "Variable name" };
        var value = new Argument<string>("value") { Description = "Variable value" };
        var command = new Command("set", "Set one variable (validated by the server)") { app, name, value };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var result = await client.SetEnvAsync(context.App(parse.GetValue(app)), parse.GetValue(name)!, parse.GetValue(value)!, ct);
            Warn(context, result);
            context.Output.Success($"Set {parse.GetValue(name)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var app = CommandActions.AppOption();
        var name = new Argument<string>("name") { Description = "Variable name" };
        var command = new Command("rm", "Remove one variable") { app, name };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            await client.RemoveEnvAsync(context.App(parse.GetValue(app)), parse.GetValue(name)!, ct);
            context.Output.Success($"Removed {parse.GetValue(name)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import(CliContext context)
    {
        var app = CommandActions.AppOption();
        var command = new Command("import", "Replace all variables with dotenv lines read from standard input (all or nothing)") { app };
        command.Run(context, async (parse, ct) =>
        {
            IReadOnlyDictionary<string, string> values;
            try
            {
                values = DotenvParser.Parse(await context.Env.In.ReadToEndAsync(ct));
            }
            catch (NuageException e)
            {
                foreach (var error in e.Errors)
                {
                    context.Env.Error.WriteLine($"  {error.Field}: {error.Message}");
                }

                throw CliException.Invalid($"{e.Errors.Count} bad line(s) in the input; nothing was imported.");
            }

            using var client = context.Client();
            var result = await client.ReplaceEnvAsync(context.App(parse.GetValue(app)), new Dictionary<string, string>(values), ct);
            Warn(context, result);
            context.Output.Success($"Imported {values.Count} variable(s).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Warn(CliContext context, EnvDto result)
    {
        foreach (var warning in result.Warnings)
        {
            context.Output.Warning(warning);
        }
    }
}
