namespace Nuage.Core.Api;

/// <summary>Body of <c>POST /v1/apps</c>.</summary>
public sealed record CreateAppRequest
{
    public string? Name { get; init; }

    public string? Runtime { get; init; }

    public string? Flavor { get; init; }

    public int? Instances { get; init; }
}

/// <summary>An app as the API shows it.</summary>
public sealed record AppDto(
    string Id,
    string Name,
    string Runtime,
    string Flavor,
    int Instances,
    string Status,
    string Url,
    string? CurrentDeploymentId,
    DateTimeOffset CreatedAt);

/// <summary>One page of a listing; <see cref="Next"/> is the cursor for the following page, or null at the end.</summary>
public sealed record Page<T>(
    IReadOnlyList<T> Items,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Next);
