using System.CommandLine;
using Nuage.Cli.Client;

namespace Nuage.Cli.Hosting;

/// <summary>Runs a command's body and turns every failure into a message and the documented exit code.</summary>
public static class CommandActions
{
    public static void Run(this Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken);
            }
            catch (ApiException e)
            {
                var errors = e.Problem.Errors ?? [];
                context.Output.Error(errors.Count > 0 ? $"the server refused the request ({e.Problem.Code}):" : e.Message);
                foreach (var error in errors)
                {
                    context.Env.Error.WriteLine($"  {error.Field}: {error.Message}");
                }

                return e.ExitCode;
            }
            catch (CliException e)
            {
                context.Output.Error(e.Message);
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Output.Error("interrupted");
                return ExitCodes.Failed;
            }
        });

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON instead of a table" };

    public static Option<string> AppOption() => new("--app", "-a") { Description = "App name (default: the app linked by .nuage.json)" };
}
