using Nuage.Cli.Client;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Deploy;

/// <summary>
/// Follows a deployment's event stream to its end. A broken stream (server restart, network) is resumed with
/// <c>after=</c> the last seen seq, so no event is lost or shown twice; retries are bounded.
/// </summary>
internal sealed class DeploymentFollower(NuageClient client, TimeProvider time)
{
    public const string FinishedEvent = "finished";
    public const int MaxReconnects = 120;

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
                    if (item.Type == FinishedEvent)
                    {
                        return await client.GetDeploymentAsync(app, id, cancellationToken);
                    }
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

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * failures, 5000)), time, cancellationToken);
        }
    }

    private static bool IsBroken(Exception e) => e switch
    {
        HttpRequestException or IOException => true,
        CliException { ExitCode: ExitCodes.Unreachable } => true,
        ApiException { Status: >= 500 } => true,
        _ => false,
    };
}
