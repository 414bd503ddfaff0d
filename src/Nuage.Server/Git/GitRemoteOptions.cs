namespace Nuage.Server.Git;

/// <summary>Settings of the per-app git remotes. Defaults suit a Debian host with the git package installed.</summary>
public sealed record GitRemoteOptions
{
    /// <summary>The git executable (its <c>http-backend</c> serves the smart-HTTP protocol).</summary>
    public string Git { get; init; } = "git";

    /// <summary>
    /// How the push hook runs the nuage CLI, as program + leading arguments (e.g. <c>["/usr/bin/nuage"]</c> or
    /// <c>["dotnet", "/opt/nuage/nuage.dll"]</c>). Null: found from the running process by <see cref="NuageCommand"/>.
    /// </summary>
    public IReadOnlyList<string>? NuageCommand { get; init; }

    /// <summary>
    /// Hosts (HOST or HOST:PORT) a pushed commit's submodules may be fetched from, over https, http, git or ssh, besides
    /// this server's own <c>/git/&lt;app&gt;.git</c> remotes. Empty by default; local paths and file:// are never fetched.
    /// </summary>
    public IReadOnlyList<string> SubmoduleHosts { get; init; } = [];
}
