using System.Text;

namespace Nuage.Server.Git;

/// <summary>
/// The <c>post-receive</c> hook of every app remote: a push to main or master runs <c>nuage deploy</c> on the pushed
/// commit, so its progress reaches the pusher as <c>remote:</c> lines. The app, the server URL and the pusher's own
/// token come from the environment the server gives git (NUAGE_APP, NUAGE_URL, NUAGE_TOKEN).
/// </summary>
internal static class DeployHook
{
    public const string FileName = "post-receive";
    public static readonly string[] DeployedBranches = ["refs/heads/main", "refs/heads/master"];

    public static string Script(IReadOnlyList<string> nuageCommand)
    {
        var command = string.Join(' ', nuageCommand.Select(Quote));
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append("# Written by Nuage on each access to this remote; local edits are replaced.\n");
        script.Append("# A push to main or master deploys the pushed commit with 'nuage deploy'.\n");
        script.Append("status=0\n");
        script.Append("repo=$(pwd)\n");
        script.Append("while read -r old new ref; do\n");
        script.Append("  case \"$ref\" in\n");
        script.Append("    ").Append(string.Join('|', DeployedBranches)).Append(")\n");
        script.Append("      case \"$new\" in *[!0]*) ;; *) continue ;; esac\n"); // a deleted branch deploys nothing
        script.Append("      ").Append(command).Append(" deploy --app \"$NUAGE_APP\" --commit \"$new\" --git-dir \"$repo\" </dev/null || status=$?\n");
        script.Append("      ;;\n");
        script.Append("  esac\n");
        script.Append("done\n");
        script.Append("exit $status\n");
        return script.ToString();
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
