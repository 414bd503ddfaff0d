using System.Globalization;

namespace Nuage.Cli.Deploy;

/// <summary>How the CLI prints a duration: "12.3s" under a minute, "2m 05s" above.</summary>
internal static class Durations
{
    public static string Format(long? milliseconds)
    {
        if (milliseconds is not { } ms)
        {
            return "";
        }

        if (ms < 60_000)
        {
            return (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + "s";
        }

        var span = TimeSpan.FromMilliseconds(ms);
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s");
    }
}
