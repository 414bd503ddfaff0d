using System.Security.Cryptography;
using Nuage.Server.Logs;
using Nuage.Server.Security;

namespace Nuage.Server.Tests.Logs;

public sealed class SealedDrainSecretsTests
{
    private readonly SealedDrainSecrets _secrets = new(new SecretBox(RandomNumberGenerator.GetBytes(32)));

    [Fact]
    public void Protect_ThenUnprotect_GivesThePlaintextBack_AndStoresNoPlaintext()
    {
        var sealedValue = _secrets.Protect("hunter2", "drain:d1:password");

        Assert.StartsWith("sealed1:", sealedValue, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", sealedValue, StringComparison.Ordinal);
        Assert.Equal("hunter2", _secrets.Unprotect(sealedValue, "drain:d1:password"));
    }

    [Fact]
    public void Unprotect_InAnotherContext_Fails()
    {
        var sealedValue = _secrets.Protect("hunter2", "drain:d1:password");

        Assert.ThrowsAny<CryptographicException>(() => _secrets.Unprotect(sealedValue, "drain:d2:password"));
    }

    [Fact]
    public void Unprotect_ValueWrittenBeforeSealing_IsReturnedAsIs() =>
        Assert.Equal("old-plaintext", _secrets.Unprotect("old-plaintext", "drain:d1:token"));
}
