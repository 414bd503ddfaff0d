using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Nuage.Core.Logging;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Drains;

/// <summary>
/// The elasticsearch drain against an Elasticsearch STAND-IN: no Elasticsearch can be installed on these machines, so a
/// small Kestrel _bulk endpoint checks the action/document pairing and answers Elasticsearch-shaped per-item results,
/// including 429 items (retried) and a 400 mapping error (reported and skipped).
/// </summary>
public sealed class ElasticsearchDrainTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly ConcurrentDictionary<string, JsonObject> _indexed = new();
    private readonly List<string> _pairingErrors = [];
    private readonly HashSet<string> _throttledOnce = [];
    private WebApplication _standIn = null!;
    private string _url = null!;
    private int _requests;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _standIn = builder.Build();
        _standIn.MapPost("/nuage-logs/_bulk", BulkAsync);
        await _standIn.StartAsync();
        var address = _standIn.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _url = address + "/nuage-logs/_bulk";
    }

    private async Task<IResult> BulkAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _requests);
        using var reader = new StreamReader(request.Body);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = new JsonArray();
        var errors = false;
        for (var i = 0; i < lines.Length; i += 2)
        {
            var action = JsonNode.Parse(lines[i])!.AsObject();
            if (!action.ContainsKey("create") || i + 1 >= lines.Length || JsonNode.Parse(lines[i + 1]) is not JsonObject doc || doc.ContainsKey("create"))
            {
                lock (_pairingErrors)
                {
                    _pairingErrors.Add(lines[i]);
                }

                return Results.BadRequest();
            }

            var id = action["create"]!["_id"]!.GetValue<string>();
            var message = doc["message"]!.GetValue<string>();
            int status;
            JsonObject? error = null;
            if (message.Contains("throttle", StringComparison.Ordinal) && _throttledOnce.Add(id))
            {
                status = 429;
                error = new JsonObject { ["type"] = "es_rejected_execution_exception", ["reason"] = "rejected execution" };
            }
            else if (message.Contains("unmappable", StringComparison.Ordinal))
            {
                status = 400;
                error = new JsonObject { ["type"] = "document_parsing_exception", ["reason"] = "failed to parse field [message]" };
            }
            else
            {
                status = _indexed.TryAdd(id, doc) ? 201 : 409;
            }

            errors |= status >= 400;
            var result = new JsonObject { ["_index"] = "nuage-logs", ["_id"] = id, ["status"] = status };
            if (error is not null)
            {
                result["error"] = error;
            }

            items.Add(new JsonObject { ["create"] = result });
        }

        return Results.Json(new JsonObject { ["took"] = 1, ["errors"] = errors, ["items"] = items });
    }

    public async Task DisposeAsync()
    {
        await _standIn.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Drain_ToBulkStandIn_RetriesThrottledItemsSkipsRejectedAndEmitsEcsFields()
    {
        await using var store = new LogStore(new LogStoreOptions { Directory = _dir.Sub("store") });
        await using var drains = new DrainManager(store, DrainDefinitions.Open(_dir), new DrainOptions { AllowPrivateDestinations = true, Hostname = "node-a", InitialBackoff = TimeSpan.FromMilliseconds(50) });
        var drain = await drains.CreateAsync(new DrainSpec { AppId = "shop", AppName = "shop-front", Type = DrainTypes.Elasticsearch, Url = _url });

        store.Sink.Write(new LogRecord(default, "shop", LogSource.App, "first", "web-1", "dep-1", "stdout", "4bf92f3577b34da6a3ce929d0e0e4736"));
        store.Sink.Write(new LogRecord(default, "shop", LogSource.App, "please throttle me", "web-1", "dep-1", "stderr"));
        store.Sink.Write(new LogRecord(default, "shop", LogSource.App, "unmappable doc", "web-1", "dep-1", "stdout"));
        store.Sink.Write(new LogRecord(default, "shop", LogSource.Platform, "deployed"));
        await store.FlushAsync("shop");

        DrainStatus status = null!;
        await Wait.UntilAsync(async () => (status = await drains.GetAsync("shop", drain.Id)).Backlog == 0, "the drain to finish");

        Assert.Empty(_pairingErrors);
        Assert.Equal(["shop-1", "shop-2", "shop-4"], _indexed.Keys.Order());
        Assert.Equal((3L, 1L), (status.Delivered, status.Skipped));
        Assert.Contains("document 3: 400 document_parsing_exception", status.LastError, StringComparison.Ordinal);
        Assert.True(_requests >= 2);

        var first = _indexed["shop-1"];
        Assert.Equal("first", first["message"]!.GetValue<string>());
        Assert.Equal("info", first["log"]!["level"]!.GetValue<string>());
        Assert.Equal("shop-front", first["service"]!["name"]!.GetValue<string>());
        Assert.Equal("node-a", first["host"]!["name"]!.GetValue<string>());
        Assert.Equal("nuage.app", first["event"]!["dataset"]!.GetValue<string>());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", first["trace"]!["id"]!.GetValue<string>());
        Assert.Equal("error", _indexed["shop-2"]["log"]!["level"]!.GetValue<string>());
        DateTimeOffset.Parse(first["@timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        var ecs = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Drains", "ecs-fields.txt")).Where(l => !l.StartsWith('#')).ToHashSet();
        foreach (var doc in _indexed.Values)
        {
            foreach (var field in Flatten(doc, ""))
            {
                Assert.True(ecs.Contains(field) || field.StartsWith("labels.", StringComparison.Ordinal), $"{field} is not an ECS field");
            }
        }
    }

    private static IEnumerable<string> Flatten(JsonObject obj, string prefix) =>
        obj.SelectMany(p => p.Value is JsonObject child ? Flatten(child, prefix + p.Key + ".") : [prefix + p.Key]);
}
