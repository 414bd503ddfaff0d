namespace Nuage.Server.Releases;

/// <summary>
/// The PATH builds and instances get: the system's own directories only, so the tools an app uses are the ones
/// the sandbox shows it (a tool under /root or /opt would be invisible to the app's uid).
/// </summary>
internal static class PlatformPath
{
    public const string System = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}
