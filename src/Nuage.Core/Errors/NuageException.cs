namespace Nuage.Core.Errors;

/// <summary>
/// A failure the user can act on. <see cref="Code"/> is stable (documented, relied on by clients);
/// <see cref="Message"/> is human-readable and names the value and the fix.
/// </summary>
public sealed class NuageException : Exception
{
    public NuageException(ErrorKind kind, string code, string message, IReadOnlyList<FieldError>? errors = null)
        : base(message)
    {
        Kind = kind;
        Code = code;
        Errors = errors ?? [];
    }

    public ErrorKind Kind { get; }

    public string Code { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    public static NuageException Invalid(string code, IReadOnlyList<FieldError> errors) =>
        new(ErrorKind.Invalid, code, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);

    /// <summary>Throws one invalid-input error listing every entry of <paramref name="errors"/>; nothing when it is empty.</summary>
    public static void ThrowIfInvalid(string code, IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw Invalid(code, errors);
        }
    }

    public static NuageException Invalid(string field, string? value, string message) =>
        Invalid(ErrorCodes.InvalidInput, [new FieldError(field, value, message)]);

    public static NuageException NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    public static NuageException Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    public static NuageException Forbidden(string message) => new(ErrorKind.Forbidden, ErrorCodes.Forbidden, message);

    public static NuageException Unauthorized(string message) => new(ErrorKind.Unauthorized, ErrorCodes.Unauthorized, message);
}
