using Nuage.Core.Addons;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Addons;

namespace Nuage.Server.Tests.Addons;

/// <summary>
/// Dump files for `addon import --from FILE`: recognised by their first bytes and refused when they do not fit the
/// type; a PostgreSQL script is put behind \restrict with the dump's own (un)restrict lines left out and its COPY rows
/// counted; a mariadb-dump file's INSERT rows counted, whether a statement spans lines or not.
/// </summary>
public sealed class AddonDumpFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nuage-dump-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(AddonTypes.PostgreSql, "PGDMP\u0001\u000e\u0000", "PostgresCustom")]
    [InlineData(AddonTypes.PostgreSql, "--\n-- PostgreSQL database dump\n--\nCREATE TABLE t (id int);\n", "Sql")]
    [InlineData(AddonTypes.MySql, "-- MariaDB dump 10.19\nCREATE TABLE `t` (id int);\n", "Sql")]
    [InlineData(AddonTypes.Redis, "REDIS0010\u00fa\u0009redis-ver", "RedisRdb")]
    public void Detect_AFileOfTheType_ReturnsItsFormat(string type, string content, string expected)
    {
        Assert.Equal(expected, AddonDumpFile.Detect(Addon(type), Write("dump", content), "dump").ToString());
    }

    [Theory]
    [InlineData(AddonTypes.PostgreSql, "-- MySQL dump 10.13\nCREATE TABLE `t` (id int);\n", "\"x.dump\" is a MySQL/MariaDB SQL dump; add-on \"db\" is postgresql and accepts a PostgreSQL dump")]
    [InlineData(AddonTypes.MySql, "--\n-- PostgreSQL database dump\n", "\"x.dump\" is a PostgreSQL SQL dump; add-on \"db\" is mysql")]
    [InlineData(AddonTypes.Redis, "CREATE TABLE t (id int);", "\"x.dump\" is an SQL text file; add-on \"db\" is redis and accepts a Redis RDB file")]
    [InlineData(AddonTypes.MySql, "REDIS0010\u0000", "\"x.dump\" is a Redis RDB file")]
    [InlineData(AddonTypes.PostgreSql, "", "\"x.dump\" is empty")]
    [InlineData(AddonTypes.PostgreSql, "\u0001\u0000\u0002binary", "\"x.dump\" is not a dump this server recognises")]
    public void Detect_AFileThatDoesNotFit_IsRefusedNamingFromTheFileAndWhatIsAccepted(string type, string content, string message)
    {
        var error = Assert.Throws<NuageException>(() => AddonDumpFile.Detect(Addon(type), Write("dump", content), "x.dump"));

        Assert.Equal(ErrorCodes.AddonImportInvalid, error.Code);
        var field = Assert.Single(error.Errors);
        Assert.Equal(("from", "x.dump"), (field.Field, field.Value));
        Assert.Contains(message, field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestrictedScript_PrependsARandomRestrict_DropsTheDumpsOwn_AndCountsCopyRows()
    {
        var input = Write("in.sql", "\\restrict dumpkey\nCREATE TABLE public.t (a text);\nCOPY public.t (a) FROM stdin;\n\\restrict looks-like-data\nx\n\\.\nCOPY public.\"Empty\" (a) FROM stdin;\n\\.\n\\unrestrict dumpkey\n");
        var output = Path.Combine(_dir, "out.sql");

        var counts = await PostgresEngine.RestrictedScriptAsync(input, output, CancellationToken.None);

        Assert.Equal(new ImportCount[] { new("public.t", 2), new("public.\"Empty\"", 0) }, counts);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Matches(@"^\\restrict [0-9a-f]{48}$", lines[0]);
        Assert.DoesNotContain(@"\restrict dumpkey", lines);
        Assert.DoesNotContain(@"\unrestrict dumpkey", lines);
        Assert.Contains(@"\restrict looks-like-data", lines); // a COPY data line is data, kept as it is
        var second = Path.Combine(_dir, "second.sql");
        await PostgresEngine.RestrictedScriptAsync(input, second, CancellationToken.None);
        Assert.NotEqual(lines[0], (await File.ReadAllLinesAsync(second))[0]);
    }

    [Fact]
    public async Task CountDump_MariaDbDumpStatementsOverSeveralLinesOrOne_CountsEveryRowOfEveryCreatedTable()
    {
        var file = Write("shop.sql", """
            /*M!999999\- enable the sandbox mode */
            CREATE TABLE `items` (
              `id` int(11) NOT NULL,
              `name` text DEFAULT NULL
            ) ENGINE=InnoDB;
            INSERT INTO `items` VALUES
            (1,'a'),
            (2,'it\'s (b)'),
            (3,'c;');
            CREATE TABLE `empty` (`id` int);
            CREATE TABLE `old``style` (`id` int);
            INSERT INTO `old``style` VALUES (1),(2);
            CREATE TABLE `copied` (`id` int);
            INSERT INTO `copied` SELECT 1;

            """);

        var counts = await MariaDbEngine.CountDumpAsync(file, CancellationToken.None);

        Assert.Equal(new ImportCount[] { new("items", 3), new("empty", 0), new("old`style", 2) }, counts);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static AddonRecord Addon(string type) => new()
    {
        Id = "ad_1", Name = "db", Type = type, Version = "1", Plan = "xs", Username = "u", Database = "d", SealedPassword = [], CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
