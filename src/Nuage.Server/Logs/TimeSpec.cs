using System.Globalization;
using System.Text.RegularExpressions;
using Nuage.Core.Errors;

namespace Nuage.Server.Logs;

/// <summary>Parses <c>since</c>/<c>until</c>: a duration back from now (<c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>) or an ISO 8601 timestamp.</summary>
internal static partial class TimeSpec
{
    public const string Accepted = "use a duration back from now like 30s, 10m, 2h or 1d, or an ISO 8601 timestamp like 2026-11-27T16:19:22Z";

    public static DateTimeOffset? Parse(string field, string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var match = Duration().Match(value);
        if (match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= 100_000)
        {
            var span = match.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return now - span;
        }

        if (value.Length >= 10 && char.IsAsciiDigit(value[0])
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
        {
            return timestamp;
        }

        throw NuageException.Invalid(field, value, $"\"{value}\" is not a time; {Accepted}");
    }

    [GeneratedRegex("^([0-9]{1,6})([smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
