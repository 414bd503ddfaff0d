namespace Nuage.Core.Api;

/// <summary>Body of <c>POST /v1/auth/oidc/device</c>: which configured issuer (default: the only one).</summary>
public sealed record OidcDeviceStartRequest
{
    public string? Issuer { get; init; }
}

/// <summary>A started device sign-in (RFC 8628 §3.2) and the opaque handle to poll it with.</summary>
public sealed record OidcDeviceDto(string Handle, string Issuer, string UserCode, string VerificationUri, int Interval, int ExpiresIn)
{
    public string? VerificationUriComplete { get; init; }
}

/// <summary>Body of <c>POST /v1/auth/oidc/device/poll</c>.</summary>
public sealed record OidcDevicePollRequest
{
    public string? Handle { get; init; }
}

/// <summary>
/// A poll's answer: <c>pending</c> (ask again after <see cref="Interval"/> seconds) or <c>done</c> with the session
/// token's secret (shown once), its organisation and role.
/// </summary>
public sealed record OidcDevicePollDto(string Status, int Interval)
{
    public const string Pending = "pending";
    public const string Done = "done";

    public string? Token { get; init; }

    public string? TokenId { get; init; }

    public string? User { get; init; }

    public string? Org { get; init; }

    public string? Role { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
