using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

/// <summary>The server refused a request; carries its problem details.</summary>
public sealed class ApiException(int status, ProblemDto problem)
    : Exception(problem.Detail ?? problem.Title ?? $"HTTP {status}")
{
    public int Status { get; } = status;

    public ProblemDto Problem { get; } = problem;

    public int ExitCode => Status switch
    {
        400 or 409 or 413 or 422 => ExitCodes.InvalidInput,
        404 => ExitCodes.NotFound,
        401 or 403 => ExitCodes.Unauthorized,
        _ => ExitCodes.Failed,
    };
}
