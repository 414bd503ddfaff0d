using Nuage.Build.Detection;
using Nuage.Core.Errors;

namespace Nuage.Build.Tests.Detection;

public sealed class ProcfileTests
{
    [Fact]
    public void Parse_TypicalProcfile_SplitsWebReleaseAndWorkersInOrder()
    {
        var procfile = Procfile.Parse("""
            # comment
            web: gunicorn app:app --bind 127.0.0.1:$PORT

            worker:   python worker.py
            release: python manage.py migrate
            clock: python clock.py --every 5:00
            """);

        Assert.Equal("gunicorn app:app --bind 127.0.0.1:$PORT", procfile.WebCommand);
        Assert.Equal("python manage.py migrate", procfile.ReleaseCommand);
        Assert.Equal(["worker", "clock"], procfile.Workers.Select(w => w.Name));
        Assert.Equal("python clock.py --every 5:00", procfile.Find("clock"));
    }

    [Fact]
    public void Parse_BadLines_FailsNamingEveryLine()
    {
        var error = Assert.Throws<NuageException>(() => Procfile.Parse("web: ok\nnot a process line\nweb: again\nempty:\r\n"));

        Assert.Equal("invalid_procfile", error.Code);
        Assert.Equal(["Procfile:2", "Procfile:3", "Procfile:4"], error.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Parse_NoWebLine_HasNullWebCommand()
    {
        Assert.Null(Procfile.Parse("worker: run").WebCommand);
    }
}
