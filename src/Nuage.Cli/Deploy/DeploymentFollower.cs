using Nuage.Cli.Client;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;
using Nuage.Core.Deployments;

namespace Nuage.Cli.Deploy;

/// <summary>
/// Follows a deployment's event stream to its end. A broken stream (server restart, network) is resumed with
/// <c>Last-Event-ID</c> = the last event number seen (numbers survive a server restart, and the finished event's is
/// above them all), so no event is lost or shown twice. When a resumed stream ends without the finished event, the
/// deployment itself is read: once it has an outcome, that is the answer. Retries are bounded.
/// </summary>
internal sealed class DeploymentFollower(NuageClient client, TimeProvider time)
{
    public const int MaxReconnects = 270; // about 9 minutes at the 2 s cap

    public async Task<DeploymentDto> FollowAsync(string app, string id, Action<DeploymentEventDto> onEvent, CancellationToken cancellationToken)
    {
        long? after = null;
        var failures = 0;
        while (true)
        {
            Exception? broken = null;
            try
            {
                await foreach (var item in client.StreamDeploymentEventsAsync(app, id, after, cancellationToken))
                {
                    if (after is { } last && item.Seq <= last)
                    {
                        continue;
                    }

                    after = item.Seq;
                    failures = 0;
                    onEvent(item);
                    if (item.Type == DeploymentEventTypes.Finished)
                    {
                        return await client.GetDeploymentAsync(app, id, cancellationToken);
                    }
                }

                // The server ended the stream without the finished event (a server from before stable event numbers
                // replays from 1 after a restart): the deployment's record has the outcome.
                if (await FinishedAsync(app, id, cancellationToken) is { } outcome)
                {
                    return outcome;
                }
            }
            catch (Exception e) when (IsBroken(e) && !cancellationToken.IsCancellationRequested)
            {
                broken = e;
            }

            // The stream ended or broke before the finished event: the server went away. Resume where we were.
            if (++failures > MaxReconnects)
            {
                throw new CliException(
                    ExitCodes.Unreachable,
                    $"Lost the deployment's progress ({broken?.Message ?? "the stream ended early"}); it may still be running: see 'nuage activity --app {app}'.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * failures, 2000)), time, cancellationToken);
        }
    }

    private async Task<DeploymentDto?> FinishedAsync(string app, string id, CancellationToken cancellationToken)
    {
        var deployment = await client.GetDeploymentAsync(app, id, cancellationToken);
        return DeploymentStates.IsFinished(deployment.State) ? deployment : null;
    }

    private static bool IsBroken(Exception e) => e switch
    {
        HttpRequestException or IOException => true,
        CliException { ExitCode: ExitCodes.Unreachable } => true,
        ApiException { Status: >= 500 } => true,
        _ => false,
    };
}
