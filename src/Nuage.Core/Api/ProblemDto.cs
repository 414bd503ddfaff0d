using Nuage.Core.Errors;

namespace Nuage.Core.Api;

/// <summary>RFC 9457 problem details with Nuage's stable <see cref="Code"/> and field errors.</summary>
public sealed record ProblemDto
{
    public string Type { get; init; } = "about:blank";

    public string? Title { get; init; }

    public int Status { get; init; }

    public string? Detail { get; init; }

    public string Code { get; init; } = "error";

    public IReadOnlyList<FieldError>? Errors { get; init; }
}
