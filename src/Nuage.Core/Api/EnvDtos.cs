namespace Nuage.Core.Api;

/// <summary>Body of <c>PUT /v1/apps/{app}/env/{name}</c>.</summary>
public sealed record SetVariableRequest
{
    public string? Value { get; init; }
}

/// <summary>Result of an environment change: what is stored now, and warnings the user should read.</summary>
public sealed record EnvDto(IReadOnlyDictionary<string, string> Variables, IReadOnlyList<string> Warnings)
{
    /// <summary>Variables from linked add-ons (read-only here; they reach instances on the next deploy or restart).</summary>
    public IReadOnlyList<LinkedVariableDto>? Linked { get; init; }
}

/// <summary>
/// Body of <c>POST /v1/apps/{app}/env/check</c>: the whole set of variables the app would have, as a JSON object
/// (<see cref="Variables"/>) or as <c>.env</c> text (<see cref="Dotenv"/>). Nothing is saved.
/// </summary>
public sealed record EnvCheckRequest
{
    public IReadOnlyDictionary<string, string?>? Variables { get; init; }

    public string? Dotenv { get; init; }
}

/// <summary>
/// A set of variables that would be accepted: the variables as parsed (from <c>.env</c> text) and the warnings
/// (did-you-mean, unsupported) a save would show. A refused set answers 400 with each error, as a save would.
/// </summary>
public sealed record EnvCheckDto(IReadOnlyDictionary<string, string> Variables, IReadOnlyList<string> Warnings);
