using System.Text;

namespace Nuage.Logs.Formatting;

/// <summary>
/// Remembers the UTF-8 form of the last value seen (after a transform such as escaping). Log records of a drain
/// batch mostly repeat the same app, instance and deployment, so this saves the work for all but the first.
/// </summary>
internal sealed class Utf8Cache
{
    private string? _value;
    private byte[] _utf8 = [];
    private bool _filled;

    public ReadOnlySpan<byte> Get(string? value, Func<string, string> transform)
    {
        if (!_filled || !string.Equals(value, _value, StringComparison.Ordinal))
        {
            _utf8 = Encoding.UTF8.GetBytes(transform(value ?? ""));
            _value = value;
            _filled = true;
        }

        return _utf8;
    }
}
