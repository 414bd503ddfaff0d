using Nuage.Cli.Rendering;
using Nuage.Core.Api;
using Nuage.Core.Deployments;
using Spectre.Console;

namespace Nuage.Cli.Deploy;

/// <summary>
/// Shows a deployment's events: each stage when it ends, with its duration, and the build output indented.
/// On a terminal a spinner names the running stage; elsewhere (pipes, CI, <c>git push</c>) plain lines only.
/// </summary>
internal sealed class DeployProgress(Output output, bool quiet)
{
    private const int StageWidth = 18; // DeploymentStages.RunSucceededHook

    /// <summary>Runs <paramref name="body"/> with the live display around it (when there is one).</summary>
    public async Task<T> RunAsync<T>(Func<Action<DeploymentEventDto>, Task<T>> body)
    {
        if (quiet)
        {
            return await body(_ => { });
        }

        if (output.Console is not { } console)
        {
            return await body(item => Write(item, output.Line));
        }

        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync("waiting in queue…", async context =>
            await body(item =>
            {
                if (item is { Type: DeploymentEventTypes.StageStarted, Stage: { } stage })
                {
                    context.Status(Markup.Escape(stage + "…"));
                }

                Write(item, line => console.MarkupLine(Colour(item, Markup.Escape(line))));
            }));
    }

    /// <summary>The plain line for an event, or null when the event shows nothing.</summary>
    internal static string? Describe(DeploymentEventDto item) => item switch
    {
        { Type: DeploymentEventTypes.Output, Message: var line } => "    " + line,
        { Type: DeploymentEventTypes.StageFinished, Stage: { } stage, State: StageStates.Skipped } => $"- {stage.PadRight(StageWidth)}  skipped",
        { Type: DeploymentEventTypes.StageFinished, Stage: { } stage, State: StageStates.Succeeded } => $"✓ {stage.PadRight(StageWidth)}  {Durations.Format(item.DurationMs)}",
        { Type: DeploymentEventTypes.StageFinished, Stage: { } stage, State: var state } =>
            $"✗ {stage.PadRight(StageWidth)}  {(state == StageStates.Cancelled ? StageStates.Cancelled : Durations.Format(item.DurationMs))}"
            + (item.Message is { Length: > 0 } reason ? $"  {reason}" : ""),
        _ => null,
    };

    private static void Write(DeploymentEventDto item, Action<string> line)
    {
        if (Describe(item) is { } text)
        {
            line(text);
        }
    }

    private static string Colour(DeploymentEventDto item, string escaped) => item switch
    {
        { Type: DeploymentEventTypes.Output } => $"[grey]{escaped}[/]",
        { State: StageStates.Succeeded } => $"[green]{escaped}[/]",
        { State: StageStates.Skipped } => $"[grey]{escaped}[/]",
        _ => $"[red]{escaped}[/]",
    };
}
