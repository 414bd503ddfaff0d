using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Nuage.Cli.Config;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    /// <summary>Uploads a source tar (the content streams it) and queues a deployment.</summary>
    public Task<DeploymentDto> CreateDeploymentAsync(string app, DeploymentUpload upload, HttpContent archive, CancellationToken cancellationToken)
    {
        var query = string.Join('&', new[]
        {
            "commit=" + Uri.EscapeDataString(upload.CommitId),
            "message=" + Uri.EscapeDataString(upload.CommitMessage),
            "kind=" + Uri.EscapeDataString(upload.Kind),
            "cancelPrevious=" + (upload.CancelPrevious ? "true" : "false"),
        });
        return SendAsync(HttpMethod.Post, $"v1/apps/{Uri.EscapeDataString(app)}/deployments?{query}", archive, CliJson.Default.DeploymentDto, cancellationToken);
    }

    public Task<DeploymentDto> GetDeploymentAsync(string app, string id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/apps/{Uri.EscapeDataString(app)}/deployments/{Uri.EscapeDataString(id)}", null, CliJson.Default.DeploymentDto, cancellationToken);

    /// <summary>The newest deployments first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<DeploymentDto>> ListDeploymentsAsync(string app, int limit, CancellationToken cancellationToken)
    {
        var all = new List<DeploymentDto>();
        string? cursor = null;
        do
        {
            var size = Math.Min(limit - all.Count, 200).ToString(CultureInfo.InvariantCulture);
            var path = $"v1/apps/{Uri.EscapeDataString(app)}/deployments?limit={size}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await SendAsync(HttpMethod.Get, path, null, CliJson.Default.PageDeploymentDto, cancellationToken);
            all.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null && all.Count < limit);
        return all.Count > limit ? all.GetRange(0, limit) : all;
    }

    /// <summary>
    /// The deployment's events after <paramref name="after"/>, as the server streams them (Server-Sent Events, resumed
    /// with <c>Last-Event-ID</c>). Ends when the server completes the response (after the finished event) or the
    /// connection breaks; the caller resumes with the last event number.
    /// </summary>
    public async IAsyncEnumerable<DeploymentEventDto> StreamDeploymentEventsAsync(
        string app, string id, long? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"v1/apps/{Uri.EscapeDataString(app)}/deployments/{Uri.EscapeDataString(id)}/events";
        using var response = await OpenStreamAsync(path, after, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        await foreach (var e in ReadEventsAsync(reader, CliJson.Default.DeploymentEventDto, cancellationToken))
        {
            if (e.Data is { } item)
            {
                yield return item;
            }
        }
    }
}

/// <summary>What <c>nuage deploy</c> tells the server about the source it uploads.</summary>
public sealed record DeploymentUpload(string CommitId, string CommitMessage, string Kind, bool CancelPrevious);
