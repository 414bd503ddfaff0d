using System.Globalization;
using Nuage.Core.Errors;

namespace Nuage.Server.Mcp;

/// <summary>
/// The limits every tool argument obeys, in one place: the JSON Schemas advertise them and <see cref="ToolArgs"/>
/// re-checks them (clients are not trusted to validate), refusing with the field, the value and what is accepted.
/// </summary>
internal static class ToolLimits
{
    public const int AppName = 63;
    public const int Id = 64;
    public const int Cursor = 200;
    public const int Search = 200;
    public const int Since = 40;
    public const int VariableName = 255;
    public const int VariableValue = 4096;
    public const int Intent = 500;
    public const int IdempotencyKey = 128;
    public const int ExternalUrl = 2048;
    public const int MaxLogLines = 500;
    public const int DefaultLogLines = 100;
    public const int MaxDeploymentsPage = 50;
    public const int DefaultDeploymentsPage = 10;
    public const int MaxAppsPage = 200;
    public const int MaxInstances = 32;
}

/// <summary>Collects argument errors of one call and throws them all at once as INVALID_ARGUMENT.</summary>
internal sealed class ToolArgs
{
    private readonly List<FieldError> _errors = [];

    public string? Text(string field, string? value, int maxLength, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                _errors.Add(new FieldError(field, null, "is required"));
            }

            return null;
        }

        if (value.Length > maxLength)
        {
            _errors.Add(new FieldError(field, Preview(value), $"is {value.Length} characters long; at most {maxLength} are accepted"));
            return null;
        }

        if (required && value.Length == 0)
        {
            _errors.Add(new FieldError(field, value, "must not be empty"));
        }

        return value;
    }

    public int Range(string field, int? value, int min, int max, int fallback)
    {
        var actual = value ?? fallback;
        if (actual < min || actual > max)
        {
            _errors.Add(new FieldError(field, actual.ToString(CultureInfo.InvariantCulture), $"use a whole number from {min} to {max}"));
        }

        return actual;
    }

    public string? OneOf(string field, string? value, IReadOnlyList<string> accepted, StringComparison comparison = StringComparison.Ordinal)
    {
        if (value is null)
        {
            return null;
        }

        var match = accepted.FirstOrDefault(a => string.Equals(a, value, comparison));
        if (match is null)
        {
            _errors.Add(new FieldError(field, Preview(value), $"\"{Preview(value)}\" is not accepted; use one of: {string.Join(", ", accepted)}"));
        }

        return match;
    }

    public void Add(string field, string? value, string message) => _errors.Add(new FieldError(field, value is null ? null : Preview(value), message));

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidArgument, _errors);
        }
    }

    private static string Preview(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
