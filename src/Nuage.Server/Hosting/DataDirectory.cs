using System.Security.Cryptography;
using Nuage.Core.Auth;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Server.Security;

namespace Nuage.Server.Hosting;

/// <summary>
/// The data directory at every start: created if missing, its own mode and its secret files' modes tightened
/// whatever they were (an older install or a restored backup may have left them readable by every local user),
/// then the secret key and the initial admin token.
/// </summary>
internal static class DataDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>Files beside nuage.db that SQLite creates and that hold the same data.</summary>
    private static readonly string[] DatabaseCompanions = ["-wal", "-shm", "-journal"];

    public static void Prepare(NuagePaths paths)
    {
        Directory.CreateDirectory(paths.Root, OwnerOnlyDirectory);
        Directory.CreateDirectory(paths.Apps);
        Directory.CreateDirectory(paths.Logs);
        RestrictModes(paths);
    }

    /// <summary>
    /// The data directory 0700 (nothing under it is reachable by another local user, apps get their folders through
    /// their sandbox's mounts) and the state, key and token files 0600. Run at start and again once the database exists.
    /// Links are not followed: a link in place of one of these files is left alone (and is not ours to fix).
    /// </summary>
    public static void RestrictModes(NuagePaths paths)
    {
        SetModeUnlessLink(paths.Root, OwnerOnlyDirectory);
        foreach (var file in DatabaseCompanions.Select(suffix => paths.Database + suffix).Prepend(paths.Database).Append(paths.SecretKey).Append(paths.AdminToken))
        {
            SetModeUnlessLink(file, OwnerOnly);
        }
    }

    private static void SetModeUnlessLink(string path, UnixFileMode mode)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null && (info.Exists || Directory.Exists(path)) && File.GetUnixFileMode(path) != mode)
        {
            File.SetUnixFileMode(path, mode);
        }
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
            new StoredToken(TokenSecrets.NewId(), TokenSecrets.Hash(secret), Role.Admin, "initial admin token", time.GetUtcNow(), null, null) { IsOperator = true },
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
