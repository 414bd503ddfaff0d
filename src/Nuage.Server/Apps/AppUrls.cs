namespace Nuage.Server.Apps;

/// <summary>Where an app answers: <c>http://&lt;app&gt;.&lt;domain&gt;:&lt;router port&gt;</c>.</summary>
internal sealed class AppUrls(string domain, Func<int> routerPort)
{
    public string For(string appName)
    {
        var port = routerPort();
        return port == 80 ? $"http://{appName}.{domain}" : $"http://{appName}.{domain}:{port}";
    }
}
