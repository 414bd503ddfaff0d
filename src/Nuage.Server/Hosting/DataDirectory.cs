using System.Security.Cryptography;
using Nuage.Core.Auth;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Server.Security;

namespace Nuage.Server.Hosting;

/// <summary>First-start initialisation of the data directory: secret key and the initial admin token.</summary>
internal static class DataDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Prepare(NuagePaths paths)
    {
        Directory.CreateDirectory(paths.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(paths.Apps);
        Directory.CreateDirectory(paths.Logs);
    }

    public static byte[] LoadOrCreateKey(NuagePaths paths)
    {
        if (File.Exists(paths.SecretKey))
        {
            var key = File.ReadAllBytes(paths.SecretKey);
            if (key.Length != 32)
            {
                throw new InvalidOperationException(
                    $"{paths.SecretKey} holds {key.Length} bytes, expected 32. Restore it from a backup; without it stored secrets cannot be read.");
            }

            return key;
        }

        var created = RandomNumberGenerator.GetBytes(32);
        WriteOwnerOnly(paths.SecretKey, created);
        return created;
    }

    /// <summary>Creates the first admin token when the store has none; returns its secret to print once.</summary>
    public static async Task<string?> EnsureAdminTokenAsync(NuagePaths paths, IStateStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if ((await store.Tokens.ListAsync(cancellationToken)).Count > 0)
        {
            return null;
        }

        var secret = TokenSecrets.NewSecret();
        await store.Tokens.CreateAsync(
            new StoredToken(TokenSecrets.NewId(), TokenSecrets.Hash(secret), Role.Admin, "initial admin token", time.GetUtcNow(), null, null),
            cancellationToken);
        WriteOwnerOnly(paths.AdminToken, System.Text.Encoding.UTF8.GetBytes(secret + "\n"));
        return secret;
    }

    private static void WriteOwnerOnly(string path, byte[] content)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnly,
        });
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
