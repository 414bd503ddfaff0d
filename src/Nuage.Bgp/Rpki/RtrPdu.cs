using System.Net;

namespace Nuage.Bgp.Rpki;

/// <summary>The PDU types of the RPKI-to-Router protocol (RFC 8210 §5).</summary>
public static class RtrPduType
{
    public const byte SerialNotify = 0;
    public const byte SerialQuery = 1;
    public const byte ResetQuery = 2;
    public const byte CacheResponse = 3;
    public const byte IPv4Prefix = 4;
    public const byte IPv6Prefix = 6;
    public const byte EndOfData = 7;
    public const byte CacheReset = 8;
    public const byte RouterKey = 9;
    public const byte ErrorReport = 10;
}

/// <summary>Error Report codes (RFC 8210 §12).</summary>
public enum RtrErrorCode : ushort
{
    CorruptData = 0,
    InternalError = 1,
    NoDataAvailable = 2,
    InvalidRequest = 3,
    UnsupportedProtocolVersion = 4,
    UnsupportedPduType = 5,
    WithdrawalOfUnknownRecord = 6,
    DuplicateAnnouncementReceived = 7,
    UnexpectedProtocolVersion = 8,
}

/// <summary>One RTR PDU; <see cref="Version"/> is the protocol version in its header.</summary>
public abstract record RtrPdu(byte Version);

public sealed record SerialNotifyPdu(byte Version, ushort SessionId, uint Serial) : RtrPdu(Version);

public sealed record SerialQueryPdu(byte Version, ushort SessionId, uint Serial) : RtrPdu(Version);

public sealed record ResetQueryPdu(byte Version) : RtrPdu(Version);

public sealed record CacheResponsePdu(byte Version, ushort SessionId) : RtrPdu(Version);

/// <summary>An IPv4 or IPv6 Prefix PDU: a VRP announced (<see cref="Announce"/>) or withdrawn.</summary>
public sealed record PrefixPdu(byte Version, bool Announce, Vrp Vrp) : RtrPdu(Version);

/// <summary>End of Data; the intervals (seconds) exist from version 1 on and are null in version 0.</summary>
public sealed record EndOfDataPdu(byte Version, ushort SessionId, uint Serial, uint? Refresh = null, uint? Retry = null, uint? Expire = null) : RtrPdu(Version);

public sealed record CacheResetPdu(byte Version) : RtrPdu(Version);

/// <summary>A BGPsec Router Key (version 1): parsed for its bounds and otherwise ignored (Nuage does not sign paths).</summary>
public sealed record RouterKeyPdu(byte Version, bool Announce, uint Asn) : RtrPdu(Version);

public sealed record ErrorReportPdu(byte Version, RtrErrorCode Code, byte[] ErroneousPdu, string Text) : RtrPdu(Version)
{
    public override string ToString() => $"{RtrErrors.Describe(Code)}{(Text.Length > 0 ? ": " + Text : "")}";
}

/// <summary>A Validated ROA Payload (RFC 6811): <see cref="Asn"/> may originate <see cref="Prefix"/> and its more-specifics up to <see cref="MaxLength"/>.</summary>
public readonly record struct Vrp(IPNetwork Prefix, byte MaxLength, uint Asn)
{
    public override string ToString() => $"{Prefix}-{MaxLength} AS{Asn}";
}

/// <summary>
/// The peer broke the RTR protocol (or sent something this client cannot accept): the client answers with an Error
/// Report carrying <see cref="Code"/> and reconnects. Parsing never throws anything else on bad input.
/// </summary>
public sealed class RtrProtocolException(RtrErrorCode code, string message) : Exception(message)
{
    public RtrErrorCode Code { get; } = code;
}

public static class RtrErrors
{
    public static string Describe(RtrErrorCode code) => code switch
    {
        RtrErrorCode.CorruptData => "corrupt data",
        RtrErrorCode.InternalError => "internal error",
        RtrErrorCode.NoDataAvailable => "no data available",
        RtrErrorCode.InvalidRequest => "invalid request",
        RtrErrorCode.UnsupportedProtocolVersion => "unsupported protocol version",
        RtrErrorCode.UnsupportedPduType => "unsupported PDU type",
        RtrErrorCode.WithdrawalOfUnknownRecord => "withdrawal of unknown record",
        RtrErrorCode.DuplicateAnnouncementReceived => "duplicate announcement received",
        RtrErrorCode.UnexpectedProtocolVersion => "unexpected protocol version",
        _ => $"error code {(ushort)code}",
    };
}
