using System.Text;
using Nuage.Core.Apps;

namespace Nuage.Core.Variables;

/// <summary>
/// Renders the variables reference (<c>docs/variables.md</c>) from the registry. Host-independent (version
/// variables say "installed on the host"), deterministic, so the committed file can be checked for staleness.
/// </summary>
public static class VariableDocs
{
    public static string Render(VariableRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var text = new StringBuilder();
        text.Append("""
            # Deployment variables

            <!-- Generated from the registry in src/Nuage.Core/Variables/KnownVariables*.cs. Do not edit by hand:
                 run `NUAGE_UPDATE_GOLDEN=1 dotnet test tests/Nuage.Core.Tests --filter VariableDocsTests` to regenerate. -->

            Apps are configured with environment variables, named as on Clever Cloud so apps move over unchanged.
            Nuage checks them when you set them (`nuage env set`, `nuage env import`, the API) and again, all at once,
            before each deployment does any work. A bad value is refused with a line such as
            `CC_WORKER_RESTART: "sometimes" is not accepted; use one of: always, on-failure, no`;
            a variable set to nothing is refused with `NAME: defined but empty`.

            Values are trimmed; tokens (booleans, choices) are case-insensitive. Booleans accept
            `1 true yes on enable enabled` and `0 false no off disable disabled`; a *disabler* (a variable whose name
            means "disable X") reads `disable`/`disabled` as true and refuses `enable`/`enabled`.
            An *indexed* variable also exists as `NAME_0`, `NAME_1` … `NAME_999`.

            Unknown `CC_` names are accepted with a warning (and a suggestion when a known name is close); your own
            variables are passed to the app unchanged and treated as secrets. Run `nuage variables` to list these from
            the command line; `/v1/variables/schema` serves the same as a JSON Schema.

            """);

        var all = registry.All;
        var supported = all.Where(d => d.Status == VariableStatus.Supported && !d.ReadOnly).ToList();
        Section(text, "Common to every runtime", supported.Where(d => d.Runtimes.Count == 0));
        foreach (var runtime in Runtimes.All)
        {
            Section(text, $"Runtime: {runtime}", supported.Where(d => d.Runtimes.Contains(runtime)));
        }

        Section(text, "Set by the platform (read-only)", all.Where(d => d.ReadOnly),
            "Injected into each instance; setting them is refused.");
        UnsupportedSection(text, all.Where(d => d.Status == VariableStatus.RecognisedUnsupported && !d.ReadOnly).ToList());
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IEnumerable<VariableDefinition> definitions, string? intro = null)
    {
        var list = definitions.ToList();
        if (list.Count == 0)
        {
            return;
        }

        text.Append("\n## ").Append(title).Append("\n\n");
        if (intro is not null)
        {
            text.Append(intro).Append("\n\n");
        }

        text.Append("| Name | Type | Default | Accepted | Description |\n|---|---|---|---|---|\n");
        foreach (var d in list)
        {
            var name = d.Indexed ? $"`{d.Name}`, `{d.Name}_N`" : $"`{d.Name}`";
            var aliases = d.DeprecatedAliases.Count == 0 ? "" : $" (deprecated alias: {string.Join(", ", d.DeprecatedAliases.Select(a => $"`{a}`"))})";
            var defaultText = d.DefaultText is { } value ? $"`{value}`" : d.WhenUnset is { } unset ? $"unset: {unset}" : "";
            var description = d.Secret ? d.Description + " Secret." : d.Description;
            text.Append("| ").Append(name).Append(aliases)
                .Append(" | ").Append(d.Type.Kind.ToString().ToLowerInvariant())
                .Append(" | ").Append(Cell(defaultText))
                .Append(" | ").Append(Cell(d.Type.AcceptedForDocs))
                .Append(" | ").Append(Cell(description))
                .Append(" |\n");
        }
    }

    private static void UnsupportedSection(StringBuilder text, List<VariableDefinition> list)
    {
        text.Append("\n## Recognised, not supported yet\n\n")
            .Append("Known Clever Cloud variables that Nuage accepts (with a warning) but does not act on yet.\n\n")
            .Append("| Name | Applies to | Description |\n|---|---|---|\n");
        foreach (var d in list.OrderBy(d => d.Runtimes.Count == 0 ? "" : d.Runtimes[0], StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal))
        {
            var name = d.Indexed ? $"`{d.Name}`, `{d.Name}_N`" : $"`{d.Name}`";
            var aliases = d.DeprecatedAliases.Count == 0 ? "" : $" (deprecated alias: {string.Join(", ", d.DeprecatedAliases.Select(a => $"`{a}`"))})";
            var runtimes = d.Runtimes.Count == 0 ? "all" : string.Join(", ", d.Runtimes);
            var description = d.Secret ? d.Description + " Secret." : d.Description;
            text.Append("| ").Append(name).Append(aliases).Append(" | ").Append(runtimes).Append(" | ").Append(Cell(description)).Append(" |\n");
        }
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
