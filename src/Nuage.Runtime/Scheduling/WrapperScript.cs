namespace Nuage.Runtime.Scheduling;

/// <summary>
/// The first program of every instance, started with setsid so it leads its own session and outlives the server.
/// It appends stdout/stderr to the instance's files, joins the instance's cgroups (so every later process is
/// limited before the app runs), runs the pre-run hook then the command, and records the outcome in a status file
/// the supervisor reads — also after a server restart, when the instance is no longer the server's child.
/// </summary>
/// <remarks>
/// Arguments: stdout, stderr, status file, N, N cgroup.procs files, "sandbox" (or ""), hook (or ""), command, then the
/// launcher (e.g. [nsenter --net=… --] bwrap --args 3 setpriv … /bin/bash -c) to which the hook or command is appended.
/// With "sandbox", the bubblewrap options (the app's environment among them) arrive base64-encoded on stdin: the
/// wrapper keeps them in a shell variable (never exported) and feeds them to each run over a pipe on fd 3, so no
/// variable value is ever written to a file.
/// Status file lines: "running", "hook-failed CODE", "exit CODE".
/// </remarks>
internal static class WrapperScript
{
    public const string Text = """
        exec >>"$1" 2>>"$2"
        status=$3; n=$4; shift 4
        for ((i = 0; i < n; i++)); do
          if ! echo $$ >"$1"; then echo "nuage: cannot join cgroup $1" >&2; echo "exit 125" >"$status"; exit 125; fi
          shift
        done
        sandbox=$1; hook=$2; command=$3; shift 3
        if [ -n "$sandbox" ]; then sandboxargs=$(cat); fi
        exec </dev/null
        run() { if [ -n "$sandbox" ]; then "$@" 3< <(printf '%s' "$sandboxargs" | base64 -d); else "$@"; fi; }
        if [ -n "$hook" ]; then
          run "$@" "$hook"; rc=$?
          if [ "$rc" -ne 0 ]; then echo "hook-failed $rc" >"$status"; exit "$rc"; fi
        fi
        echo running >"$status"
        run "$@" "$command"; rc=$?
        echo "exit $rc" >"$status"
        exit "$rc"
        """;

    /// <summary>What the status file says; Unknown when the wrapper was killed before writing it.</summary>
    public static (string Phase, int? Code) ReadStatus(string statusFile)
    {
        string text;
        try
        {
            text = File.ReadAllText(statusFile).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return ("unknown", null);
        }

        var parts = text.Split(' ', 2);
        int? code = parts.Length == 2 && int.TryParse(parts[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : null;
        return (parts[0], code);
    }
}
