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
/// <param name="Status">created | running | crashing (an instance of the serving release keeps exiting) | stopped</param>
public sealed record AppDto(
    string Id,
    string Name,
    string Runtime,
    string Flavor,
    int Instances,
    string Status,
    string Url,
    string? CurrentDeploymentId,
    DateTimeOffset CreatedAt)
{
    /// <summary>When <see cref="Status"/> is crashing: the last exit code of a crashing instance, when known.</summary>
    public int? LastExitCode { get; init; }

    /// <summary>The app's newest deployment (whatever its state), or null before the first; listings carry it so a client needs no request per app.</summary>
    public DeploymentSummaryDto? LastDeployment { get; init; }

    /// <summary>The status as a person reads it: "crashing (last exit code 1)".</summary>
    public string Describe() => Status == "crashing"
        ? $"crashing (last exit code {LastExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not recorded"})"
        : Status;
}

/// <summary>A deployment in one line: what an app listing says of the app's newest deployment.</summary>
/// <param name="State">queued | running | succeeded | failed | cancelled</param>
public sealed record DeploymentSummaryDto(string Id, string State, DateTimeOffset CreatedAt);

/// <summary>One page of a listing; <see cref="Next"/> is the cursor for the following page, or null at the end.</summary>
public sealed record Page<T>(
    IReadOnlyList<T> Items,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Next);
