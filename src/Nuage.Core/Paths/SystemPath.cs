namespace Nuage.Core.Paths;

/// <summary>
/// The PATH builds, hooks and instances start from: the system's own directories only, so the tools an app uses are
/// the ones its sandbox shows it (a tool under /root or /opt would be invisible to the app's uid). Runtimes put their
/// own folders (node_modules/.bin, a virtualenv) in front of it.
/// </summary>
public static class SystemPath
{
    public const string Value = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}
