using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Nuage.Server.Static;

/// <summary>
/// <c>nuage serve-static --root DIR</c>: the process a static app's instances run, inside the app's sandbox like
/// any other instance. Serves files (index.html for directories) on 127.0.0.1:$PORT with ETags and range support.
/// </summary>
public static class StaticSite
{
    public static async Task<int> RunAsync(string root, int port, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            await error.WriteLineAsync($"error: --root: \"{root}\" is not a directory.");
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenLocalhost(port);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ServeUnknownFileTypes = true });
        await app.RunAsync();
        return 0;
    }
}
