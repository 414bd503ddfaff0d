namespace Nuage.Logs.Drains;

/// <summary>What a user asks for with `nuage drain create`.</summary>
public sealed record DrainSpec
{
    public required string AppId { get; init; }

    /// <summary>Name shown to the receiving side (syslog APP-NAME, service.name); defaults to the app id.</summary>
    public string? AppName { get; init; }

    public required string Type { get; init; }

    public required string Url { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Token { get; init; }

    /// <summary>Syslog only: extra structured data, either `key="value" …` (added to Nuage's element) or whole `[id@pen key="value"]` elements.</summary>
    public string? SdParams { get; init; }
}

/// <summary>A stored drain. Credentials are kept for delivery; use <see cref="Redacted"/> for any output.</summary>
public sealed record DrainConfig
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string AppName { get; init; }

    public required string Type { get; init; }

    public required string Url { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Token { get; init; }

    public string? SdParams { get; init; }

    public bool Enabled { get; init; } = true;

    public DateTimeOffset CreatedAt { get; init; }

    public DrainConfig Redacted() => this with
    {
        Password = Password is null ? null : "***",
        Token = Token is null ? null : "***",
    };
}

/// <summary>A drain's delivery state, as shown by `nuage drain list`. <paramref name="State"/> is one of <see cref="DrainStates"/>.</summary>
public sealed record DrainStatus(
    DrainConfig Drain,
    string State,
    long Cursor,
    long Delivered,
    long Backlog,
    long Skipped,
    long Missed,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastDeliveryAt);
