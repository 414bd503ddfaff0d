using Nuage.Cli;
using Nuage.Cli.Hosting;

namespace Nuage.FunctionalTests.Infrastructure;

/// <summary>Runs the real CLI code in-process, capturing what a terminal would show.</summary>
public sealed class CliRun(string url, string token, string workingDirectory, string configDirectory)
{
    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync(string.Empty, args);

    public async Task<CliResult> RunWithInputAsync(string input, params string[] args) =>
        await RunWithEnvironmentAsync(new Dictionary<string, string>(), input, args);

    /// <summary>Runs as if a person sat at a terminal (prompts are asked) answering with <paramref name="input"/>.</summary>
    public Task<CliResult> RunInteractiveAsync(string input, params string[] args) =>
        RunWithEnvironmentAsync(new Dictionary<string, string>(), input, args, interactive: true);

    /// <summary>Runs with extra environment variables (e.g. the secrets a CI job would give 'nuage apply').</summary>
    public Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> variables, string input, params string[] args) =>
        RunWithEnvironmentAsync(variables, input, args, interactive: false);

    private async Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> variables, string input, string[] args, bool interactive)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = error,
            In = new StringReader(input),
            WorkingDirectory = workingDirectory,
            ConfigDirectory = configDirectory,
            Variables = new Dictionary<string, string>(variables) { ["NUAGE_URL"] = url, ["NUAGE_TOKEN"] = token },
            IsInteractive = interactive,
        };
        var code = await CliApp.RunAsync(env, args, CancellationToken.None);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
