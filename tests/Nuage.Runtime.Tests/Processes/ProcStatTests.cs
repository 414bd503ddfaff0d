using Nuage.Runtime.Processes;

namespace Nuage.Runtime.Tests.Processes;

public sealed class ProcStatTests
{
    [Fact]
    public void Parse_CommandNameWithSpacesAndParentheses_ReadsTheFieldsAfterIt()
    {
        const string line = "4242 (my) app (x)) S 1 4240 4239 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615";

        var stat = ProcStat.Parse(line);

        Assert.NotNull(stat);
        Assert.Equal(4242, stat.Pid);
        Assert.Equal("my) app (x)", stat.Comm);
        Assert.Equal('S', stat.State);
        Assert.Equal(1, stat.ParentPid);
        Assert.Equal(4240, stat.ProcessGroup);
        Assert.Equal(4239, stat.Session);
        Assert.Equal(987654, stat.StartTicks);
    }

    [Fact]
    public void Read_CurrentProcess_MatchesItsPidAndIsAlive()
    {
        var stat = ProcStat.Read(Environment.ProcessId);

        Assert.NotNull(stat);
        Assert.Equal(Environment.ProcessId, stat.Pid);
        Assert.True(ProcStat.IsAlive(stat.Pid, stat.StartTicks));
        Assert.False(ProcStat.IsAlive(stat.Pid, stat.StartTicks + 1));
    }
}
