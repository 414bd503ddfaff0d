using Nuage.Cli.Client;

namespace Nuage.Cli.Manifest;

/// <summary>What one step does, as plan lines show it: + create, ~ change, - delete.</summary>
internal static class PlanActions
{
    public const string Create = "create";
    public const string Change = "change";
    public const string Delete = "delete";

    public static char Symbol(string action) => action switch
    {
        Create => '+',
        Delete => '-',
        _ => '~',
    };
}

/// <summary>
/// One change to make. Each step is safe to run again: the plan is recomputed from the live state on every apply,
/// so a step that completed before an interruption is simply no longer in the next plan.
/// </summary>
internal sealed record PlanStep(string Action, string Target, string Detail, Func<NuageClient, CancellationToken, Task> RunAsync)
{
    public override string ToString() => $"{PlanActions.Symbol(Action)} {Target}{(Detail.Length == 0 ? string.Empty : ": " + Detail)}";
}

/// <summary>The steps that make the install match the file, and the problems that stop it from being applied.</summary>
internal sealed record ApplyPlan(IReadOnlyList<PlanStep> Steps, IReadOnlyList<ManifestError> Errors, IReadOnlyList<string> Notes)
{
    public string Summary()
    {
        var create = Steps.Count(s => s.Action == PlanActions.Create);
        var change = Steps.Count(s => s.Action == PlanActions.Change);
        var delete = Steps.Count(s => s.Action == PlanActions.Delete);
        return $"Plan: {create} to create, {change} to change, {delete} to delete.";
    }
}
