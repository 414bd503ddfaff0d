namespace Nuage.Bgp.Wire;

/// <summary>NOTIFICATION error codes and the subcodes Nuage sends or decodes (RFC 4271 §4.5, RFC 4486, RFC 8203).</summary>
public static class BgpError
{
    public const byte MessageHeader = 1;
    public const byte OpenMessage = 2;
    public const byte UpdateMessage = 3;
    public const byte HoldTimerExpired = 4;
    public const byte FiniteStateMachine = 5;
    public const byte Cease = 6;

    // Message header subcodes.
    public const byte ConnectionNotSynchronized = 1;
    public const byte BadMessageLength = 2;
    public const byte BadMessageType = 3;

    // OPEN subcodes.
    public const byte UnsupportedVersion = 1;
    public const byte BadPeerAs = 2;
    public const byte BadBgpIdentifier = 3;
    public const byte UnsupportedOptionalParameter = 4;
    public const byte UnacceptableHoldTime = 6;
    public const byte UnsupportedCapability = 7;

    // UPDATE subcodes.
    public const byte MalformedAttributeList = 1;
    public const byte AttributeLengthError = 5;
    public const byte InvalidNetworkField = 10;

    // Cease subcodes (RFC 4486).
    public const byte AdministrativeShutdown = 2;
    public const byte AdministrativeReset = 4;

    /// <summary>"hold timer expired", "OPEN: bad peer AS" — a NOTIFICATION as an operator reads it.</summary>
    public static string Describe(byte code, byte subcode) => (code, subcode) switch
    {
        (MessageHeader, ConnectionNotSynchronized) => "message header: connection not synchronized",
        (MessageHeader, BadMessageLength) => "message header: bad message length",
        (MessageHeader, BadMessageType) => "message header: bad message type",
        (MessageHeader, _) => $"message header error (subcode {subcode})",
        (OpenMessage, UnsupportedVersion) => "OPEN: unsupported version number",
        (OpenMessage, BadPeerAs) => "OPEN: bad peer AS",
        (OpenMessage, BadBgpIdentifier) => "OPEN: bad BGP identifier",
        (OpenMessage, UnsupportedOptionalParameter) => "OPEN: unsupported optional parameter",
        (OpenMessage, UnacceptableHoldTime) => "OPEN: unacceptable hold time",
        (OpenMessage, UnsupportedCapability) => "OPEN: unsupported capability",
        (OpenMessage, _) => $"OPEN message error (subcode {subcode})",
        (UpdateMessage, MalformedAttributeList) => "UPDATE: malformed attribute list",
        (UpdateMessage, AttributeLengthError) => "UPDATE: attribute length error",
        (UpdateMessage, InvalidNetworkField) => "UPDATE: invalid network field",
        (UpdateMessage, _) => $"UPDATE message error (subcode {subcode})",
        (HoldTimerExpired, _) => "hold timer expired",
        (FiniteStateMachine, _) => "finite state machine error",
        (Cease, 1) => "cease: maximum number of prefixes reached",
        (Cease, AdministrativeShutdown) => "cease: administrative shutdown",
        (Cease, 3) => "cease: peer de-configured",
        (Cease, AdministrativeReset) => "cease: administrative reset",
        (Cease, 5) => "cease: connection rejected",
        (Cease, 6) => "cease: other configuration change",
        (Cease, 7) => "cease: connection collision resolution",
        (Cease, 8) => "cease: out of resources",
        (Cease, _) => $"cease (subcode {subcode})",
        _ => $"error code {code}, subcode {subcode}",
    };
}

/// <summary>
/// A peer's message broke the protocol: the session answers with this NOTIFICATION and closes (RFC 4271 §6).
/// Parsing never throws anything else on bad input.
/// </summary>
public sealed class BgpProtocolException(byte code, byte subcode, string message, byte[]? data = null) : Exception(message)
{
    public byte Code { get; } = code;

    public byte Subcode { get; } = subcode;

    public byte[] NotificationData { get; } = data ?? [];
}
