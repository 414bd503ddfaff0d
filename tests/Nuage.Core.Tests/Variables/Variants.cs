using System.Text;

namespace Nuage.Core.Tests.Variables;

/// <summary>Deterministic property-style inputs: random casings and surrounding whitespace of a token (seeded).</summary>
internal static class Variants
{
    private static readonly string[] Spaces = ["", " ", "  ", "\t", " \t ", "\n", "\r\n"];

    public static IEnumerable<string> Of(string token, int count = 40, int seed = 20261127)
    {
        // string.GetHashCode is randomised per process; a sum of the characters keeps the runs reproducible.
        var random = new Random(seed + token.Sum(c => c));
        yield return token;
        yield return token.ToUpperInvariant();
        for (var i = 0; i < count; i++)
        {
            var cased = new StringBuilder(token.Length);
            foreach (var c in token)
            {
                cased.Append(random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            }

            yield return Spaces[random.Next(Spaces.Length)] + cased + Spaces[random.Next(Spaces.Length)];
        }
    }
}
