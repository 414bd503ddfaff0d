using System.CommandLine;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Variables;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage variables [NAME] [--runtime R] [--json]</c>: the deployment-variable registry.</summary>
internal static class VariablesCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string?>("name") { Description = "Explain one variable", Arity = ArgumentArity.ZeroOrOne };
        var runtime = new Option<string?>("--runtime") { Description = "Only variables that apply to this runtime" };
        var json = CommandActions.JsonOption();
        var command = new Command("variables", "List the deployment variables Nuage understands, or explain one") { name, runtime, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            if (parse.GetValue(name) is { } one)
            {
                var info = await client.GetVariableAsync(one, ct);
                if (parse.GetValue(json))
                {
                    context.Output.Json(info, CliJson.Default.VariableInfo);
                }
                else
                {
                    Explain(context, info);
                }

                return ExitCodes.Ok;
            }

            var all = await client.ListVariablesAsync(parse.GetValue(runtime), ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(all, CliJson.Default.ListVariableInfo);
                return ExitCodes.Ok;
            }

            context.Output.Table(
                ["NAME", "KIND", "STATUS", "DEFAULT", "RUNTIMES"],
                all.Select(v => (IReadOnlyList<string>)[
                    v.Indexed ? v.Name + "[_N]" : v.Name, v.Kind, v.ReadOnly ? "read-only" : v.Status, v.Default ?? "-",
                    v.Runtimes.Count == 0 ? "all" : string.Join(",", v.Runtimes)]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Explain(CliContext context, VariableInfo info)
    {
        context.Output.Line(info.Indexed ? $"{info.Name} (also {info.Name}_0 … {info.Name}_N)" : info.Name);
        context.Output.Line($"  {info.Description}");
        context.Output.Line($"  kind:     {info.Kind}{(info.ReadOnly ? " (read-only: set by the platform)" : string.Empty)}");
        context.Output.Line($"  status:   {info.Status}");
        context.Output.Line($"  accepted: {info.Accepted}");
        context.Output.Line($"  default:  {info.Default ?? info.WhenUnset ?? "none"}");
        context.Output.Line($"  runtimes: {(info.Runtimes.Count == 0 ? "all" : string.Join(", ", info.Runtimes))}");
        if (info.DeprecatedAliases.Count > 0)
        {
            context.Output.Line($"  aliases:  {string.Join(", ", info.DeprecatedAliases)} (deprecated)");
        }
    }
}
