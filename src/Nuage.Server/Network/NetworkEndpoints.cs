using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;

namespace Nuage.Server.Network;

/// <summary><c>/v1/network</c>: this machine's BGP peers, announced prefixes and session status. Platform operator only.</summary>
internal static class NetworkEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var network = endpoints.MapGroup("/v1/network").WithTags("Network");
        network.MapGet("/status", (HttpContext http, BgpSpeaker speaker) => Operator(http, "Reading the network status", speaker.Status));
        network.MapGet("/peers", (HttpContext http, BgpSpeaker speaker) => Operator(http, "Listing BGP peers", () => speaker.Config().Peers));
        network.MapPost("/peers", async (BgpPeerDto request, HttpContext http, BgpSpeaker speaker) =>
        {
            http.Caller().RequireOperator("Adding BGP peers");
            return await speaker.SetPeerAsync(request);
        });
        network.MapDelete("/peers/{address}", async (string address, int? port, HttpContext http, BgpSpeaker speaker) =>
        {
            http.Caller().RequireOperator("Removing BGP peers");
            await speaker.RemovePeerAsync(address, port);
            return TypedResults.NoContent();
        });
        network.MapGet("/prefixes", (HttpContext http, BgpSpeaker speaker) => Operator(http, "Listing announced prefixes", () => speaker.Config().Prefixes));
        network.MapPost("/prefixes", (BgpPrefixDto request, HttpContext http, BgpSpeaker speaker) =>
            Operator(http, "Announcing prefixes", () => speaker.SetPrefix(request)));
        network.MapPut("/preflight", async (BgpPreflightDto request, HttpContext http, BgpSpeaker speaker) =>
        {
            http.Caller().RequireOperator("Setting RPKI and IRR checks");
            await speaker.SetPreflightAsync(request.Rpki, request.Irr);
            return speaker.Status();
        });
        network.MapDelete("/prefixes", (string? prefix, HttpContext http, BgpSpeaker speaker) =>
        {
            http.Caller().RequireOperator("Withdrawing prefixes");
            speaker.RemovePrefix(prefix ?? throw Core.Errors.NuageException.Invalid("prefix", null, "give the prefix to withdraw as ?prefix=192.0.2.0/24"));
            return TypedResults.NoContent();
        });
    }

    private static T Operator<T>(HttpContext http, string action, Func<T> run)
    {
        http.Caller().RequireOperator(action);
        return run();
    }
}
