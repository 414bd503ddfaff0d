using Nuage.Core.Api;
using Nuage.Core.Errors;

namespace Nuage.Cli.Client;

/// <summary>The server refused a request; carries its problem details.</summary>
public sealed class ApiException(int status, ProblemDto problem)
    : Exception(problem.Detail ?? problem.Title ?? $"HTTP {status}")
{
    public int Status { get; } = status;

    public ProblemDto Problem { get; } = problem;

    /// <summary>The exit code of the problem's code in the catalogue (docs/errors.md), else of its HTTP status.</summary>
    public int ExitCode => ErrorCodes.Find(Problem.Code) is { } known && known.HttpStatus == Status
        ? known.ExitCode
        : ErrorKinds.FromHttpStatus(Status) is { } kind ? ErrorKinds.Of(kind).ExitCode : CliExitCodes.Failed;
}
