namespace Nuage.Core.Sandboxing;

/// <summary>No isolation: <c>bash -c COMMAND</c> as the server's own user with the step's environment.</summary>
public sealed class PlainStepSandbox : IStepSandbox
{
    public static PlainStepSandbox Instance { get; } = new();

    public Task<ISandboxedStep> PrepareAsync(StepCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Task.FromResult<ISandboxedStep>(new PlainStep(["-c", command.Command], command.Environment));
    }

    private sealed record PlainStep(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment) : ISandboxedStep
    {
        public string FileName => "bash";

        public Task KillAsync() => Task.CompletedTask;

        public string? ExplainFailure(int exitCode) => null;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
