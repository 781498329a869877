using System.Collections.Generic;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// How n contiguous doubles are split for SIMD: chunks of 4, then one of 2, then one scalar; n floats in chunks of
/// 8, then one of 4, then scalars (a float objective's gradient core; README, Float objectives).
/// </summary>
/// <remarks>
/// The optimizers' updates load the gradient in these chunks (the rules' <c>Update256</c> and
/// <c>Update128</c>), and the gradient core stores it in the same chunks (<c>OptimDsl.GradientStore</c>).
/// Both sides split a chunk in two where its width is not hardware-accelerated, down to scalars, so the
/// generated code has one sequence for every machine and every load is forwarded from exactly one store
/// of its width. Past the unrolled limit the update's loop loads two chunks at a time (<c>Update512</c>),
/// a load that no single store forwards; at 64 parameters that measured no slower (README, Performance).
/// </remarks>
internal static class VectorChunks
{
    /// <summary>The chunks of n doubles, as (width, offset): as many of 4 as fit, then of 2, then of 1.</summary>
    public static IEnumerable<(int Width, int Offset)> Plan(int n) => Plan(n, Model.ElementType.Double);

    /// <summary>The chunks of n values of <paramref name="element"/>: the widths of a Vector256, a Vector128 (and for doubles a pair), then 1.</summary>
    public static IEnumerable<(int Width, int Offset)> Plan(int n, Model.ElementType element)
    {
        var offset = 0;
        foreach (var width in new[] { element.Lanes256(), element.Lanes256() / 2, 1 })
        {
            for (; offset + width <= n; offset += width)
            {
                yield return (width, offset);
            }
        }
    }
}
