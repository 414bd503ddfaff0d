// The tiny backend every benchmark target forwards to: 13 bytes with Content-Length, HTTP/1.1 keep-alive.
// /page answers an 8 KiB HTML page instead (compressible; bench/router/flow.sh measures compression with it).
using System.Net;
using System.Text;

var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var body = Encoding.ASCII.GetBytes("Hello, Nuage!");
var page = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(i => $"<li class=\"item\">Item {i:000} of the list</li>\n")).PadRight(8192, ' ')[..8192]);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
var app = builder.Build();
app.Run(context =>
{
    var answer = context.Request.Path == "/page" ? page : body;
    context.Response.ContentLength = answer.Length;
    context.Response.ContentType = answer == page ? "text/html" : "text/plain";
    return context.Response.Body.WriteAsync(answer).AsTask();
});
await app.RunAsync();
