using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Nuage.Server.Metrics;

/// <summary>
/// The meter factory of one server: every meter it creates has this factory as its scope, so the /metrics exporter
/// listens to this server's router, log and deployment instruments only (tests run several servers in one process).
/// </summary>
internal sealed class PlatformMeters : IMeterFactory
{
    private readonly ConcurrentBag<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
