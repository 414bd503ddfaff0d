using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nuage.Router.Standalone;

/// <summary>Operations on the router control socket (one request and one reply per connection, each a line of JSON).</summary>
public static class RouterOperations
{
    /// <summary>Who the router is (pid), what it serves (generation) and where it listens.</summary>
    public const string Status = "status";

    /// <summary>Apply <see cref="RouterRequest.Snapshot"/> if newer, and persist it.</summary>
    public const string Snapshot = "snapshot";

    /// <summary>Wait for requests to <see cref="RouterRequest.InstanceIds"/> to finish (they must already be out of every route).</summary>
    public const string Drain = "drain";
}

/// <summary>A request to the router process.</summary>
public sealed record RouterRequest(string Operation)
{
    public RouteSnapshot? Snapshot { get; init; }

    public IReadOnlyList<string>? InstanceIds { get; init; }

    public TimeSpan? DrainTimeout { get; init; }
}

/// <summary>The router process's answer.</summary>
/// <param name="Ok">False when the request was refused (<see cref="Error"/> says why).</param>
public sealed record RouterReply(bool Ok)
{
    public string? Error { get; init; }

    /// <summary>The router process's pid (the server checks it against the socket peer and /proc start time).</summary>
    public int Pid { get; init; }

    /// <summary>Generation of the snapshot served after this request.</summary>
    public SnapshotGeneration Generation { get; init; }

    /// <summary>For <see cref="RouterOperations.Snapshot"/>: false when the snapshot was older than the one served.</summary>
    public bool Applied { get; init; }

    public IReadOnlyList<Uri> HttpAddresses { get; init; } = [];

    public IReadOnlyList<Uri> HttpsAddresses { get; init; } = [];

    public DrainReport? Drain { get; init; }
}

/// <summary>The wire and file format of snapshots and control messages.</summary>
public static class RouterJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
