using Nuage.Core.Apps;
using Nuage.Core.Env;
using Nuage.Core.Errors;

namespace Nuage.Server.Env;

/// <summary>
/// What may be stored as a variable: the shape rules every variable obeys. Collects every error at once;
/// returns warnings for accepted-but-noteworthy values.
/// </summary>
public sealed class EnvPolicy
{
    public IReadOnlyList<string> Check(AppConfig app, IReadOnlyDictionary<string, string?> changes)
    {
        var errors = new List<FieldError>();
        foreach (var (name, value) in changes)
        {
            if (EnvNames.CheckName(name) is { } nameError)
            {
                errors.Add(nameError);
            }
            else if (EnvNames.CheckValue(name, value) is { } valueError)
            {
                errors.Add(valueError);
            }
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid("invalid_variable", errors);
        }

        return [];
    }

    /// <summary>User variables may hold credentials: they are redacted for viewers unless known to be harmless.</summary>
    public bool IsSecret(string name) => true;
}
