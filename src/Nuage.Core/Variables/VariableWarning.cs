namespace Nuage.Core.Variables;

/// <summary>An accepted variable the user should know about (unknown, unsupported, deprecated, wrong runtime).</summary>
/// <param name="Field">The variable name as written.</param>
/// <param name="Message">What it means for the user, e.g. "not a Nuage variable; did you mean CC_PHP_VERSION?".</param>
/// <param name="Suggestion">The registered name the user probably meant, when there is one.</param>
public sealed record VariableWarning(string Field, string Message, string? Suggestion = null)
{
    /// <summary>The line shown to users: <c>NAME: message</c>.</summary>
    public override string ToString() => $"{Field}: {Message}";
}
