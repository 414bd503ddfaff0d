using System.Text.Json;
using Nuage.Core.Instances;
using Nuage.Runtime.Sandboxing;

namespace Nuage.Runtime.Tests.Instances;

public sealed class InstanceStateTests
{
    [Fact]
    public void InstanceState_SerialisedAndRead_RoundTrips()
    {
        var state = new InstanceState("i1", "app", "d1", InstanceKind.Web, 1234, 987654, 40123, InstanceStatus.Running, null, 2, DateTimeOffset.UnixEpoch, 3);
        var options = new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

        var json = JsonSerializer.Serialize(state, options);

        Assert.Equal(state, JsonSerializer.Deserialize<InstanceState>(json, options));
        Assert.Contains("\"Running\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void PersistedEnums_KeepTheirNames()
    {
        // These names are stored by the caller; renaming one breaks adoption of existing instances.
        Assert.Equal("Starting,Running,Crashed,CrashLooping,Stopped,Exited,OomKilled", string.Join(',', Enum.GetNames<InstanceStatus>()));
        Assert.Equal("Web,Worker,Task", string.Join(',', Enum.GetNames<InstanceKind>()));
        Assert.Equal("Always,OnFailure,No", string.Join(',', Enum.GetNames<RestartPolicy>()));
    }

    [Fact]
    public void AppUserIds_ForIndex_IsStableAndInRange()
    {
        Assert.Equal(20_000, AppUserIds.ForIndex(0));
        Assert.Equal(20_041, AppUserIds.ForIndex(41));
        Assert.Throws<ArgumentOutOfRangeException>(() => AppUserIds.ForIndex(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AppUserIds.ForIndex(AppUserIds.Count));
    }
}
