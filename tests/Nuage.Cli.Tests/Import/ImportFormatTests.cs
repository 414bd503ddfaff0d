using Nuage.Cli.Import;

namespace Nuage.Cli.Tests.Import;

/// <summary>The text formats imports read: 'clever env' (and its --add-export form) and 'heroku config' (and --shell).</summary>
public sealed class ImportFormatTests
{
    [Fact]
    public void CleverEnv_QuotedEscapedExportedAndCommentedLines_AreRead()
    {
        var variables = CleverSource.ParseEnv("""
            # Manually set env variables
            GREETING="bonjour de \"Clever\""
            MOTD="line one\nline two"
            export PATHLIKE="C:\\app";
            PLAIN=value=with=equals

            # Addon db
            POSTGRESQL_ADDON_PORT="5432"
            """);

        Assert.Equal(
            [("GREETING", "bonjour de \"Clever\""), ("MOTD", "line one\nline two"), ("PATHLIKE", "C:\\app"), ("PLAIN", "value=with=equals"), ("POSTGRESQL_ADDON_PORT", "5432")],
            variables.Select(v => (v.Key, v.Value)));
    }

    [Fact]
    public void HerokuConfig_TitleAlignedValuesAndShellForm_AreRead()
    {
        var variables = HerokuSource.ParseConfig("""
            === shop Config Vars
            DATABASE_URL:   postgres://u:p@host:5432/db
            EMPTY:
            GREETING:       hello: world
            SHELL_FORM='quoted value'
            """);

        Assert.Equal(
            [("DATABASE_URL", "postgres://u:p@host:5432/db"), ("EMPTY", ""), ("GREETING", "hello: world"), ("SHELL_FORM", "quoted value")],
            variables.Select(v => (v.Key, v.Value)));
    }
}
