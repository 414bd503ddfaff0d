using System.Security.Cryptography;

namespace Nuage.Server.Addons;

/// <summary>Random add-on passwords: 32 letters and digits (about 190 bits), so no client or config needs to quote them.</summary>
internal static class AddonCredentials
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewPassword() => RandomNumberGenerator.GetString(Alphabet, 32);
}
