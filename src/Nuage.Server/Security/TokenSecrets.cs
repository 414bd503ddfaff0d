using System.Security.Cryptography;
using System.Text;

namespace Nuage.Server.Security;

/// <summary>Token secrets: 32 random bytes, shown once; only their SHA-256 is stored.</summary>
public static class TokenSecrets
{
    public const string Prefix = "nuage_";

    public static string NewSecret() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
