using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Nuage.Bgp.Irr;
using Nuage.Bgp.Rpki;
using Nuage.Bgp.Sessions;
using Nuage.Core.Api;
using Nuage.Core.Errors;

namespace Nuage.Server.Network;

/// <summary>
/// The checks a careful operator makes before a prefix goes out: RPKI origin validation against an RTR cache (Invalid is
/// never announced unless overridden; NotFound per policy) and IRR route objects from an operator-supplied file.
/// </summary>
internal sealed class Preflight : IAsyncDisposable
{
    private readonly RtrClient? _rtr;
    private readonly bool _refuseNotFound;
    private readonly IrrRegistry? _irr;
    private readonly bool _refuseUnregistered;

    private Preflight(RtrClient? rtr, bool refuseNotFound, IrrRegistry? irr, bool refuseUnregistered)
    {
        _rtr = rtr;
        _refuseNotFound = refuseNotFound;
        _irr = irr;
        _refuseUnregistered = refuseUnregistered;
    }

    public static Preflight None { get; } = new(null, false, null, false);

    public string? RpkiState => _rtr is null ? null : $"{_rtr.State.ToString().ToLowerInvariant()} with {_rtr.Options} ({_rtr.Table.Count} VRPs){(_rtr.LastError is { } e ? $"; last error: {e}" : string.Empty)}";

    /// <summary>Validates the settings (every problem named) and starts the RTR client.</summary>
    public static Preflight Create(BgpRpkiDto? rpki, BgpIrrDto? irr, TimeProvider time, ILogger logger)
    {
        var errors = new List<FieldError>();
        RtrClient? client = null;
        var refuseNotFound = false;
        if (rpki is not null)
        {
            refuseNotFound = Policy(errors, "rpki.policy", rpki.Policy, "refuse");
            if (!TryEndpoint(rpki.Cache, out var host, out var port))
            {
                errors.Add(new("rpki.cache", rpki.Cache, "use host:port of an RTR cache, e.g. 127.0.0.1:3323"));
            }
            else if (errors.Count == 0)
            {
                client = new RtrClient(new RtrClientOptions { Host = host, Port = port }, time, logger);
            }
        }

        IrrRegistry? registry = null;
        var refuseUnregistered = false;
        if (irr is not null)
        {
            refuseUnregistered = Policy(errors, "irr.policy", irr.Policy, "warn");
            var format = (irr.Format ?? "rpsl").ToLowerInvariant();
            if (format is not ("rpsl" or "bgpq4"))
            {
                errors.Add(new("irr.format", irr.Format, "use rpsl or bgpq4"));
            }
            else if (string.IsNullOrWhiteSpace(irr.File) || !File.Exists(irr.File))
            {
                errors.Add(new("irr.file", irr.File, "use the path of a readable file on the server's machine"));
            }
            else
            {
                try
                {
                    registry = new IrrRegistry(format == "rpsl" ? RpslRouteFile.Read(irr.File) : Bgpq4Export.Read(irr.File));
                }
                catch (IrrFormatException e)
                {
                    errors.Add(new("irr.file", irr.File, e.Message));
                }
            }
        }

        NuageException.ThrowIfInvalid(ErrorCodes.InvalidInput, errors);
        client?.Start();
        return new Preflight(client, refuseNotFound, registry, refuseUnregistered);
    }

    public PrefixCheckDto Check(Announcement prefix, bool allowInvalid, uint originAs)
    {
        var notes = new List<string>();
        var allowed = true;
        var rpki = "off";
        if (_rtr is not null)
        {
            var result = _rtr.Validate(prefix.Prefix, originAs);
            rpki = result.State.ToString().ToLowerInvariant();
            switch (result.State)
            {
                case OriginValidation.Invalid when allowInvalid:
                    notes.Add("RPKI Invalid, announced by explicit override");
                    break;
                case OriginValidation.Invalid:
                    allowed = false;
                    notes.Add($"RPKI Invalid for AS{originAs} (covering: {string.Join(", ", result.Covering.Take(3))}): never announced");
                    break;
                case OriginValidation.NotFound:
                    allowed &= !_refuseNotFound;
                    notes.Add(_refuseNotFound ? "RPKI NotFound: not announced (policy refuse)" : "RPKI NotFound: announced (policy warn)");
                    break;
            }
        }

        var irr = "off";
        if (_irr is not null)
        {
            var result = _irr.Check(prefix.Prefix, originAs);
            irr = result.Registered ? "registered" : "unregistered";
            if (!result.Registered)
            {
                allowed &= !_refuseUnregistered;
                notes.Add($"IRR {result.Explanation}{(_refuseUnregistered ? ": not announced (policy refuse)" : string.Empty)}");
            }
        }

        return new PrefixCheckDto(prefix.Prefix.ToString(), originAs, rpki, irr, allowed, notes.Count == 0 ? "ok" : string.Join("; ", notes));
    }

    private static bool Policy(List<FieldError> errors, string field, string? value, string fallback)
    {
        var policy = (value ?? fallback).ToLowerInvariant();
        if (policy is not ("refuse" or "warn"))
        {
            errors.Add(new(field, value, "use refuse or warn"));
        }

        return policy == "refuse";
    }

    private static bool TryEndpoint(string? text, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (colon <= 0 || !int.TryParse(text![(colon + 1)..], CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = text[..colon].Trim('[', ']');
        return Uri.CheckHostName(host) != UriHostNameType.Unknown || IPAddress.TryParse(host, out _);
    }

    public async ValueTask DisposeAsync()
    {
        if (_rtr is not null)
        {
            await _rtr.DisposeAsync();
        }
    }
}
