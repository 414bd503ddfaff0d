using System.Text;
using Nuage.Core.Errors;

namespace Nuage.Core.Env;

/// <summary>
/// Parses dotenv text: <c>NAME=value</c>, optional <c>export </c>, comments, blank lines, single quotes (literal)
/// and double quotes (with \n, \", \\ escapes, may span lines). All bad lines are reported, with their numbers.
/// </summary>
public static class DotenvParser
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add(new FieldError($"line {lineNumber}", lines[i], "expected NAME=value"));
                continue;
            }

            var name = line[..equals].Trim();
            if (EnvNames.CheckName(name) is { } nameError)
            {
                errors.Add(nameError with { Field = $"line {lineNumber}" });
                continue;
            }

            var raw = line[(equals + 1)..].TrimStart();
            var (value, error, consumed) = ReadValue(raw, lines, i);
            if (error is not null)
            {
                errors.Add(new FieldError($"line {lineNumber}", lines[i], error));
                continue;
            }

            i += consumed;
            values[name] = value!;
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidDotenv, errors);
        }

        return values;
    }

    private static (string? Value, string? Error, int ExtraLines) ReadValue(string raw, string[] lines, int index)
    {
        if (raw.StartsWith('\''))
        {
            var end = raw.IndexOf('\'', 1);
            return end < 0 ? (null, "unterminated single quote", 0) : (raw[1..end], null, 0);
        }

        if (!raw.StartsWith('"'))
        {
            var comment = raw.IndexOf(" #", StringComparison.Ordinal);
            return ((comment >= 0 ? raw[..comment] : raw).TrimEnd(), null, 0);
        }

        var builder = new StringBuilder();
        var text = raw[1..];
        for (var extra = 0; ; extra++)
        {
            for (var j = 0; j < text.Length; j++)
            {
                var c = text[j];
                if (c == '"')
                {
                    return (builder.ToString(), null, extra);
                }

                if (c == '\\' && j + 1 < text.Length)
                {
                    j++;
                    builder.Append(text[j] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                    continue;
                }

                builder.Append(c);
            }

            if (index + extra + 1 >= lines.Length)
            {
                return (null, "unterminated double quote", 0);
            }

            builder.Append('\n');
            text = lines[index + extra + 1];
        }
    }
}
