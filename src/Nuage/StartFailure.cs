using Nuage.Cli.Hosting;
using Nuage.Core.Errors;

namespace Nuage;

/// <summary>How a long-running command (server, router) reports a start it refused: each field error, exit 2 or 1.</summary>
internal static class StartFailure
{
    public static async Task<int> ReportAsync(TextWriter error, NuageException refused)
    {
        foreach (var field in refused.Errors)
        {
            await error.WriteLineAsync($"error: {field.Field}: {field.Message}");
        }

        if (refused.Errors.Count == 0)
        {
            await error.WriteLineAsync($"error: {refused.Message}");
        }

        return refused.Kind == ErrorKind.Invalid ? ExitCodes.InvalidInput : ExitCodes.Failed;
    }
}
