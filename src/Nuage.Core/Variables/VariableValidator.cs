using Nuage.Core.Errors;

namespace Nuage.Core.Variables;

/// <summary>
/// The one validation engine for deployment variables, used when variables are set (API, <c>nuage env set</c>,
/// <c>env import</c>) and again on the whole configuration before each deployment. Collects every error.
/// Thread-safe; register one per process (it holds the host's detected tool versions).
/// </summary>
public sealed partial class VariableValidator
{
    public VariableValidator(VariableRegistry registry, HostVersions versions)
    {
        Registry = registry;
        Versions = versions;
    }

    public VariableRegistry Registry { get; }

    public HostVersions Versions { get; }

    /// <summary>
    /// Checks variables a user is setting: a known variable with a bad or empty value and a platform-injected
    /// variable are errors; an unknown <c>CC_</c> name (with a did-you-mean when one is close), a recognised but
    /// unsupported variable, a deprecated alias and a variable of another runtime are accepted with a warning.
    /// </summary>
    /// <param name="runtime">The app's runtime, for runtime warnings; null to skip them.</param>
    /// <param name="changes">Names and raw values, in the order given by the user.</param>
    public VariableValidation ValidateChanges(string? runtime, IEnumerable<KeyValuePair<string, string>> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var errors = new List<FieldError>();
        var warnings = new List<VariableWarning>();
        foreach (var (name, raw) in changes)
        {
            Check(runtime, name, raw, errors, warnings);
        }

        return new VariableValidation(errors, warnings);
    }

    /// <summary>
    /// Checks an app's whole effective configuration before a deployment does any work: every rule of
    /// <see cref="ValidateChanges"/> plus the rules between variables (e.g. <c>CC_NODE_BUILD_TOOL=custom</c> needs
    /// <c>CC_CUSTOM_BUILD_TOOL</c>). Pass the user-set variables only, not the platform-injected ones.
    /// </summary>
    public VariableValidation ValidateEffective(string? runtime, IReadOnlyDictionary<string, string> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var errors = new List<FieldError>();
        var warnings = new List<VariableWarning>();
        foreach (var (name, raw) in env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Check(runtime, name, raw, errors, warnings);
        }

        if (errors.Count == 0)
        {
            CheckCombinations(runtime, Read(env), errors);
        }

        return new VariableValidation(errors, warnings);
    }

    /// <summary>Reads the typed settings of a configuration; throws <see cref="NuageException"/> listing every error if any value is invalid.</summary>
    public AppSettings ReadSettings(IReadOnlyDictionary<string, string> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var errors = new List<FieldError>();
        foreach (var (name, raw) in env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (Registry.Find(name) is { } match && !match.Definition.ReadOnly)
            {
                ParseValue(match, raw, out var error);
                if (error is not null)
                {
                    errors.Add(error);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(VariableErrors.Code, errors);
        }

        return Read(env);
    }

    private AppSettings Read(IReadOnlyDictionary<string, string> env)
    {
        var values = new Dictionary<VariableDefinition, List<(int Order, object Value)>>();
        foreach (var (name, raw) in env)
        {
            if (Registry.Find(name) is not { } match || match.Definition.ReadOnly || ParseValue(match, raw, out _) is not { } value)
            {
                continue;
            }

            // Order: primary bare name, then indexed members by number; an alias only counts when the primary is absent.
            var order = match.IsAlias ? int.MaxValue : match.Index ?? -1;
            if (!values.TryGetValue(match.Definition, out var list))
            {
                values[match.Definition] = list = [];
            }

            list.Add((order, value));
        }

        return new AppSettings(values.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyList<object>)[.. FilterAliases(kv.Value).OrderBy(v => v.Order).Select(v => v.Value)]));

        static IEnumerable<(int Order, object Value)> FilterAliases(List<(int Order, object Value)> entries) =>
            entries.Any(e => e.Order != int.MaxValue) ? entries.Where(e => e.Order != int.MaxValue) : entries;
    }

    private void Check(string? runtime, string name, string? raw, List<FieldError> errors, List<VariableWarning> warnings)
    {
        raw ??= "";
        if (!VariableRegistry.NamePattern().IsMatch(name))
        {
            errors.Add(new FieldError(name, raw, VariableErrors.InvalidName));
            return;
        }

        if (Registry.Find(name) is not { } match)
        {
            WarnUnknown(name, warnings);
            return;
        }

        var definition = match.Definition;
        if (definition.ReadOnly)
        {
            errors.Add(new FieldError(name, raw, VariableErrors.ReadOnly(raw)));
            return;
        }

        ParseValue(match, raw, out var error);
        if (error is not null)
        {
            errors.Add(error);
        }

        if (match.IsAlias)
        {
            warnings.Add(new VariableWarning(name, $"deprecated name; use {definition.Name} instead", definition.Name));
        }

        if (definition.Status == VariableStatus.RecognisedUnsupported)
        {
            warnings.Add(new VariableWarning(name, "recognised Clever Cloud variable that Nuage does not support yet; it has no effect"));
        }
        else if (runtime is not null && !definition.AppliesTo(runtime))
        {
            warnings.Add(new VariableWarning(name, $"applies to {string.Join(", ", definition.Runtimes)} apps only; it has no effect on a {runtime} app"));
        }
    }

    private void WarnUnknown(string name, List<VariableWarning> warnings)
    {
        var looksLikePlatform = name.StartsWith("CC_", StringComparison.OrdinalIgnoreCase);
        var suggestion = Registry.Suggest(name);
        if (looksLikePlatform || (suggestion is not null && string.Equals(suggestion, name, StringComparison.OrdinalIgnoreCase)))
        {
            warnings.Add(suggestion is null
                ? new VariableWarning(name, "not a Nuage variable; it is passed to the app unchanged")
                : new VariableWarning(name, $"not a Nuage variable; did you mean {suggestion}?", suggestion));
        }
    }

    /// <summary>Parses one raw value; returns the typed value, or null with <paramref name="error"/> set.</summary>
    private object? ParseValue(VariableMatch match, string raw, out FieldError? error)
    {
        var trimmed = raw.Trim();
        if (trimmed.Length == 0)
        {
            error = new FieldError(match.Name, raw, VariableErrors.Empty);
            return null;
        }

        var type = match.Definition.Type;
        if (type.TryParseBoxed(trimmed, Versions, out var value) && value is not null)
        {
            error = null;
            return value;
        }

        error = new FieldError(match.Name, raw, VariableErrors.NotAccepted(raw, type.Accepted(Versions)));
        return null;
    }

    private static void CheckCombinations(string? runtime, AppSettings settings, List<FieldError> errors)
    {
        if (KnownVariables.NodeBuildTool.AppliesTo(runtime)
            && settings.NodeBuildTool == NodeBuildTool.Custom && settings.CustomBuildTool is null)
        {
            errors.Add(new FieldError(KnownVariables.CustomBuildTool.Name, null,
                VariableErrors.RequiredWhen(KnownVariables.NodeBuildTool.Name, KnownVariables.NodeBuildTool.TypedType.Format(NodeBuildTool.Custom))));
        }
    }
}
