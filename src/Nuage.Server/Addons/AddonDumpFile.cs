using System.Text;
using Nuage.Core.Addons;
using Nuage.Core.Errors;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>The kinds of dump file <c>nuage addon import NAME --from FILE</c> accepts, told apart by their first bytes.</summary>
internal enum AddonDumpFormat
{
    /// <summary>pg_dump -Fc (starts with "PGDMP").</summary>
    PostgresCustom,

    /// <summary>Plain SQL text (pg_dump's default, mariadb-dump / mysqldump).</summary>
    Sql,

    /// <summary>A Redis RDB snapshot (starts with "REDIS" and a 4-digit version).</summary>
    RedisRdb,
}

/// <summary>
/// One dump file uploaded for an import: where the server saved it (a root-only scratch folder), its format, and the
/// name the client gave it (for messages). The rest is as for a live import.
/// </summary>
internal sealed record AddonFileImportJob(
    AddonRecord Addon, string Host, int Port, string Password, string File, string Display, AddonDumpFormat Format, string ScratchDirectory, Action<string> Progress);

/// <summary>Recognises an uploaded dump and refuses one that does not fit the add-on's type (addon_import_invalid, naming "from").</summary>
internal static class AddonDumpFile
{
    /// <summary>What each type accepts, as error messages name it.</summary>
    public static string Accepted(string type) => type switch
    {
        AddonTypes.PostgreSql => "a PostgreSQL dump: custom format (pg_dump -Fc) or plain SQL (pg_dump --no-owner --no-acl)",
        AddonTypes.MySql => "a MySQL/MariaDB SQL dump (mariadb-dump or mysqldump of one database)",
        _ => "a Redis RDB file (dump.rdb, redis-cli --rdb)",
    };

    /// <summary>Reads the first bytes of <paramref name="file"/> and returns its format, or throws naming <paramref name="display"/> and what is accepted.</summary>
    public static AddonDumpFormat Detect(AddonRecord addon, string file, string display)
    {
        var head = new byte[64 * 1024];
        int read;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var bytes = head.AsSpan(0, read);
        var found = Recognise(bytes);
        var fits = (addon.Type, found) switch
        {
            (AddonTypes.PostgreSql, AddonDumpFormat.PostgresCustom or AddonDumpFormat.Sql) => true,
            (AddonTypes.MySql, AddonDumpFormat.Sql) => true,
            (AddonTypes.Redis, AddonDumpFormat.RedisRdb) => true,
            _ => false,
        };
        var what = read == 0 ? "is empty"
            : found is null ? Unknown(bytes)
            : found == AddonDumpFormat.Sql && OtherSqlDialect(addon.Type, bytes) is { } other ? $"is a {other} SQL dump"
            : fits ? null
            : found switch
            {
                AddonDumpFormat.PostgresCustom => "is a PostgreSQL custom-format dump",
                AddonDumpFormat.RedisRdb => "is a Redis RDB file",
                _ => "is an SQL text file",
            };
        if (what is null)
        {
            return found!.Value;
        }

        throw NuageException.Invalid(ErrorCodes.AddonImportInvalid,
            [new FieldError(AddonImportErrors.Field, display, $"\"{display}\" {what}; add-on \"{addon.Name}\" is {addon.Type} and accepts {Accepted(addon.Type)}")]);
    }

    private static AddonDumpFormat? Recognise(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("PGDMP"u8))
        {
            return AddonDumpFormat.PostgresCustom;
        }

        if (bytes.Length >= 9 && bytes.StartsWith("REDIS"u8) && bytes[5..9].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
        {
            return AddonDumpFormat.RedisRdb;
        }

        return bytes.IndexOf((byte)0) < 0 && IsUtf8Text(bytes) ? AddonDumpFormat.Sql : null;
    }

    /// <summary>Valid UTF-8 apart from a character the 64 KiB cut may have split at the end.</summary>
    private static bool IsUtf8Text(ReadOnlySpan<byte> bytes)
    {
        for (var cut = 0; cut < 4 && cut <= bytes.Length; cut++)
        {
            if (System.Text.Unicode.Utf8.IsValid(bytes[..(bytes.Length - cut)]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Unknown(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith(new byte[] { 0x1f, 0x8b }) ? "is gzip-compressed (decompress it first: gunzip)"
        : bytes.Length > 262 && bytes[257..262].SequenceEqual("ustar"u8) ? "is a tar archive (for PostgreSQL use pg_dump -Fc or plain SQL, not -Ft)"
        : "is not a dump this server recognises (binary, not a PostgreSQL custom-format dump nor a Redis RDB file)";

    /// <summary>The headers pg_dump and mariadb-dump/mysqldump write: a dump of the other engine is refused before loading.</summary>
    private static string? OtherSqlDialect(string type, ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 4096)]);
        return type switch
        {
            AddonTypes.PostgreSql when text.Contains("-- MySQL dump", StringComparison.Ordinal) || text.Contains("-- MariaDB dump", StringComparison.Ordinal) => "MySQL/MariaDB",
            AddonTypes.MySql when text.Contains("-- PostgreSQL database dump", StringComparison.Ordinal) => "PostgreSQL",
            _ => null,
        };
    }
}
