using System.Globalization;

namespace Nuage.Runtime.Processes;

/// <summary>The fields of /proc/&lt;pid&gt;/stat the scheduler relies on (see proc(5)).</summary>
internal sealed record ProcStat(int Pid, string Comm, char State, int ParentPid, int ProcessGroup, int Session, long StartTicks)
{
    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>Reads /proc/&lt;pid&gt;/stat; null when the process does not exist.</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>Parses a stat line. The command name is in parentheses and may itself contain spaces and ')'.</summary>
    public static ProcStat? Parse(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        // After ") ": field 3 (state) is index 0, so field N is index N - 3.
        var rest = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length < 20 || !int.TryParse(text.AsSpan(0, open).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        return new ProcStat(
            pid,
            text[(open + 1)..close],
            rest[0][0],
            ParseInt(rest[1]),
            ParseInt(rest[2]),
            ParseInt(rest[3]),
            long.Parse(rest[19], NumberStyles.Integer, CultureInfo.InvariantCulture));
    }

    /// <summary>Every process whose session is <paramref name="session"/>.</summary>
    public static IReadOnlyList<ProcStat> InSession(int session)
    {
        var found = new List<ProcStat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } stat && stat.Session == session)
            {
                found.Add(stat);
            }
        }

        return found;
    }

    /// <summary>True when <paramref name="pid"/> is alive (not a zombie) and started at <paramref name="startTicks"/>.</summary>
    public static bool IsAlive(int pid, long startTicks) =>
        pid > 0 && Read(pid) is { IsZombie: false } stat && stat.StartTicks == startTicks;

    private static int ParseInt(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
