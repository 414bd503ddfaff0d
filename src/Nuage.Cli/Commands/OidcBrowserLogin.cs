using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary>
/// <c>nuage login --oidc --browser</c>: the authorization-code flow with a loopback redirect (RFC 8252). We listen on
/// 127.0.0.1 at an ephemeral port, the server starts the sign-in (it keeps the PKCE verifier and nonce, and gives us
/// the URL, the state and a handle), we print the URL for the user to open, and when the issuer redirects the browser
/// to our port we check the state and hand the code to the server, which exchanges it and issues the session. As with
/// the device flow, the CLI never sees an ID token.
/// </summary>
internal static class OidcBrowserLogin
{
    /// <summary>How long we wait for the browser (the server forgets the sign-in after 10 minutes anyway).</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(CliContext context, string url, string? issuer, CancellationToken cancellationToken)
    {
        using var client = new NuageClient(url, "anonymous");
        using var callback = new LoopbackCallback();
        var start = await client.StartOidcCodeLoginAsync(issuer, callback.RedirectUri, cancellationToken);
        context.Output.Line($"To sign in at {start.Issuer}, open this URL in a browser on this machine:");
        context.Output.Line("  " + start.AuthorizationUrl);
        context.Output.Line($"Waiting for the browser to come back to {callback.RedirectUri} (at most {Wait.TotalMinutes:0} min)…");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Wait);
        OidcDevicePollDto done;
        try
        {
            done = await callback.WaitAsync(start.State, async query =>
            {
                var answer = await client.CompleteOidcCodeLoginAsync(new OidcCodeCompleteRequest
                {
                    Handle = start.Handle,
                    State = start.State,
                    Code = query.GetValueOrDefault("code"),
                    Error = query.GetValueOrDefault("error"),
                    ErrorDescription = query.GetValueOrDefault("error_description"),
                }, cancellationToken);
                return (answer, $"Signed in to Nuage as {answer.User} in {answer.Org} ({answer.Role}). You can close this tab.");
            }, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unauthorized, $"No browser came back to {callback.RedirectUri} within {Wait.TotalMinutes:0} minutes; run 'nuage login --oidc --browser' again.");
        }

        ConfigFile.Write(context.Env, new CliConfig(client.Url, done.Token!) { SessionTokenId = done.TokenId });
        context.Output.Success($"Logged in to {client.Url} as {done.User} in {done.Org} ({done.Role}); the session expires at {done.ExpiresAt:u}.");
        return ExitCodes.Ok;
    }
}
