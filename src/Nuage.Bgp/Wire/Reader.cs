using System.Buffers.Binary;

namespace Nuage.Bgp.Wire;

/// <summary>Bounds-checked big-endian reading: running past the end is the given NOTIFICATION, never an IndexOutOfRange.</summary>
internal ref struct Reader(ReadOnlySpan<byte> data, byte errorCode, byte errorSubcode)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool Done => _rest.IsEmpty;

    public readonly int Left => _rest.Length;

    public byte Byte() => Take(1)[0];

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length)
        {
            throw new BgpProtocolException(errorCode, errorSubcode, $"a field of {count} bytes runs past the end ({_rest.Length} left)");
        }

        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}

/// <summary>Big-endian writing into a growing buffer.</summary>
internal sealed class Writer
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public Writer Byte(byte value)
    {
        _bytes.Add(value);
        return this;
    }

    public Writer UInt16(ushort value) => Byte((byte)(value >> 8)).Byte((byte)value);

    public Writer UInt32(uint value) => UInt16((ushort)(value >> 16)).UInt16((ushort)value);

    public Writer Bytes(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            _bytes.Add(b);
        }

        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}
