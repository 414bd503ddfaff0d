// Nuage example: answers on $PORT with its runtime, INSTANCE_NUMBER and GREETING; /health says ok.
var builder = WebApplication.CreateSlimBuilder(args);
var port = Environment.GetEnvironmentVariable("PORT") ?? "8080";
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();
app.MapGet("/health", () => "ok\n");
app.MapGet("/", () =>
    $"runtime=dotnet instance={Environment.GetEnvironmentVariable("INSTANCE_NUMBER")} greeting={Environment.GetEnvironmentVariable("GREETING")}\n");
app.Run();
