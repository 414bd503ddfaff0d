using System.Globalization;
using System.Text.RegularExpressions;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Git;

/// <summary>
/// Which submodule URLs a push may fetch from, and as whom. The git push hook runs as the server's user (root), so
/// what <c>.gitmodules</c> says is the pusher's choice: only remotes of this server (<c>NUAGE_URL/git/&lt;app&gt;.git</c>,
/// fetched with the pusher's own token) and hosts the operator allows (<c>nuage server --submodule-host</c>) are
/// fetched, over http(s), git or ssh, never a local path or <c>file://</c>; the fetch runs as an unprivileged uid.
/// </summary>
internal sealed partial record SubmodulePolicy
{
    /// <summary>Comma-separated HOST or HOST:PORT list the server puts in the hook's environment.</summary>
    public const string HostsVariable = "NUAGE_SUBMODULE_HOSTS";

    /// <summary>The uid the hook's fetches run as when it runs as root (the app's uid).</summary>
    public const string UidVariable = "NUAGE_SUBMODULE_UID";

    /// <summary>Used when root and no uid was given: the conventional unprivileged "nobody".</summary>
    public const int NobodyUid = 65534;

    private static readonly string[] Schemes = ["https", "http", "git", "ssh"];

    /// <summary>No fetching at all (work trees need none: their submodules are checked out).</summary>
    public static SubmodulePolicy None { get; } = new();

    /// <summary>This server's API (NUAGE_URL); its <c>/git/&lt;app&gt;.git</c> remotes are accepted.</summary>
    public Uri? Server { get; init; }

    /// <summary>The pusher's token, sent to this server's remotes only.</summary>
    public string? Token { get; init; }

    /// <summary>Hosts the operator allows, as HOST or HOST:PORT (case-insensitive).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>The uid fetches run as when this process is root; null: <see cref="NobodyUid"/>.</summary>
    public int? FetchUid { get; init; }

    /// <summary>The policy the git push hook gets from the server through its environment.</summary>
    public static SubmodulePolicy FromEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new SubmodulePolicy
        {
            Server = variables.TryGetValue(Config.ConfigFile.UrlVariable, out var url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null,
            Token = variables.GetValueOrDefault(Config.ConfigFile.TokenVariable),
            AllowedHosts = variables.TryGetValue(HostsVariable, out var hosts)
                ? [.. hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : [],
            FetchUid = variables.TryGetValue(UidVariable, out var uid) && int.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
        };
    }

    /// <summary>The submodule's URL if it may be fetched; else exit 2 naming the submodule, the URL and what is accepted.</summary>
    public SubmoduleSource Check(SubmoduleConfig module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var url = module.Url;
        if (string.IsNullOrWhiteSpace(url))
        {
            throw Refused(module, "(none)", "it has no url in .gitmodules");
        }

        if (url.StartsWith('-') || TransportHelper().IsMatch(url) || url.Any(char.IsControl))
        {
            throw Refused(module, url, "it is not a plain URL");
        }

        string scheme;
        string host;
        int? port = null;
        if (url.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !Schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase) || uri.Host.Length == 0)
            {
                throw Refused(module, url, "local paths and file:// URLs are never fetched, only https, http, git and ssh URLs");
            }

            if (IsThisServer(uri))
            {
                return new SubmoduleSource(url, uri.Scheme, Token);
            }

            (scheme, host, port) = (uri.Scheme.ToLowerInvariant(), uri.Host, uri.IsDefaultPort ? null : uri.Port);
        }
        else if (ScpLike().Match(url) is { Success: true } scp)
        {
            (scheme, host) = ("ssh", scp.Groups["host"].Value);
        }
        else
        {
            throw Refused(module, url, "local paths and file:// URLs are never fetched, only https, http, git and ssh URLs");
        }

        var hostPort = port is { } p ? $"{host}:{p.ToString(CultureInfo.InvariantCulture)}" : host;
        return AllowedHosts.Any(a => string.Equals(a, host, StringComparison.OrdinalIgnoreCase) || string.Equals(a, hostPort, StringComparison.OrdinalIgnoreCase))
            ? new SubmoduleSource(url, scheme, null)
            : throw Refused(module, url, $"host {hostPort} is not one the operator allows");
    }

    private bool IsThisServer(Uri uri) =>
        Server is { } server
        && string.Equals(uri.Scheme, server.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Host, server.Host, StringComparison.OrdinalIgnoreCase)
        && uri.Port == server.Port
        && SameServerPath().IsMatch(uri.AbsolutePath);

    private CliException Refused(SubmoduleConfig module, string url, string why)
    {
        var accepted = new List<string>();
        if (Server is { } server)
        {
            accepted.Add($"this server's remotes ({server.GetLeftPart(UriPartial.Authority)}/git/<app>.git)");
        }

        accepted.Add(AllowedHosts.Count > 0
            ? $"https, http, git or ssh URLs on {string.Join(", ", AllowedHosts)}"
            : "hosts the operator allows (none yet: nuage server --submodule-host HOST)");
        return CliException.Invalid(
            $"Submodule \"{module.Name}\" (path {module.Path}): url \"{url}\" is not accepted because {why}. "
            + $"Accepted: {string.Join("; ", accepted)}. Or set CC_DISABLE_GIT_SUBMODULES=true on the app to deploy without submodules.");
    }

    /// <summary>git's <c>&lt;transport&gt;::&lt;address&gt;</c> syntax runs a remote helper (ext:: runs any command).</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*::")]
    private static partial Regex TransportHelper();

    /// <summary>scp-like ssh: <c>[user@]host:path</c>, host without a slash (git treats <c>a/b:c</c> as a local path).</summary>
    [GeneratedRegex("^(?:[^@/]+@)?(?<host>[A-Za-z0-9.-]+):.+$")]
    private static partial Regex ScpLike();

    [GeneratedRegex("^/git/[A-Za-z0-9][A-Za-z0-9._-]*\\.git/?$")]
    private static partial Regex SameServerPath();
}

/// <summary>An accepted submodule URL: its scheme (the only protocol git may use for it) and, for this server, the token to send.</summary>
internal sealed record SubmoduleSource(string Url, string Scheme, string? BearerToken);
