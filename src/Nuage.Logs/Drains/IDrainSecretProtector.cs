namespace Nuage.Logs.Drains;

/// <summary>
/// Seals drain credentials (password, token) before drains.db stores them and opens them when drains are loaded.
/// <paramref name="context"/> names the drain and field, so a sealed value copied to another row does not open.
/// </summary>
public interface IDrainSecretProtector
{
    string Protect(string plaintext, string context);

    string Unprotect(string stored, string context);
}

/// <summary>Stores credentials as given; only for tests and tools that own the file themselves.</summary>
public sealed class PlaintextDrainSecrets : IDrainSecretProtector
{
    public static PlaintextDrainSecrets Instance { get; } = new();

    public string Protect(string plaintext, string context) => plaintext;

    public string Unprotect(string stored, string context) => stored;
}
