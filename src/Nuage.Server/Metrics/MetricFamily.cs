namespace Nuage.Server.Metrics;

/// <summary>One Prometheus metric family: name (with its _total/_seconds/_bytes suffix), type, help and samples.</summary>
internal sealed record MetricFamily(string Name, string Type, string Help, IReadOnlyList<MetricSample> Samples);

/// <summary>One sample; <see cref="Suffix"/> is "" or, for histograms, _bucket, _sum or _count.</summary>
internal sealed record MetricSample(string Suffix, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value;
}
