using System;
using System.Buffers.Binary;
using System.Threading;
using Akka.Actor;
using Akka.Serialization;

namespace OptimDsl.Samples.Cluster;

/// <summary>
/// Writes a <see cref="ShardSums"/> as raw little-endian bits: the update (8 bytes), the node (4), the loss
/// sum (8) and the gradient sum (8 per parameter), 20 + 8(n + 1) bytes for n parameters. Raw bits make the
/// receiving node add exactly the sending node's doubles (a text format would have to round-trip every
/// one), and the size is the gradient's plus a constant. It counts what it writes, per actor system: Akka
/// serializes only what goes to another node, so that count is the training's traffic.
/// </summary>
public sealed class ShardSumsSerializer : Serializer
{
    /// <summary>The bytes before the doubles: the update and the node.</summary>
    public const int HeaderSize = sizeof(long) + sizeof(int);

    private long _bytesWritten;
    private long _messagesWritten;

    /// <summary>Called by Akka, once per actor system, for the binding in <see cref="ClusterNode"/>'s configuration.</summary>
    public ShardSumsSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <summary>Akka's id of this serializer (ids up to 100 are Akka's own).</summary>
    public override int Identifier => 7313;

    /// <summary>Only one type is bound to it, so the type needs not travel.</summary>
    public override bool IncludeManifest => false;

    /// <summary>The bytes written so far by this actor system, over every message.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>The messages written so far by this actor system.</summary>
    public long MessagesWritten => Interlocked.Read(ref _messagesWritten);

    /// <summary>The serialized size of a message with <paramref name="parameterCount"/> gradient values.</summary>
    public static int SizeOf(int parameterCount) => HeaderSize + (sizeof(double) * (parameterCount + 1));

    /// <inheritdoc/>
    public override byte[] ToBinary(object obj)
    {
        var sums = (ShardSums)obj;
        var bytes = new byte[SizeOf(sums.GradientSum.Length)];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt64LittleEndian(span, sums.Update);
        BinaryPrimitives.WriteInt32LittleEndian(span[sizeof(long)..], sums.Node);
        BinaryPrimitives.WriteDoubleLittleEndian(span[HeaderSize..], sums.LossSum);
        for (int k = 0; k < sums.GradientSum.Length; k++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[(HeaderSize + (sizeof(double) * (k + 1)))..], sums.GradientSum[k]);
        }

        Interlocked.Add(ref _bytesWritten, bytes.Length);
        Interlocked.Increment(ref _messagesWritten);
        return bytes;
    }

    /// <inheritdoc/>
    public override object FromBinary(byte[] bytes, Type type)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.Length < SizeOf(0) || (span.Length - HeaderSize) % sizeof(double) != 0)
        {
            throw new ArgumentException($"A ShardSums message of {span.Length} bytes is not 20 + 8(n + 1) bytes long.", nameof(bytes));
        }

        var gradientSum = new double[((span.Length - HeaderSize) / sizeof(double)) - 1];
        for (int k = 0; k < gradientSum.Length; k++)
        {
            gradientSum[k] = BinaryPrimitives.ReadDoubleLittleEndian(span[(HeaderSize + (sizeof(double) * (k + 1)))..]);
        }

        return new ShardSums(
            BinaryPrimitives.ReadInt64LittleEndian(span),
            BinaryPrimitives.ReadInt32LittleEndian(span[sizeof(long)..]),
            BinaryPrimitives.ReadDoubleLittleEndian(span[HeaderSize..]),
            gradientSum);
    }
}
