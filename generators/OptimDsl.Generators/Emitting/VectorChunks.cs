using System;
using System.Collections.Generic;
using System.Linq;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// How n contiguous doubles are split for SIMD: <c>Vector256</c> chunks of 4 where that width is
/// hardware-accelerated, else <c>Vector128</c> chunks of 2, then scalars for the rest.
/// </summary>
/// <remarks>
/// The optimizers' updates load the gradient in these chunks, and the gradient core stores it in
/// the same chunks (through <c>OptimDsl.GradientStore</c>, which splits a chunk of 4 in two where
/// only Vector128 is accelerated), so every load is forwarded from exactly one store of its width.
/// </remarks>
internal static class VectorChunks
{
    public const string V256 = "global::System.Runtime.Intrinsics.Vector256";
    public const string V128 = "global::System.Runtime.Intrinsics.Vector128";

    /// <summary>
    /// Writes the dispatch on <c>IsHardwareAccelerated</c> with one line per chunk:
    /// <paramref name="line"/>(width, offset) for width 4, 2 or 1.
    /// </summary>
    public static void Write(SourceWriter writer, int n, Func<int, int, string> line)
    {
        void Chunks(int maxWidth)
        {
            foreach (var (width, offset) in Plan(n, maxWidth))
            {
                writer.WriteLine(line(width, offset));
            }
        }

        if (n >= 4)
        {
            using (writer.Block($"if ({V256}.IsHardwareAccelerated)"))
            {
                Chunks(4);
            }

            using (writer.Block($"else if ({V128}.IsHardwareAccelerated)"))
            {
                Chunks(2);
            }

            using (writer.Block("else"))
            {
                Chunks(1);
            }
        }
        else if (n >= 2)
        {
            using (writer.Block($"if ({V128}.IsHardwareAccelerated)"))
            {
                Chunks(2);
            }

            using (writer.Block("else"))
            {
                Chunks(1);
            }
        }
        else
        {
            Chunks(1);
        }
    }

    /// <summary>
    /// The chunks of n doubles when SIMD of up to <paramref name="maxWidth"/> lanes (4, 2 or 1) is
    /// accelerated: as many of that width as fit, then narrower ones, as (width, offset).
    /// </summary>
    public static IEnumerable<(int Width, int Offset)> Plan(int n, int maxWidth)
    {
        var offset = 0;
        foreach (var width in new[] { 4, 2, 1 }.Where(w => w <= maxWidth))
        {
            for (; offset + width <= n; offset += width)
            {
                yield return (width, offset);
            }
        }
    }
}
