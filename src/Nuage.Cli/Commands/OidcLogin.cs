using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary>
/// <c>nuage login --oidc</c>: the server starts a device sign-in at its issuer; we show the code and the URL, poll the
/// server at the interval it gives until the user approves (or refuses, or the code expires), and store the session
/// token it issues. The CLI never sees an ID token.
/// </summary>
internal static class OidcLogin
{
    public static async Task<int> RunAsync(CliContext context, string url, string? issuer, CancellationToken cancellationToken)
    {
        using var client = new NuageClient(url, "anonymous");
        var device = await client.StartOidcDeviceLoginAsync(issuer, cancellationToken);
        context.Output.Line($"To sign in at {device.Issuer}, open {device.VerificationUri} and enter the code {device.UserCode}");
        if (device.VerificationUriComplete is { } complete)
        {
            context.Output.Line($"or open {complete}");
        }

        context.Output.Line($"Waiting for approval (the code expires in {device.ExpiresIn / 60} min {device.ExpiresIn % 60} s)…");
        var interval = device.Interval;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(interval), cancellationToken);
            var poll = await client.PollOidcDeviceLoginAsync(device.Handle, cancellationToken);
            if (poll.Status == OidcDevicePollDto.Done && poll.Token is { } secret)
            {
                ConfigFile.Write(context.Env, new CliConfig(client.Url, secret) { SessionTokenId = poll.TokenId });
                context.Output.Success($"Logged in to {client.Url} as {poll.User} in {poll.Org} ({poll.Role}); the session expires at {poll.ExpiresAt:u}.");
                return ExitCodes.Ok;
            }

            interval = Math.Max(1, poll.Interval);
        }
    }

    /// <summary>Revokes the stored session on the server; the local configuration is forgotten whatever happens.</summary>
    public static async Task<int> RevokeAsync(CliContext context, CliConfig stored, string tokenId, CancellationToken cancellationToken)
    {
        using var client = new NuageClient(stored.Url, stored.Token);
        try
        {
            await client.RevokeTokenAsync(tokenId, cancellationToken);
            context.Output.Line($"Revoked the session {tokenId} on {client.Url}.");
            return ExitCodes.Ok;
        }
        catch (ApiException e) when (e.Status == 401)
        {
            return ExitCodes.Ok; // already expired or revoked: nothing left to revoke
        }
        catch (ApiException e)
        {
            context.Output.Error($"{e.Message} The session {tokenId} stays valid until it expires.");
            return e.ExitCode;
        }
        catch (CliException e)
        {
            context.Output.Error($"{e.Message} The session {tokenId} stays valid until it expires; revoke it later with 'nuage tokens revoke {tokenId}'.");
            return e.ExitCode;
        }
    }
}
