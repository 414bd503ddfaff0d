using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Nuage.Core.Api;
using Nuage.Core.Errors;
using Nuage.Core.Oidc;

namespace Nuage.Server.Oidc;

/// <summary>
/// The server's side of <c>nuage login --oidc</c>: it brokers the device authorization grant (RFC 8628) so the CLI
/// never handles ID tokens. <see cref="StartAsync"/> asks the issuer for a device code (with a fresh nonce) and keeps it
/// under an opaque handle; <see cref="PollAsync"/> asks the issuer's token endpoint at most once per interval, honours
/// <c>authorization_pending</c>, <c>slow_down</c> (+5 s), <c>expired_token</c> and <c>access_denied</c>, validates the
/// ID token and issues the session. Pending sign-ins live in memory (a restart forgets them: start again).
/// </summary>
internal sealed partial class OidcDeviceLogins(OidcIssuers issuers, OidcSessions sessions, TimeProvider time, ILogger<OidcDeviceLogins> logger)
{
    /// <summary>At most this many sign-ins wait at once (the endpoints are anonymous).</summary>
    public const int MaxPending = 1000;

    private const int DefaultInterval = 5;
    private const int SlowDownStep = 5;

    private readonly ConcurrentDictionary<string, PendingDevice> _pending = new(StringComparer.Ordinal);

    public async Task<OidcDeviceDto> StartAsync(string? issuerUrl, CancellationToken cancellationToken)
    {
        var entry = issuers.Find(issuerUrl);
        var endpoint = entry.Issuer.DeviceAuthorizationEndpoint
            ?? throw new NuageException(ErrorKind.Conflict, ErrorCodes.OidcDeviceUnsupported,
                $"{entry.Issuer.Issuer} does not offer the device authorization grant (no device_authorization_endpoint in its discovery document); sign in through a browser ('nuage login --oidc --browser').");
        ForgetExpired();
        if (_pending.Count >= MaxPending)
        {
            throw new NuageException(ErrorKind.RateLimited, ErrorCodes.OidcTooManyPending, $"{MaxPending} device sign-ins are already pending; retry in a minute.");
        }

        var nonce = NewSecret();
        using var answer = await OidcIssuerCalls.PostFormAsync(issuers.Http, entry.Issuer, endpoint,
            [new("scope", entry.Issuer.Scopes), new("nonce", nonce)], cancellationToken);
        if (answer.Error is { } error)
        {
            throw Failed($"{endpoint} refused the device authorization request: {error}");
        }

        var root = answer.Json!.RootElement;
        var deviceCode = OidcIssuerCalls.Text(root, "device_code", endpoint);
        var userCode = OidcIssuerCalls.Text(root, "user_code", endpoint);
        var verification = OidcIssuerCalls.Text(root, "verification_uri", endpoint);
        var complete = OidcIssuerCalls.OptionalText(root, "verification_uri_complete");
        var expiresIn = OidcIssuerCalls.OptionalInt(root, "expires_in") ?? 600;
        var interval = Math.Max(1, OidcIssuerCalls.OptionalInt(root, "interval") ?? DefaultInterval);
        var now = time.GetUtcNow();
        var handle = "odc_" + NewSecret();
        _pending[handle] = new PendingDevice(entry, deviceCode, nonce, now.AddSeconds(expiresIn)) { Interval = interval, NextPollAt = now };
        return new OidcDeviceDto(handle, entry.Issuer.Issuer, userCode, verification, interval, expiresIn) { VerificationUriComplete = complete };
    }

    /// <summary>Pending (ask again later) or done with the session; every final failure forgets the handle.</summary>
    public async Task<(OidcDevicePollDto Answer, OidcSession? Session)> PollAsync(string? handle, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(handle))
        {
            throw NuageException.Invalid(ErrorCodes.InvalidInput, [new FieldError("handle", handle, "give the handle POST /v1/auth/oidc/device returned")]);
        }

        if (!_pending.TryGetValue(handle, out var device))
        {
            throw NuageException.NotFound(ErrorCodes.OidcDeviceNotFound, "No device sign-in is pending under this handle (it finished, expired or the server restarted); run 'nuage login --oidc' again.");
        }

        var now = time.GetUtcNow();
        if (now >= device.ExpiresAt)
        {
            _pending.TryRemove(handle, out _);
            throw Expired(device);
        }

