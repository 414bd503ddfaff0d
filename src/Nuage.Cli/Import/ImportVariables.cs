using Nuage.Cli.Manifest;
using Nuage.Core.Variables;

namespace Nuage.Cli.Import;

/// <summary>
/// Runs imported variables through the registry the server uses: values it refuses and variables Nuage recognises
/// but does not act on are reported instead of set; warnings (did-you-mean) are reported beside the carried value.
/// </summary>
internal static class ImportVariables
{
    private static readonly VariableValidator Validator = new(VariableRegistry.Default, HostVersions.None);

    public static List<KeyValuePair<string, VariableSpec>> Check(string runtime, IEnumerable<KeyValuePair<string, string>> variables, ImportReport report)
    {
        var carried = new List<KeyValuePair<string, VariableSpec>>();
        foreach (var (name, value) in variables)
        {
            var match = VariableRegistry.Default.Find(name);
            if (match?.Definition.Status == VariableStatus.RecognisedUnsupported)
            {
                report.Skip($"variable {name}", $"a Clever Cloud setting Nuage does not act on yet ({match.Definition.Description}); 'nuage variables {name}' shows its status, set it later with 'nuage env set' if you still need it");
                continue;
            }

            var check = Validator.ValidateChanges(runtime, [new(name, value)]);
            if (!check.IsValid)
            {
                report.Skip($"variable {name}", string.Join("; ", check.Errors.Select(e => e.Message)) + "; fix the value and set it with 'nuage env set'");
                continue;
            }

            foreach (var warning in check.Warnings)
            {
                report.Carry($"variable {name} (warning: {warning.Message})");
            }

            if (check.Warnings.Count == 0)
            {
                report.Carry($"variable {name}");
            }

            carried.Add(new(name, VariableSpec.Literal(value)));
        }

        return carried;
    }
}
