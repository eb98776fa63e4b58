using System.Buffers.Binary;

namespace PeftGrid.Tasks.Text;

/// <summary>A minimal protobuf wire-format reader (varint, fixed32/64 and length-delimited fields), enough to read a
/// SentencePiece <c>ModelProto</c>'s pieces.</summary>
internal sealed class ProtoReader(ReadOnlyMemory<byte> data)
{
    private int _at;

    /// <summary>Reads the next field's number and wire type; false at the end.</summary>
    /// <exception cref="InvalidDataException">Truncated or malformed data.</exception>
    public bool Next(out int field, out int wire)
    {
        field = wire = 0;
        if (_at >= data.Length) return false;
        var tag = Varint();
        field = (int)(tag >> 3);
        wire = (int)(tag & 7);
        return true;
    }

    /// <summary>A varint.</summary>
    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_at >= data.Length) throw Malformed();
            var b = data.Span[_at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw Malformed();
    }

    /// <summary>A fixed32 float.</summary>
    public float Float() => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(Take(4).Span));

    /// <summary>A length-delimited field's bytes.</summary>
    public ReadOnlyMemory<byte> Bytes() => Take(checked((int)Varint()));

    /// <summary>Skips a field of the given wire type.</summary>
    public void Skip(int wire)
    {
        switch (wire)
        {
            case 0: Varint(); break;
            case 1: Take(8); break;
            case 2: Bytes(); break;
            case 5: Take(4); break;
            default: throw Malformed();
        }
    }

    private ReadOnlyMemory<byte> Take(int n)
    {
        if (n < 0 || _at + n > data.Length) throw Malformed();
        var slice = data.Slice(_at, n);
        _at += n;
        return slice;
    }

    private static InvalidDataException Malformed() => new("malformed SentencePiece model (protobuf)");
}
