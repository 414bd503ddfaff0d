using System.Globalization;
using System.Text.RegularExpressions;

namespace Nuage.Core.Addons;

/// <summary>
/// When an add-on is backed up by itself: <c>daily@HH:MM</c> (UTC), <c>daily</c> (= daily@03:00), <c>hourly</c>
/// (= every 1h), <c>every Nh</c> (N from 1 to 168 hours) or <c>off</c>. <see cref="Text"/> is the canonical form that
/// is stored and exported.
/// </summary>
public sealed partial record AddonBackupSchedule
{
    public const string Off = "off";

    /// <summary>New add-ons are backed up daily at 03:00 UTC, keeping <see cref="DefaultRetention"/>.</summary>
    public const string DefaultText = "daily@03:00";

    public const int DefaultRetention = 7;

    public const int MaxRetention = 365;

    public const string Accepted = "daily@HH:MM (UTC), daily (= daily@03:00), hourly, every Nh (1-168), off";

    private AddonBackupSchedule(string text, TimeOnly? dailyAt, TimeSpan? every)
    {
        Text = text;
        DailyAt = dailyAt;
        Every = every;
    }

    public string Text { get; }

    /// <summary>The UTC time of day of a daily schedule.</summary>
    public TimeOnly? DailyAt { get; }

    /// <summary>The interval of an hourly or every-N-hours schedule.</summary>
    public TimeSpan? Every { get; }

    public bool IsOff => DailyAt is null && Every is null;

    public static AddonBackupSchedule Default { get; } = Parse(DefaultText)!;

    /// <summary>The schedule <paramref name="text"/> describes, or null when it is not one of <see cref="Accepted"/>.</summary>
    public static AddonBackupSchedule? Parse(string? text)
    {
        var value = text?.Trim().ToLowerInvariant();
        switch (value)
        {
            case null or "":
                return null;
            case Off:
                return new AddonBackupSchedule(Off, null, null);
            case "daily":
                return Parse(DefaultText);
            case "hourly":
                return new AddonBackupSchedule("every 1h", null, TimeSpan.FromHours(1));
        }

        if (DailyPattern().Match(value) is { Success: true } daily
            && TimeOnly.TryParseExact(daily.Groups[1].Value.PadLeft(5, '0'), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return new AddonBackupSchedule("daily@" + at.ToString("HH:mm", CultureInfo.InvariantCulture), at, null);
        }

        if (EveryPattern().Match(value) is { Success: true } every
            && int.TryParse(every.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && hours is >= 1 and <= 168)
        {
            return new AddonBackupSchedule($"every {hours.ToString(CultureInfo.InvariantCulture)}h", null, TimeSpan.FromHours(hours));
        }

        return null;
    }

    /// <summary>The first time strictly after <paramref name="after"/> a backup is due; null when the schedule is off.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        if (Every is { } every)
        {
            return after + every;
        }

        if (DailyAt is not { } at)
        {
            return null;
        }

        var utc = after.ToUniversalTime();
        var today = new DateTimeOffset(DateOnly.FromDateTime(utc.UtcDateTime).ToDateTime(at), TimeSpan.Zero);
        return today > utc ? today : today.AddDays(1);
    }

    [GeneratedRegex(@"^daily@(\d{1,2}:\d{2})$")]
    private static partial Regex DailyPattern();

    [GeneratedRegex(@"^every\s*(\d{1,3})\s*h$")]
    private static partial Regex EveryPattern();
}
