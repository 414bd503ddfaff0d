using Nuage.Core.Env;
using Nuage.Core.Errors;

namespace Nuage.Core.Tests.Env;

public sealed class DotenvParserTests
{
    [Theory]
    [InlineData("A=1", "A", "1")]
    [InlineData("export A=1", "A", "1")]
    [InlineData("  A = spaced  ", "A", "spaced")]
    [InlineData("A=value # comment", "A", "value")]
    [InlineData("A='single # kept'", "A", "single # kept")]
    [InlineData("A=\"double \\\"quoted\\\"\"", "A", "double \"quoted\"")]
    [InlineData("A=\"tab\\tnew\\nline\"", "A", "tab\tnew\nline")]
    [InlineData("A=", "A", "")]
    [InlineData("A=x=y", "A", "x=y")]
    public void Parse_AcceptedSpellings_GiveTheValue(string line, string name, string value)
    {
        var parsed = DotenvParser.Parse(line);

        Assert.Equal(value, parsed[name]);
    }

    [Fact]
    public void Parse_DoubleQuotedValue_MaySpanLines()
    {
        var parsed = DotenvParser.Parse("KEY=\"first\nsecond\"\nNEXT=1\n");

        Assert.Equal("first\nsecond", parsed["KEY"]);
        Assert.Equal("1", parsed["NEXT"]);
    }

    [Fact]
    public void Parse_SeveralBadLines_ReportsEveryLineNumber()
    {
        var error = Assert.Throws<NuageException>(() => DotenvParser.Parse("OK=1\nnot a pair\n\n9X=1\nB='open\n"));

        Assert.Equal(["line 2", "line 4", "line 5"], error.Errors.Select(e => e.Field));
        Assert.Equal("invalid_dotenv", error.Code);
    }

    [Fact]
    public void Parse_CommentsBlankLinesAndCrLf_AreIgnored()
    {
        var parsed = DotenvParser.Parse("# header\r\n\r\nA=1\r\n");

        Assert.Equal(new Dictionary<string, string> { ["A"] = "1" }, parsed);
    }
}
