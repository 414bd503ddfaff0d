using Nuage.Core.Errors;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Drains;

public sealed class DrainValidationTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private LogStore _store = null!;
    private DrainManager _drains = null!;

    public Task InitializeAsync()
    {
        _store = new LogStore(new LogStoreOptions { Directory = _dir.Sub("store") });
        _drains = new DrainManager(_store, DrainDefinitions.Open(_dir), new DrainOptions { AllowPrivateDestinations = true });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _drains.DisposeAsync();
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("kafka", "http://x", "type", "use one of syslog-udp, syslog-tcp, syslog-tls, http, elasticsearch, otlp")]
    [InlineData("syslog-tcp", "http://logs:514", "url", "a syslog-tcp drain needs a URL starting with tcp:// or syslog:// or syslog+tcp://")]
    [InlineData("syslog-udp", "udp://logs", "url", "a syslog drain needs an explicit port, e.g. tcp://logs.example.com:6514")]
    [InlineData("elasticsearch", "https://es:9200/logs", "url", "an elasticsearch drain URL must end in /_bulk, e.g. https://es.example.com:9200/nuage-logs/_bulk")]
    [InlineData("http", "not a url", "url", "use an absolute URL with a host, starting with http:// or https://")]
    public async Task Create_WithBadTypeOrUrl_NamesFieldValueAndAccepted(string type, string url, string field, string message)
    {
        var ex = await Assert.ThrowsAsync<NuageException>(() => _drains.CreateAsync(new DrainSpec { AppId = "shop", Type = type, Url = url }));

        Assert.Equal("invalid_drain", ex.Code);
        var error = Assert.Single(ex.Errors);
        Assert.Equal((field, message), (error.Field, error.Message));
        Assert.Equal(field == "type" ? type : url, error.Value);
    }

    [Fact]
    public async Task Create_WithConflictingCredentials_ReportsEveryProblem()
    {
        var ex = await Assert.ThrowsAsync<NuageException>(() => _drains.CreateAsync(new DrainSpec
        {
            AppId = "shop", Type = DrainTypes.Http, Url = "https://user:pw@logs.example.com/in", Username = "u", Token = "t",
        }));

        Assert.Contains(ex.Errors, e => e.Field == "url" && e.Message.Contains("not in the URL", StringComparison.Ordinal) && !e.Value!.Contains("pw", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Field == "password");
        Assert.Contains(ex.Errors, e => e.Field == "token");
    }

    [Theory]
    [InlineData(DrainTypes.SyslogTcp, "tcp://h:514", "key=\"unterminated", "the value of key is missing its closing quote")]
    [InlineData(DrainTypes.Http, "http://h/in", "a=\"b\"", "structured data applies to syslog-udp, syslog-tcp and syslog-tls drains only")]
    public async Task Create_WithBadSdParams_IsRejected(string type, string url, string sd, string message)
    {
        var ex = await Assert.ThrowsAsync<NuageException>(() => _drains.CreateAsync(new DrainSpec { AppId = "shop", Type = type, Url = url, SdParams = sd }));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("sd-params", sd, message), (error.Field, error.Value, error.Message));
    }

    [Fact]
    public async Task CreateListDisableEnableDelete_RoundTripsAndRedactsSecrets()
    {
        var created = await _drains.CreateAsync(new DrainSpec { AppId = "shop", Type = DrainTypes.Http, Url = "http://127.0.0.1:9/in", Token = "s3cret" });

        Assert.Equal("***", created.Token);
        await _drains.SetEnabledAsync("shop", created.Id, enabled: false);
        var listed = Assert.Single(await _drains.ListAsync("shop"));
        Assert.False(listed.Drain.Enabled);
        Assert.Equal("***", listed.Drain.Token);
        await _drains.SetEnabledAsync("shop", created.Id, enabled: true);
        Assert.True((await _drains.GetAsync("shop", created.Id)).Drain.Enabled);
        await _drains.DeleteAsync("shop", created.Id);
        Assert.Empty(await _drains.ListAsync("shop"));
        var missing = await Assert.ThrowsAsync<NuageException>(() => _drains.DeleteAsync("shop", created.Id));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public void Backoff_GrowsExponentiallyWithJitterAndStopsAtTheCap()
    {
        var options = new DrainOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(60) };

        Assert.Equal(TimeSpan.FromSeconds(0.5), DrainWorker.BackoffDelay(1, options, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(4), DrainWorker.BackoffDelay(3, options, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(12), DrainWorker.BackoffDelay(4, options, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(60), DrainWorker.BackoffDelay(20, options, 0.9));
    }
}
