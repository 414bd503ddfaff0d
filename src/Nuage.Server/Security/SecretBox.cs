using System.Security.Cryptography;
using System.Text;

namespace Nuage.Server.Security;

/// <summary>
/// Seals values at rest with AES-256-GCM under the data directory's <c>secret.key</c>.
/// Layout: version byte (1) | 12-byte nonce | 16-byte tag | ciphertext. The associated data binds a value to its
/// app and name, so a sealed value copied to another row does not open.
/// </summary>
public sealed class SecretBox
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretBox(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("secret.key must hold exactly 32 bytes.", nameof(key));
        }

        _key = key;
    }

    public byte[] Seal(string plaintext, string context)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedValue = new byte[1 + NonceSize + TagSize + data.Length];
        sealedValue[0] = Version;
        var nonce = sealedValue.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, data, sealedValue.AsSpan(1 + NonceSize + TagSize), sealedValue.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        return sealedValue;
    }

    public string Open(byte[] sealedValue, string context)
    {
        if (sealedValue.Length < 1 + NonceSize + TagSize || sealedValue[0] != Version)
        {
            throw new CryptographicException("Unknown sealed value format.");
        }

        var plaintext = new byte[sealedValue.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(
            sealedValue.AsSpan(1, NonceSize),
            sealedValue.AsSpan(1 + NonceSize + TagSize),
            sealedValue.AsSpan(1 + NonceSize, TagSize),
            plaintext,
            Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(plaintext);
    }
}
