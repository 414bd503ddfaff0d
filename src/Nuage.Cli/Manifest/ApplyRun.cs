using Nuage.Cli.Client;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Manifest;

/// <summary>Prints a plan, asks for confirmation and runs its steps in order, stopping at the first failure.</summary>
internal sealed class ApplyRun(CliContext context, bool json, string fileName)
{
    public int Refuse(IReadOnlyList<ManifestError> errors)
    {
        if (json)
        {
            context.Output.Json(new ApplyResultDto(false, [], 0, [.. errors.Select(e => e.ToString())], []), ManifestJson.Default.ApplyResultDto);
        }
        else
        {
            context.Output.Error($"{fileName} has {errors.Count} error(s); nothing was changed:");
            foreach (var error in errors)
            {
                context.Env.Error.WriteLine($"  {fileName}:{error}");
            }
        }

        return ExitCodes.InvalidInput;
    }

    public async Task<int> ExecuteAsync(NuageClient client, ApplyPlan plan, bool yes, bool dryRun, CancellationToken cancellationToken)
    {
        if (plan.Errors.Count > 0)
        {
            return Refuse(plan.Errors);
        }

        if (plan.Steps.Count == 0)
        {
            if (!json)
            {
                foreach (var note in plan.Notes)
                {
                    context.Output.Line(note);
                }
            }

            Report(plan, 0, null, "No changes: the install matches " + fileName + ".");
            return ExitCodes.Ok;
        }

        if (!json)
        {
            foreach (var step in plan.Steps)
            {
                context.Output.Line(step.ToString());
            }

            context.Output.Line(plan.Summary());
            foreach (var note in plan.Notes)
            {
                context.Output.Line(note);
            }
        }

        if (dryRun)
        {
            Report(plan, 0, null, null);
            return ExitCodes.Ok;
        }

        if (!yes && !await ConfirmAsync())
        {
            return ExitCodes.InvalidInput;
        }

        var applied = 0;
        foreach (var step in plan.Steps)
        {
            try
            {
                await step.RunAsync(client, cancellationToken);
            }
            catch (Exception e) when (e is ApiException or CliException)
            {
                var detail = e is ApiException api && api.Problem.Errors is { Count: > 0 } fields
                    ? e.Message + " (" + string.Join("; ", fields.Select(f => $"{f.Field}: {f.Message}")) + ")"
                    : e.Message;
                var message = $"step \"{step}\" failed: {detail}. Applied {applied} of {plan.Steps.Count} step(s); fix the cause and run 'nuage apply' again: it plans from the live state and completes the rest.";
                Report(plan, applied, message, null);
                return e is ApiException a ? a.ExitCode : ((CliException)e).ExitCode;
            }

            applied++;
            if (!json)
            {
                context.Output.Success("done: " + step);
            }
        }

        Report(plan, applied, null, $"Applied {applied} change(s).");
        return ExitCodes.Ok;
    }

    private async Task<bool> ConfirmAsync()
    {
        if (!context.Env.IsInteractive || json)
        {
            context.Output.Error("apply needs confirmation and nobody can answer here (standard input is not a terminal); add --yes to apply the plan (as in CI), or --dry-run to only print it");
            return false;
        }

        await context.Env.Out.WriteAsync("Apply these changes? Type 'yes' to confirm: ");
        var answer = (await context.Env.In.ReadLineAsync())?.Trim();
        if (answer is "yes" or "y")
        {
            return true;
        }

        context.Output.Error("not confirmed; nothing was changed");
        return false;
    }

    private void Report(ApplyPlan plan, int applied, string? failure, string? success)
    {
        if (json)
        {
            var lines = plan.Steps.Select((s, i) => new PlanLineDto(s.Action, s.Target, s.Detail, i < applied)).ToList();
            context.Output.Json(new ApplyResultDto(plan.Steps.Count == 0, lines, applied, failure is null ? [] : [failure], plan.Notes), ManifestJson.Default.ApplyResultDto);
            return;
        }

        if (failure is not null)
        {
            context.Output.Error(failure);
        }
        else if (success is not null)
        {
            context.Output.Success(success);
        }
    }
}
