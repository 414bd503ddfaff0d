// Stock ASP.NET Core hosts with nothing of Nuage's, as the documentation shows them: the reference that tells the cost of
// the stack (Kestrel, YARP, the static-file middleware) from the cost of Nuage's code on top of it.
//   Stock proxy <port> <backend-port>   YARP's direct forwarder (MapForwarder) to one backend, default transforms
//   Stock static <port> <directory>     UseStaticFiles over a directory
//   Stock idle <port>                   one /healthz endpoint (the idle-memory floor of a slim host)
using System.Net;
using Microsoft.Extensions.FileProviders;

var mode = args[0];
var port = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders(); // the Nuage targets log nothing per request to the console either
builder.WebHost.ConfigureKestrel(k =>
{
    k.Listen(IPAddress.Loopback, port);
    k.AddServerHeader = false;
});
if (mode == "proxy")
{
    builder.Services.AddHttpForwarder();
}

var app = builder.Build();
switch (mode)
{
    case "proxy":
        app.MapForwarder("/{**catch-all}", $"http://127.0.0.1:{args[2]}");
        break;
    case "static":
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.GetFullPath(args[2])) });
        break;
    case "idle":
        app.MapGet("/healthz", () => "ok");
        break;
    default:
        Console.Error.WriteLine($"mode: '{mode}' is not one of proxy, static, idle");
        return 2;
}

await app.RunAsync();
return 0;
