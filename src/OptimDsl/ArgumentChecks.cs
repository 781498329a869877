using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace OptimDsl;

/// <summary>
/// The span lengths every generated gradient checks, whatever its objective: the parameter and gradient
/// spans hold one value per parameter, and the data spans hold the same number of samples, at least one
/// (see the README, What is generated).
/// </summary>
/// <remarks>
/// Not meant to be called by hand; the generated gradients and optimizers call it. Each check inlines
/// into the caller as one comparison; the message is built only on failure, in a throw helper that
/// is never inlined.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ArgumentChecks
{
    /// <summary>Throws unless a parameter or gradient span holds exactly <paramref name="expected"/> values.</summary>
    /// <param name="length">The span's length.</param>
    /// <param name="expected">The number of trainable parameters.</param>
    /// <param name="names">The parameters' names in declaration order, comma-separated: <c>w, b</c>.</param>
    /// <param name="paramName">The span's parameter name: <c>parameters</c> or <c>gradient</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="length"/> is not <paramref name="expected"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ParameterCount(int length, int expected, string names, string paramName)
    {
        if (length != expected)
        {
            ThrowParameterCount(length, expected, names, paramName);
        }
    }

    /// <summary>Throws unless a degree of parallelism is at least 1 (README, Parallel data gradients).</summary>
    /// <param name="degree">The degree.</param>
    /// <param name="paramName">The argument's or property's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degree"/> is below 1.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DegreeOfParallelism(int degree, string paramName)
    {
        if (degree < 1)
        {
            ThrowDegree(degree, paramName);
        }
    }

    /// <summary>Throws unless the first data span holds at least one sample.</summary>
    /// <param name="length">The first data span's length.</param>
    /// <param name="name">The first data parameter's name.</param>
    /// <exception cref="ArgumentException"><paramref name="length"/> is 0.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NotEmpty(int length, string name)
    {
        if (length == 0)
        {
            ThrowEmpty(name);
        }
    }

    /// <summary>Throws unless a data span holds as many samples as the first.</summary>
    /// <param name="firstLength">The first data span's length.</param>
    /// <param name="firstName">The first data parameter's name.</param>
    /// <param name="length">This data span's length.</param>
    /// <param name="name">This data parameter's name.</param>
    /// <exception cref="ArgumentException"><paramref name="length"/> is not <paramref name="firstLength"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SameSamples(int firstLength, string firstName, int length, string name)
    {
        if (length != firstLength)
        {
            ThrowSamples(firstLength, firstName, length, name);
        }
    }

    /// <summary>The number of samples in a data span of rows (README, Vectors and loops); throws unless its length is a multiple of the row's.</summary>
    /// <param name="length">The data span's length.</param>
    /// <param name="rowLength">The number of values in one sample's row: the parameter's <c>[Length]</c>.</param>
    /// <param name="name">The data parameter's name.</param>
    /// <returns><paramref name="length"/> / <paramref name="rowLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="length"/> is not a multiple of <paramref name="rowLength"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rows(int length, int rowLength, string name)
    {
        var samples = length / rowLength;
        if (samples * rowLength != length)
        {
            ThrowRows(length, rowLength, name);
        }

        return samples;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowRows(int length, int rowLength, string name)
        => throw new ArgumentException("'" + name + "' holds rows of " + rowLength + " values, one per sample, back to back, but its length " + length + " is not a multiple of " + rowLength + ".", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowParameterCount(int length, int expected, string names, string paramName)
    {
        var count = expected == 1 ? "1 value" : expected + " values";
        throw new ArgumentException("Expected " + count + " (" + names + ") but the span holds " + length + ".", paramName);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowEmpty(string name)
        => throw new ArgumentException("The data set is empty: '" + name + "' holds no samples.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSamples(int firstLength, string firstName, int length, string name)
        => throw new ArgumentException("Every data span must hold as many samples as '" + firstName + "' (" + firstLength + ") but '" + name + "' holds " + length + ".", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDegree(int degree, string paramName)
        => throw new ArgumentOutOfRangeException(paramName, degree, "The degree of parallelism must be at least 1; it is " + degree + ".");
}
