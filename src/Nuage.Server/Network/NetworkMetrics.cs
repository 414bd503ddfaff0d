using System.Diagnostics.Metrics;

namespace Nuage.Server.Network;

/// <summary>The speaker in /metrics: per peer whether the session is up and how many prefixes go each way; the router's health.</summary>
internal static class NetworkMetrics
{
    public const string MeterName = "Nuage.Network";

    public static void Register(IMeterFactory meters, BgpSpeaker speaker)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("nuage.bgp.session.established", () => Per(speaker, s => s.State == Bgp.Sessions.SessionState.Established ? 1 : 0), "{session}", "1 while the BGP session with the peer is established");
        meter.CreateObservableGauge("nuage.bgp.prefixes.announced", () => Per(speaker, s => s.AnnouncedPrefixes), "{prefix}", "Prefixes announced to the peer");
        meter.CreateObservableGauge("nuage.bgp.prefixes.received", () => Per(speaker, s => s.ReceivedPrefixes), "{prefix}", "Prefixes the peer announced (counted, never installed)");
        meter.CreateObservableGauge("nuage.bgp.router.healthy", () => speaker.RouterHealthy ? 1 : 0, "{state}", "1 while this machine's router answers, so its prefixes are announced");
    }

    private static IEnumerable<Measurement<int>> Per(BgpSpeaker speaker, Func<Bgp.Sessions.BgpSession, int> value) =>
        speaker.Sessions().Select(s => new Measurement<int>(value(s), new KeyValuePair<string, object?>("peer", $"{s.Peer.Address}:{s.Peer.Port}")));
}
