namespace Nuage.Core.Orgs;

/// <summary>Users are named by email: a light check (one @, no spaces), compared case-insensitively.</summary>
public static class Emails
{
    public const int MaxLength = 254;

    public static bool IsValid(string? email) =>
        email is { Length: > 2 and <= MaxLength }
        && email.IndexOf('@', StringComparison.Ordinal) is var at && at > 0 && at < email.Length - 1
        && email.IndexOf('@', at + 1) < 0
        && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
