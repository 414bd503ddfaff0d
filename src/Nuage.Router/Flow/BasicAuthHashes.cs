using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nuage.Router.Flow;

/// <summary>
/// Password hashes of basic-auth users: PBKDF2-HMAC-SHA256, 16-byte random salt, 32-byte output, written
/// <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64). Only the hash is stored; comparison is constant-time.
/// </summary>
public static class BasicAuthHashes
{
    public const string Scheme = "pbkdf2-sha256";
    public const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${Iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether <paramref name="stored"/> is a hash this class can verify.</summary>
    public static bool IsWellFormed(string? stored) => Parse(stored) is not null;

    /// <summary>Derives from <paramref name="password"/> with the stored salt and iterations and compares in constant time.</summary>
    public static bool Verify(string password, string stored)
    {
        if (Parse(stored) is not { } parsed)
        {
            return false;
        }

        var derived = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), parsed.Salt, parsed.Iterations, HashAlgorithmName.SHA256, parsed.Hash.Length);
        return CryptographicOperations.FixedTimeEquals(derived, parsed.Hash);
    }

    private static (int Iterations, byte[] Salt, byte[] Hash)? Parse(string? stored)
    {
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var iterations, var salt, var hash]
            || !int.TryParse(iterations, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 10_000 or > 10_000_000)
        {
            return null;
        }

        try
        {
            var saltBytes = Convert.FromBase64String(salt);
            var hashBytes = Convert.FromBase64String(hash);
            return saltBytes.Length >= 8 && hashBytes.Length >= 16 ? (count, saltBytes, hashBytes) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
