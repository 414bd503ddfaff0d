using System.Globalization;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Git;

/// <summary>
/// Fetches a pushed commit's submodules (a push brings no submodule objects) from URLs the
/// <see cref="SubmodulePolicy"/> accepts, each into a fresh private folder under the temp directory, as an
/// unprivileged uid when this process is root, with git restricted to the URL's own protocol and no redirects.
/// The folders are removed when the fetcher is disposed (after the archive is written).
/// </summary>
internal sealed class SubmoduleFetcher(SubmodulePolicy policy) : IDisposable
{
    /// <summary>Creates the private folder (umask 077) as the fetching uid, then runs git there.</summary>
    private const string Wrapper = "umask 077 && mkdir -- \"$0\" && exec \"$@\"";

    private readonly List<string> _folders = [];

    public SubmodulePolicy Policy => policy;

    public async Task<GitRepository?> FetchAsync(SubmoduleConfig module, string commit, CancellationToken cancellationToken)
    {
        var source = policy.Check(module);
        var folder = Path.Combine(Path.GetTempPath(), $"nuage-submodule-{Guid.NewGuid():N}");
        _folders.Add(folder);
        var repository = Path.Combine(folder, "repo.git");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = folder,
            ["XDG_CONFIG_HOME"] = folder,
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes",
        };
        if (source.BearerToken is { } token)
        {
            // In the environment (readable by the fetching uid only), not on the command line.
            environment["GIT_CONFIG_COUNT"] = "1";
            environment["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            environment["GIT_CONFIG_VALUE_0"] = "Authorization: Bearer " + token;
        }

        List<string> args = [];
        if (Environment.IsPrivilegedProcess)
        {
            var uid = (policy.FetchUid ?? SubmodulePolicy.NobodyUid).ToString(CultureInfo.InvariantCulture);
            args.AddRange(["--reuid=" + uid, "--regid=" + uid, "--clear-groups", "/bin/sh"]);
        }

        args.AddRange(["-c", Wrapper, folder, "git",
            "-c", "protocol.allow=never", "-c", $"protocol.{source.Scheme}.allow=always", "-c", "http.followRedirects=false",
            "clone", "--bare", "--quiet", "--no-local", "--", source.Url, repository]);
        var result = await GitProcess.RunAsync(Environment.IsPrivilegedProcess ? "setpriv" : "/bin/sh", Path.GetTempPath(), args, environment, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new CliException(
                ExitCodes.Failed,
                $"Submodule \"{module.Name}\" (path {module.Path}): fetching {source.Url} failed: {result.Error.Trim()}");
        }

        var fetched = new GitRepository(repository, null);
        return await fetched.HasCommitAsync(commit, cancellationToken) ? fetched : null;
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
                // A temp folder left behind; the OS cleans /tmp.
            }
            catch (UnauthorizedAccessException)
            {
                // Same as above.
            }
        }
    }
}
