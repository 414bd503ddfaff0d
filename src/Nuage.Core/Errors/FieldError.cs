namespace Nuage.Core.Errors;

/// <summary>One rejected input: which field, what was received, and what would be accepted.</summary>
public sealed record FieldError(string Field, string? Value, string Message);
