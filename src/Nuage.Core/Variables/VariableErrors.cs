using Nuage.Core.Errors;

namespace Nuage.Core.Variables;

/// <summary>The error texts of the variable engine, in one place so every path words them the same way.</summary>
public static class VariableErrors
{
    /// <summary>Stable API error code for refused variables (HTTP 422 / exit 2).</summary>
    public const string Code = ErrorCodes.InvalidVariable;

    public const string Empty = "defined but empty";

    private const int ShownValueLength = 80;

    /// <summary>The line shown to users: <c>CC_WORKER_RESTART: "sometimes" is not accepted; use one of: always, on-failure, no</c>.</summary>
    public static string ToLine(this FieldError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"{error.Field}: {error.Message}";
    }

    internal static string NotAccepted(string raw, string accepted) => $"{Quote(raw)} is not accepted; use {accepted}";

    internal static string ReadOnly(string raw) =>
        $"{Quote(raw)} cannot be set; the platform injects this variable into each instance";

    internal const string InvalidName = "not a valid variable name; use letters, digits and _, not starting with a digit";

    internal static string RequiredWhen(string other, string value) => $"required when {other} is {value}";

    internal static string Quote(string raw)
    {
        var shown = raw.Length > ShownValueLength ? raw[..ShownValueLength] + "…" : raw;
        return "\"" + shown.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
