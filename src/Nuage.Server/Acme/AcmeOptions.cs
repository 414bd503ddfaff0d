using Nuage.Core.Errors;
using Nuage.Router.Acme;

namespace Nuage.Server.Acme;

/// <summary>
/// Automatic HTTPS (<c>--acme-email E [--acme-directory URL]</c>): with an email, <c>nuage domain add D</c> obtains D's
/// certificate from the ACME CA by HTTP-01 (or TLS-ALPN-01, <c>--acme-challenge</c>) and renews it. Off when no email is given.
/// </summary>
public sealed record AcmeOptions
{
    public const string DirectoryFlag = "--acme-directory";
    public const string EmailFlag = "--acme-email";
    public const string CaCertificateFlag = "--acme-ca-certificate";
    public const string ChallengeFlag = "--acme-challenge";

    /// <summary>Let's Encrypt's production directory (the default CA).</summary>
    public const string LetsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory";

    /// <summary>The CA's directory URL. Default: Let's Encrypt production.</summary>
    public string Directory { get; init; } = LetsEncryptProduction;

    /// <summary>Contact for the ACME account (the CA's expiry notices); setting it turns ACME on.</summary>
    public string? Email { get; init; }

    /// <summary>
    /// How the CA validates a domain: <c>http-01</c> (default: the router answers on its HTTP listener, which the CA reaches on
    /// port 80) or <c>tls-alpn-01</c> (the router answers in the TLS handshake on its HTTPS listener, port 443; port 80 may stay closed).
    /// </summary>
    public string Challenge { get; init; } = AcmeChallengeTypes.Http01;

    /// <summary>PEM file of extra roots trusted for the CA's own HTTPS endpoint (a private or test CA such as Pebble).</summary>
    public string? CaCertificateFile { get; init; }

    /// <summary>First retry delay after a failed order; doubled per failure up to <see cref="RetryCap"/>. Default 5 minutes.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest delay between retries of a failing domain. Default 24 hours.</summary>
    public TimeSpan RetryCap { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Renew this long before expiry at most: at 2/3 of the lifetime for shorter certificates. Default 30 days.</summary>
    public TimeSpan RenewBefore { get; init; } = TimeSpan.FromDays(30);

    public bool Enabled => Email is not null;

    /// <summary>When a certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> is renewed.</summary>
    public DateTimeOffset RenewalTime(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var lifetime = notAfter - notBefore;
        var before = TimeSpan.FromTicks(Math.Min(RenewBefore.Ticks, lifetime.Ticks / 3));
        return notAfter - before;
    }

    /// <summary>Delay before the next attempt after <paramref name="failures"/> failures in a row, never shorter than the CA's Retry-After.</summary>
    public TimeSpan Backoff(int failures, TimeSpan? retryAfter)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var delay = TimeSpan.FromTicks((long)Math.Min(RetryCap.Ticks, RetryBase.Ticks * Math.Pow(2, exponent)));
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }

    public IReadOnlyList<FieldError> Validate(string? https)
    {
        var errors = new List<FieldError>();
        if (Email is null)
        {
            return errors;
        }

        if (Email.Length == 0 || Email.Contains(' ', StringComparison.Ordinal) || Email.IndexOf('@', StringComparison.Ordinal) is <= 0 || Email.EndsWith('@'))
        {
            errors.Add(new FieldError(EmailFlag, Email, $"\"{Email}\" is not an email address; give the address the CA sends expiry notices to, e.g. ops@example.com"));
        }

        if (!Uri.TryCreate(Directory, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add(new FieldError(DirectoryFlag, Directory, $"\"{Directory}\" is not an https URL; give the CA's ACME directory, e.g. {LetsEncryptProduction}"));
        }

        if (!AcmeChallengeTypes.All.Contains(Challenge))
        {
            errors.Add(new FieldError(ChallengeFlag, Challenge, $"\"{Challenge}\" is not a challenge type; give {string.Join(" or ", AcmeChallengeTypes.All)}"));
        }

        if (https is null)
        {
            errors.Add(new FieldError(EmailFlag, Email, "ACME certificates are served over HTTPS: also give --https ADDRESS:PORT (e.g. 0.0.0.0:443)"));
        }

        if (CaCertificateFile is { } file && !File.Exists(file))
        {
            errors.Add(new FieldError(CaCertificateFlag, file, "the file does not exist; give a PEM file with the CA's root certificate"));
        }

        return errors;
    }
}
