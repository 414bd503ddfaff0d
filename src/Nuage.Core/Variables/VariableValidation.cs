using Nuage.Core.Errors;

namespace Nuage.Core.Variables;

/// <summary>The outcome of a validation: every error and every warning, never only the first.</summary>
public sealed record VariableValidation(IReadOnlyList<FieldError> Errors, IReadOnlyList<VariableWarning> Warnings)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>Each error as a user-facing line (<c>NAME: message</c>).</summary>
    public IReadOnlyList<string> ErrorLines => [.. Errors.Select(e => e.ToLine())];

    public IReadOnlyList<string> WarningLines => [.. Warnings.Select(w => w.ToString())];

    /// <summary>Throws <see cref="NuageException"/> (Invalid, code <c>invalid_variable</c>) listing every error.</summary>
    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw NuageException.Invalid(VariableErrors.Code, Errors);
        }
    }
}
