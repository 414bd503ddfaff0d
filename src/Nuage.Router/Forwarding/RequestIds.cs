using System.Security.Cryptography;

namespace Nuage.Router.Forwarding;

/// <summary>
/// Request ids for requests that came without one: 32 lowercase hex characters, a random per-router prefix (64 bits)
/// then a counter, so ids are unique across restarts without a random-number call per request.
/// </summary>
internal sealed class RequestIds
{
    private readonly ulong _prefix = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private long _counter;

    public string Next()
    {
        var sequence = (ulong)Interlocked.Increment(ref _counter);
        return string.Create(32, (_prefix, sequence), static (chars, state) =>
        {
            Span<byte> bytes = stackalloc byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, state.Item1);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], state.Item2);
            Convert.TryToHexStringLower(bytes, chars, out _);
        });
    }
}
