using System.Globalization;
using Nuage.Core.FileSystem;
using Nuage.Core.Paths;

namespace Nuage.Server.RouterProcess;

/// <summary>
/// The first half of a snapshot generation: a counter under run/router, one more at every server start (and above the router's), so every snapshot of a
/// newer server outranks every snapshot of an older one whatever their sequence numbers.
/// </summary>
internal static class RouterEpoch
{
    public static long Next(NuagePaths paths, long atLeast)
    {
        Directory.CreateDirectory(paths.RouterRun, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var folder = BeneathDirectory.OpenRoot(paths.RouterRun) ?? throw new IOException($"{paths.RouterRun} vanished");
        var name = Path.GetFileName(paths.RouterEpochFile);
        var current = long.TryParse(folder.ReadSmallText(name, 64)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var saved) ? saved : 0;
        var next = Math.Max(current + 1, atLeast); // never below what the router serves, even if this file was lost
        folder.ReplaceText(name, next.ToString(CultureInfo.InvariantCulture), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return next;
    }
}
