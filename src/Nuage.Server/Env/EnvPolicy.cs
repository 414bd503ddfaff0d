using Nuage.Core.Apps;
using Nuage.Core.Env;
using Nuage.Core.Errors;
using Nuage.Core.Variables;

namespace Nuage.Server.Env;

/// <summary>
/// What may be stored as a variable: the shape rules every variable obeys, then the deployment-variable
/// registry's typed rules. Collects every error at once; returns warnings (did-you-mean, unsupported) to show.
/// </summary>
internal sealed class EnvPolicy(VariableValidator validator)
{
    /// <summary>Problem code of a change that would make the app's variables too large in total.</summary>
    public const string TooLargeCode = ErrorCodes.EnvTooLarge;

    public IReadOnlyList<string> Check(AppConfig app, IReadOnlyDictionary<string, string?> changes)
    {
        var errors = new List<FieldError>();
        var wellFormed = new List<KeyValuePair<string, string>>();
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
            else
            {
                wellFormed.Add(new(name, value!));
            }
        }

        var typed = validator.ValidateChanges(app.Runtime, wellFormed);
        errors.AddRange(typed.Errors);
        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidVariable, errors);
        }

        return typed.WarningLines;
    }

    /// <summary>Refuses a change after which the app's variables pass <see cref="EnvNames.MaxTotalBytes"/> (code <see cref="TooLargeCode"/>).</summary>
    public static void CheckTotal(IReadOnlyDictionary<string, string> after, string? changed)
    {
        if (EnvNames.CheckTotal(after, changed) is { } error)
        {
            throw NuageException.Invalid(TooLargeCode, [error]);
        }
    }

    /// <summary>User variables may hold credentials: they are redacted for viewers unless the registry knows them as harmless.</summary>
    public bool IsSecret(string name) => validator.Registry.IsSecret(name);
}
