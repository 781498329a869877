using System;
using System.Linq;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// How n contiguous doubles are split for SIMD: <c>Vector256</c> chunks of 4 where that width is
/// hardware-accelerated, else <c>Vector128</c> chunks of 2, then scalars for the rest.
/// </summary>
/// <remarks>
/// The optimizers' updates load the gradient in these chunks, and the gradient core stores it in
/// the same chunks, so every load is forwarded from exactly one store of its width.
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
        void Chunks(int width)
        {
            var offset = 0;
            foreach (var w in new[] { 4, 2, 1 }.Where(w => w <= width))
            {
                for (; offset + w <= n; offset += w)
                {
                    writer.WriteLine(line(w, offset));
                }
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

    /// <summary>The file-local class of <see cref="WriteStoreHelpers"/>.</summary>
    public const string StoreClass = "OptimDslGradientStore";

    /// <summary>
    /// <c>Store4</c> and <c>Store2</c>: store a chunk of the gradient with one Vector256 store, two
    /// Vector128 stores or scalars, as the update of the same width loads it.
    /// </summary>
    public static void WriteStoreHelpers(SourceWriter writer)
    {
        writer.WriteLines($$"""
            /// <summary>Stores gradient chunks in the widths the optimizers' updates load them, so each load is forwarded from one store.</summary>
            file static class {{StoreClass}}
            {
                [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
                public static void Store4(ref double destination, double a, double b, double c, double d)
                {
                    if ({{V256}}.IsHardwareAccelerated)
                    {
                        {{V256}}.StoreUnsafe({{V256}}.Create(a, b, c, d), ref destination);
                    }
                    else
                    {
                        Store2(ref destination, a, b);
                        Store2(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref destination, 2), c, d);
                    }
                }

                [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
                public static void Store2(ref double destination, double a, double b)
                {
                    if ({{V128}}.IsHardwareAccelerated)
                    {
                        {{V128}}.StoreUnsafe({{V128}}.Create(a, b), ref destination);
                    }
                    else
                    {
                        destination = a;
                        global::System.Runtime.CompilerServices.Unsafe.Add(ref destination, 1) = b;
                    }
                }
            }
            """);
    }

    /// <summary>The vector type for a chunk width of 4 or 2.</summary>
    public static string Vector(int width) => width == 4 ? V256 : V128;
}
