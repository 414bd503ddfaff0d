using Nuage.Core.Errors;

namespace Nuage.Server.Domains;

/// <summary>Which names an app may claim as a custom domain.</summary>
internal static class DomainNames
{
    public const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// A lowercase DNS name of at least two labels, not an IP address, and outside the platform's own
    /// <c>&lt;app&gt;.&lt;suffix&gt;</c> space unless it is this app's own default host. Null when acceptable.
    /// </summary>
    public static FieldError? Check(string field, string? domain, string suffix, string appName)
    {
        if (string.IsNullOrEmpty(domain))
        {
            return new FieldError(field, domain, "a domain is required, e.g. www.example.com");
        }

        if (domain.Length > MaxLength)
        {
            return new FieldError(field, domain, $"the domain has {domain.Length} characters; DNS names have at most {MaxLength}");
        }

        if (domain.Any(char.IsUpper))
        {
            return new FieldError(field, domain, $"use lowercase: {domain.ToLowerInvariant()}");
        }

        var labels = domain.Split('.');
        if (labels.Length < 2)
        {
            return new FieldError(field, domain, "a domain needs at least two labels, e.g. www.example.com");
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-' || !label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return new FieldError(field, domain,
                    $"\"{label}\" is not a DNS label; labels have 1 to {MaxLabelLength} characters among a-z, 0-9 and '-' (not first or last), separated by single dots (no trailing dot, no wildcard)");
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return new FieldError(field, domain, "an IP address is not a domain; point a DNS name at this server and add that name");
        }

        var own = $"{appName}.{suffix}";
        if ((domain == suffix || domain.EndsWith("." + suffix, StringComparison.Ordinal)) && domain != own)
        {
            return new FieldError(field, domain, $"names under {suffix} belong to the platform (each app answers at <app>.{suffix}); use a domain of your own");
        }

        return null;
    }
}
