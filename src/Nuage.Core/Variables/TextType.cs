using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Nuage.Core.Variables;

/// <summary>Non-empty text (a command, a name…), with an optional pattern and a maximum length.</summary>
public sealed class TextType : VariableType<string>
{
    public const int DefaultMaxLength = 4096;

    public TextType(int maxLength = DefaultMaxLength, string? pattern = null, string? patternMeaning = null)
    {
        if ((pattern is null) != (patternMeaning is null))
        {
            throw new ArgumentException("A pattern needs a meaning for error messages, and the other way round.", nameof(patternMeaning));
        }

        MaxLength = maxLength;
        Pattern = pattern;
        PatternMeaning = patternMeaning;
        _regex = pattern is null ? null : new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private readonly Regex? _regex;

    /// <summary>Any non-empty text up to <see cref="DefaultMaxLength"/> characters.</summary>
    public static TextType Any { get; } = new();

    public int MaxLength { get; }

    /// <summary>An ECMAScript-compatible regular expression the whole trimmed value must match.</summary>
    public string? Pattern { get; }

    /// <summary>The pattern in words, e.g. "a URL path starting with /".</summary>
    public string? PatternMeaning { get; }

    public override VariableKind Kind => VariableKind.Text;

    public override string AcceptedForDocs => PatternMeaning is null
        ? $"text of at most {MaxLength} characters"
        : $"{PatternMeaning}, at most {MaxLength} characters";

    public override string Accepted(HostVersions versions) => AcceptedForDocs;

    public override bool TryParse(string trimmed, HostVersions versions, out string value)
    {
        value = trimmed;
        return trimmed.Length <= MaxLength && (_regex is null || _regex.IsMatch(trimmed));
    }

    public override string Format(string value) => value;

    internal override void DescribeSchema(JsonObject property, HostVersions versions)
    {
        property["type"] = "string";
        property["minLength"] = 1;
        property["maxLength"] = MaxLength;
        if (Pattern is not null)
        {
            property["pattern"] = Pattern;
        }
    }
}