        lock (device)
        {
            if (device.Polling || now < device.NextPollAt)
            {
                return (new OidcDevicePollDto(OidcDevicePollDto.Pending, device.Interval), null); // too early: the issuer is not asked
            }

            device.Polling = true;
            device.NextPollAt = now.AddSeconds(device.Interval);
        }

        try
        {
            return await PollIssuerAsync(handle, device, cancellationToken);
        }
        finally
        {
            lock (device)
            {
                device.Polling = false;
            }
        }
    }

    private async Task<(OidcDevicePollDto, OidcSession?)> PollIssuerAsync(string handle, PendingDevice device, CancellationToken cancellationToken)
    {
        var issuer = device.Entry.Issuer;
        using var answer = await OidcIssuerCalls.PostFormAsync(issuers.Http, issuer, issuer.TokenEndpoint,
        [
            new("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            new("device_code", device.DeviceCode),
        ], cancellationToken);
        switch (answer.ErrorCode)
        {
            case null:
                break;
            case "authorization_pending":
                return (new OidcDevicePollDto(OidcDevicePollDto.Pending, device.Interval), null);
            case "slow_down":
                lock (device)
                {
                    device.Interval += SlowDownStep;
                    device.NextPollAt = time.GetUtcNow().AddSeconds(device.Interval);
                }

                return (new OidcDevicePollDto(OidcDevicePollDto.Pending, device.Interval), null);
            case "expired_token":
                _pending.TryRemove(handle, out _);
                throw Expired(device);
            case "access_denied":
                _pending.TryRemove(handle, out _);
                throw new NuageException(ErrorKind.Unauthorized, ErrorCodes.OidcAccessDenied, $"The sign-in was refused at {issuer.Issuer} (access_denied).");
            default:
                _pending.TryRemove(handle, out _);
                throw Failed($"{issuer.TokenEndpoint} refused the device code: {answer.Error}");
        }

        _pending.TryRemove(handle, out _); // a device code is used once, whatever follows
        var idToken = OidcIssuerCalls.OptionalText(answer.Json!.RootElement, "id_token")
            ?? throw Failed($"{issuer.TokenEndpoint} answered without an id_token (is the openid scope allowed for client '{issuer.ClientId}'?)");
        try
        {
            var token = await device.Entry.Validator.ValidateAsync(idToken, device.Nonce, requireNonce: false, cancellationToken);
            var session = await sessions.SignInAsync(issuer, token, OidcIssuerCalls.OptionalText(answer.Json.RootElement, "refresh_token"), cancellationToken);
            return (OidcEndpoints.Done(session, device.Interval), session);
        }
        catch (OidcTokenException e)
        {
            LogTokenRefused(logger, issuer.Issuer, e.Message);
            throw new NuageException(ErrorKind.Unauthorized, ErrorCodes.OidcTokenInvalid, $"Sign-in at {issuer.Issuer} refused: {e.Message}.");
        }
        catch (OidcIssuerException e)
        {
            throw Failed(e.Message);
        }
    }

    private void ForgetExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (handle, device) in _pending)
        {
            if (now >= device.ExpiresAt)
            {
                _pending.TryRemove(handle, out _);
            }
        }
    }

    private static NuageException Expired(PendingDevice device) =>
        new(ErrorKind.Unauthorized, ErrorCodes.OidcDeviceExpired, $"The device code from {device.Entry.Issuer.Issuer} expired before the sign-in was approved; run 'nuage login --oidc' again.");

    private static NuageException Failed(string message) => new(ErrorKind.Failed, ErrorCodes.OidcIssuerFailed, message);

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(EventId = 2802, Level = LogLevel.Warning, Message = "An ID token from {Issuer} was refused: {Reason}")]
    private static partial void LogTokenRefused(ILogger logger, string issuer, string reason);

    private sealed class PendingDevice(OidcIssuers.Entry entry, string deviceCode, string nonce, DateTimeOffset expiresAt)
    {
        public OidcIssuers.Entry Entry { get; } = entry;

        public string DeviceCode { get; } = deviceCode;

        public string Nonce { get; } = nonce;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public int Interval { get; set; }

        public DateTimeOffset NextPollAt { get; set; }

        public bool Polling { get; set; }
    }
}
