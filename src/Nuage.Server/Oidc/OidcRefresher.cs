using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.State;

namespace Nuage.Server.Oidc;

/// <summary>
/// Refreshes every live OpenID Connect session once per <see cref="OidcOptions.RefreshInterval"/> (checked every
/// minute on the injected clock), so group changes at the issuer reach memberships here within that interval and
/// sessions the issuer has ended stop working; a successful refresh slides the session (<see cref="OidcSessions"/>), a
/// refused one ends it. Failures are logged; one session's failure does not stop the others. Each tick also retries
/// stored providers that could not be discovered (<see cref="OidcProviders.RetryUnavailableAsync"/>).
/// </summary>
internal sealed partial class OidcRefresher(IStateStore store, OidcSessions sessions, OidcProviders providers, OidcOptions options, TimeProvider time, ILogger<OidcRefresher> logger) : IAsyncDisposable
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = RunAsync(_stop.Token);

    /// <summary>Refreshes the sessions that are due now; returns how many were refreshed.</summary>
    public async Task<int> RefreshDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var refreshed = 0;
        foreach (var session in await store.Oidc.ListDueSessionsAsync(now, now - options.RefreshInterval, cancellationToken))
        {
            try
            {
                refreshed += await sessions.RefreshAsync(session.TokenId, cancellationToken) ? 1 : 0;
            }
            catch (NuageException e)
            {
                LogRefreshFailed(logger, session.TokenId, e.Message);
            }
        }

        return refreshed;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await providers.RetryUnavailableAsync(cancellationToken);
            await RefreshDueAsync(cancellationToken);
        }
    }

    [LoggerMessage(EventId = 2806, Level = LogLevel.Warning, Message = "Refreshing OpenID Connect session {TokenId} failed: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string tokenId, string reason);
}
