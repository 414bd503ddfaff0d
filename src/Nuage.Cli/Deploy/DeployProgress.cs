using Nuage.Cli.Rendering;
using Nuage.Core.Api;
using Spectre.Console;

namespace Nuage.Cli.Deploy;

/// <summary>
/// Shows a deployment's events: each stage when it ends, with its duration, and the build output indented.
/// On a terminal a spinner names the running stage; elsewhere (pipes, CI, <c>git push</c>) plain lines only.
/// </summary>
internal sealed class DeployProgress(Output output, bool quiet)
{
    private const int StageWidth = 18; // "run-succeeded-hook"

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
                if (item is { Type: "stage-started", Stage: { } stage })
                {
                    context.Status(Markup.Escape(stage + "…"));
                }

                Write(item, line => console.MarkupLine(Colour(item, Markup.Escape(line))));
            }));
    }

    /// <summary>The plain line for an event, or null when the event shows nothing.</summary>
    internal static string? Describe(DeploymentEventDto item) => item switch
    {
        { Type: "output", Message: var line } => "    " + line,
        { Type: "stage-finished", Stage: { } stage, State: "skipped" } => $"- {stage.PadRight(StageWidth)}  skipped",
        { Type: "stage-finished", Stage: { } stage, State: "succeeded" } => $"✓ {stage.PadRight(StageWidth)}  {Durations.Format(item.DurationMs)}",
        { Type: "stage-finished", Stage: { } stage, State: var state } =>
            $"✗ {stage.PadRight(StageWidth)}  {(state == "cancelled" ? "cancelled" : Durations.Format(item.DurationMs))}"
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
        { Type: "output" } => $"[grey]{escaped}[/]",
        { State: "succeeded" } => $"[green]{escaped}[/]",
        { State: "skipped" } => $"[grey]{escaped}[/]",
        _ => $"[red]{escaped}[/]",
    };
}
