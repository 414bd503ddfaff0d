using Nuage.Core.Errors;
using Nuage.Server.Uploads;

namespace Nuage.Server.Tests.Security;

/// <summary>The per-app bound on uploads waiting to deploy (the real budget the deployment service uses).</summary>
public sealed class UploadBudgetAttackTests
{
    [Fact]
    public void Reserve_PastTheAppsQueuedUploads_Is429NamingTheAppAndTheCap_AndFreesOnRelease()
    {
        var budget = new UploadBudget(new UploadLimits { MaxQueuedPerApp = 2 });
        using var first = budget.Reserve("app-1", "web");
        var second = budget.Reserve("app-1", "web");
        using var otherApp = budget.Reserve("app-2", "api");

        var refused = Assert.Throws<NuageException>(() => budget.Reserve("app-1", "web"));

        Assert.Equal(ErrorKind.RateLimited, refused.Kind);
        Assert.Equal(UploadBudget.QueueFullCode, refused.Code);
        Assert.Contains("\"web\" already has 2 uploads", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Uploads:MaxQueuedPerApp", refused.Message, StringComparison.Ordinal);
        second.Dispose();
        budget.Reserve("app-1", "web").Dispose();
    }

    [Fact]
    public void Add_PastTheOverallBytes_Is429AndCountsNothingOfTheRefusedChunk()
    {
        var budget = new UploadBudget(new UploadLimits { MaxQueuedBytes = 1000 });
        using var a = budget.Reserve("app-1", "web");
        a.Add(600);
        using var b = budget.Reserve("app-2", "api");

        var refused = Assert.Throws<NuageException>(() => b.Add(500));

        Assert.Equal(UploadBudget.SpaceFullCode, refused.Code);
        Assert.Equal(600, budget.QueuedBytes);
    }
}
