using System.Diagnostics;
using System.Globalization;

namespace Nuage.Logs.Tests.Support;

/// <summary>What a file really occupies on disk (st_blocks × 512, from coreutils stat), as opposed to its length.</summary>
internal static class DiskUsage
{
    public static long AllocatedBytes(string path)
    {
        var info = new ProcessStartInfo("stat") { RedirectStandardOutput = true, ArgumentList = { "-c", "%b", path } };
        using var stat = Process.Start(info)!;
        var blocks = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return long.Parse(blocks, CultureInfo.InvariantCulture) * 512;
    }
}
