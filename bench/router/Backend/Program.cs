// The tiny backend every benchmark target forwards to: 13 bytes with Content-Length, HTTP/1.1 keep-alive.
using System.Net;
using System.Text;

var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var body = Encoding.ASCII.GetBytes("Hello, Nuage!");
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
var app = builder.Build();
app.Run(context =>
{
    context.Response.ContentLength = body.Length;
    context.Response.ContentType = "text/plain";
    return context.Response.Body.WriteAsync(body).AsTask();
});
await app.RunAsync();
