using Nuage.Logs.Drains;
using Nuage.Server.Security;

namespace Nuage.Server.Logs;

/// <summary>Drain credentials sealed with the data directory's secret.key (AES-256-GCM), stored as <c>sealed1:BASE64</c>.</summary>
internal sealed class SealedDrainSecrets(SecretBox box) : IDrainSecretProtector
{
    private const string Prefix = "sealed1:";

    public string Protect(string plaintext, string context) => Prefix + Convert.ToBase64String(box.Seal(plaintext, context));

    /// <summary>Values without the prefix were written before sealing existed and are returned as they are.</summary>
    public string Unprotect(string stored, string context) =>
        stored.StartsWith(Prefix, StringComparison.Ordinal) ? box.Open(Convert.FromBase64String(stored[Prefix.Length..]), context) : stored;
}
