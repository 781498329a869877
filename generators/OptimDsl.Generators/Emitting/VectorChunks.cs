using System;
using System.Collections.Generic;
using System.Linq;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// How n contiguous doubles are split for SIMD: chunks of 4, then one of 2, then one scalar.
/// </summary>
/// <remarks>
/// The optimizers' updates load the gradient in these chunks (the rules' <c>Update256</c> and
/// <c>Update128</c>), and the gradient core stores it in the same chunks (<c>OptimDsl.GradientStore</c>).
/// Both sides split a chunk in two where its width is not hardware-accelerated, down to scalars, so the
/// generated code has one sequence for every machine and every load is forwarded from exactly one store
/// of its width.
/// </remarks>
internal static class VectorChunks
{
    public const string V256 = "global::System.Runtime.Intrinsics.Vector256";
    public const string V128 = "global::System.Runtime.Intrinsics.Vector128";

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
