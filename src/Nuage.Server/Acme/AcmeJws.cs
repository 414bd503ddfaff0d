using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nuage.Server.Acme;

/// <summary>
/// The account key and JSON Web Signatures of RFC 8555 §6.2: ES256 (P-256, SHA-256) in the flattened JSON
/// serialization, with the JWK (RFC 7517) and its RFC 7638 thumbprint used in key authorizations.
/// </summary>
internal sealed class AcmeJws(ECDsa key) : IDisposable
{
    public ECDsa Key => key;

    /// <summary>A fresh P-256 account key.</summary>
    public static AcmeJws Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The key from its PKCS#8 PEM (as stored, sealed).</summary>
    public static AcmeJws FromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new AcmeJws(key);
    }

    public string ExportPem() => key.ExportPkcs8PrivateKeyPem();

    /// <summary>The public JWK with its members in the lexicographic order RFC 7638 requires for the thumbprint.</summary>
    public string JwkJson
    {
        get
        {
            var p = key.ExportParameters(includePrivateParameters: false);
            return $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url(p.Q.X!)}\",\"y\":\"{Base64Url(p.Q.Y!)}\"}}";
        }
    }

    /// <summary>RFC 7638 thumbprint (base64url SHA-256 of the canonical JWK).</summary>
    public string Thumbprint => Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(JwkJson)));

    /// <summary>HTTP-01 key authorization: <c>token.thumbprint</c> (RFC 8555 §8.1).</summary>
    public string KeyAuthorization(string token) => $"{token}.{Thumbprint}";

    /// <summary>
    /// A flattened JWS over <paramref name="payload"/> (null for POST-as-GET: the empty payload). Signed with the
    /// account URL as <c>kid</c>, or with the JWK itself before the account exists (newAccount).
    /// </summary>
    public byte[] Sign(string url, string nonce, string? accountUrl, string? payload)
    {
        using var header = new MemoryStream();
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", "ES256");
            if (accountUrl is null)
            {
                writer.WritePropertyName("jwk");
                writer.WriteRawValue(JwkJson);
            }
            else
            {
                writer.WriteString("kid", accountUrl);
            }

            writer.WriteString("nonce", nonce);
            writer.WriteString("url", url);
            writer.WriteEndObject();
        }

        var protectedPart = Base64Url(header.ToArray());
        var payloadPart = payload is null ? "" : Base64Url(Encoding.UTF8.GetBytes(payload));
        // ECDsa signs in IEEE P1363 form (R || S, 64 bytes for P-256), exactly what JWS ES256 expects (RFC 7518 §3.4).
        var signature = key.SignData(Encoding.ASCII.GetBytes($"{protectedPart}.{payloadPart}"), HashAlgorithmName.SHA256);
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["protected"] = protectedPart,
            ["payload"] = payloadPart,
            ["signature"] = Base64Url(signature),
        });
    }

    public static string Base64Url(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => key.Dispose();
}
