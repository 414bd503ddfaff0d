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
