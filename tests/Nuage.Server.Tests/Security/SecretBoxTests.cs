using System.Security.Cryptography;
using Nuage.Server.Security;

namespace Nuage.Server.Tests.Security;

public sealed class SecretBoxTests
{
    private readonly SecretBox _box = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void SealThenOpen_WithSameContext_ReturnsThePlaintext()
    {
        var sealedValue = _box.Seal("s3cret ünïcode", "env:app_1:A");

        Assert.Equal("s3cret ünïcode", _box.Open(sealedValue, "env:app_1:A"));
    }

    [Fact]
    public void Seal_SameValueTwice_GivesDifferentCiphertexts()
    {
        Assert.NotEqual(_box.Seal("x", "c"), _box.Seal("x", "c"));
    }

    [Fact]
    public void Open_WithAnotherContext_Fails()
    {
        var sealedValue = _box.Seal("value", "env:app_1:A");

        Assert.ThrowsAny<CryptographicException>(() => _box.Open(sealedValue, "env:app_2:A"));
    }

    [Fact]
    public void Open_Tampered_Fails()
    {
        var sealedValue = _box.Seal("value", "c");
        sealedValue[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => _box.Open(sealedValue, "c"));
    }

    [Fact]
    public void Open_WithAnotherKey_Fails()
    {
        var other = new SecretBox(RandomNumberGenerator.GetBytes(32));

        Assert.ThrowsAny<CryptographicException>(() => other.Open(_box.Seal("value", "c"), "c"));
    }

    [Fact]
    public void TokenHash_IsStableHexSha256_AndSecretsAreUnique()
    {
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", TokenSecrets.Hash("hello"));
        Assert.NotEqual(TokenSecrets.NewSecret(), TokenSecrets.NewSecret());
        Assert.StartsWith("nuage_", TokenSecrets.NewSecret(), StringComparison.Ordinal);
    }
}
