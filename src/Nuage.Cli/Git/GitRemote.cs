namespace Nuage.Cli.Git;

/// <summary>The smart-HTTP git remote the server serves for each app.</summary>
internal static class GitRemote
{
    public static string Url(string apiUrl, string app) => $"{apiUrl.TrimEnd('/')}/git/{app}.git";
}
