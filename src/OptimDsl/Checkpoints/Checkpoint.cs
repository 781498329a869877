using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace OptimDsl;

/// <summary>
/// The checkpoint format behind every generated optimizer's <c>SaveState</c> and <c>LoadState</c>
/// (README, Checkpoints): a header that identifies the format version, the objective, the optimizer and
/// the parameter layout, then the optimizer's storage, part by part, each with its size.
/// </summary>
/// <remarks>
/// Layout, little-endian: the 8 bytes <c>OPTDSLCK</c>; the format version (int32); the objective's full
/// name, the optimizer's name and the parameter layout (each an int32 byte count and UTF-8 bytes); the
/// number of trained values (int32); then each part as an int32 byte count and the bytes: the vectors
/// (θ, the gradient, the rule's state) as doubles, the rule, the clipping and the minibatches as the raw
/// bytes of their structs. A part's size must be the reader's, so a checkpoint from a library whose
/// structs differ is refused rather than misread. A float objective's optimizer writes its vectors as floats, and
/// its layout ends in <c>; float</c> (README, Float objectives): a double checkpoint of the same objective name and
/// parameters is refused by the header, before any part is read.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Checkpoint
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "OPTDSLCK"u8;

    /// <summary>Writes the header.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public static void WriteHeader(Stream stream, string objective, string optimizer, string layout, int trainedValues)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Magic);
        WriteInt32(stream, FormatVersion);
        WriteString(stream, objective);
        WriteString(stream, optimizer);
        WriteString(stream, layout);
        WriteInt32(stream, trainedValues);
    }

    /// <summary>Reads the header and checks that it is this objective's, optimizer's and layout's, in this format version.</summary>
    /// <exception cref="InvalidDataException">Not a checkpoint, another format version, objective, optimizer or layout, or truncated.</exception>
    public static void ReadHeader(Stream stream, string objective, string optimizer, string layout, int trainedValues)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> magic = stackalloc byte[8];
        ReadExactly(stream, magic);
        if (!magic.SequenceEqual(Magic))
        {
            throw new InvalidDataException("The stream does not start with an OptimDsl checkpoint.");
        }

        var version = ReadInt32(stream);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"The checkpoint has format version {version}; this library reads version {FormatVersion}.");
        }

        Expect("objective", ReadString(stream), objective);
        Expect("optimizer", ReadString(stream), optimizer);
        Expect("parameter layout", ReadString(stream), layout);
        var count = ReadInt32(stream);
        if (count != trainedValues)
        {
            throw new InvalidDataException($"The checkpoint holds {count} trained values; this optimizer has {trainedValues}.");
        }
    }

    /// <summary>Writes a vector.</summary>
    public static void Write(Stream stream, ReadOnlySpan<double> values) => WriteValues(stream, values);

    /// <summary>Reads a vector of exactly <c>values.Length</c> doubles.</summary>
    /// <exception cref="InvalidDataException">Another length, or truncated.</exception>
    public static void Read(Stream stream, Span<double> values) => ReadValues(stream, values);

    /// <summary>Writes a vector of a float objective's optimizer (whose layout names its element type, so no double reader takes it).</summary>
    public static void Write(Stream stream, ReadOnlySpan<float> values) => WriteValues(stream, values);

    /// <summary>Reads a vector of exactly <c>values.Length</c> floats.</summary>
    /// <exception cref="InvalidDataException">Another length, or truncated.</exception>
    public static void Read(Stream stream, Span<float> values) => ReadValues(stream, values);

    private static void WriteValues<T>(Stream stream, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        WriteInt32(stream, bytes.Length);
        WriteLittleEndian(stream, bytes);
    }

    private static void ReadValues<T>(Stream stream, Span<T> values)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        ExpectSize(ReadInt32(stream), bytes.Length);
        ReadLittleEndian(stream, bytes);
    }

    /// <summary>Writes an unmanaged struct as its raw bytes.</summary>
    public static void Write<T>(Stream stream, in T value)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));
        WriteInt32(stream, bytes.Length);
        WriteLittleEndian(stream, bytes);
    }

    /// <summary>Reads an unmanaged struct written by <see cref="Write{T}(Stream, in T)"/>.</summary>
    /// <exception cref="InvalidDataException">Another size, or truncated.</exception>
    public static void Read<T>(Stream stream, ref T value)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(new Span<T>(ref value));
        ExpectSize(ReadInt32(stream), bytes.Length);
        ReadLittleEndian(stream, bytes);
    }

    private static void Expect(string what, string found, string expected)
    {
        if (!string.Equals(found, expected, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"The checkpoint's {what} is '{found}', not '{expected}'.");
        }
    }

    private static void ExpectSize(int found, int expected)
    {
        if (found != expected)
        {
            throw new InvalidDataException($"A part of the checkpoint holds {found} bytes where this optimizer has {expected}: it was written by another version of the library or for another layout.");
        }
    }

    private static void WriteString(Stream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteInt32(stream, bytes.Length);
        stream.Write(bytes);
    }

    private static string ReadString(Stream stream)
    {
        var length = ReadInt32(stream);
        if (length < 0 || length > 1 << 20)
        {
            throw new InvalidDataException("The checkpoint's header is damaged.");
        }

        var bytes = new byte[length];
        ReadExactly(stream, bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    private static void WriteInt32(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    private static int ReadInt32(Stream stream)
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(stream, bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    // The parts are written in the machine's order; .NET runs little-endian on every platform it supports,
    // and a big-endian one is refused rather than written in another order.
    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<byte> bytes)
    {
        RequireLittleEndian();
        stream.Write(bytes);
    }

    private static void ReadLittleEndian(Stream stream, Span<byte> bytes)
    {
        RequireLittleEndian();
        ReadExactly(stream, bytes);
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints are written on little-endian machines only.");
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0)
            {
                throw new InvalidDataException("The checkpoint is truncated.");
            }

            read += n;
        }
    }
}
