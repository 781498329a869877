using System;
using System.Linq;
using OptimDsl.Tests.Gradients;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The runtime helper the generated gradients check their span lengths with: the exception type, the
/// message word for word and the ParamName, as the generated code threw them before the checks moved
/// into the runtime library; and no exception for valid lengths.
/// </summary>
public sealed class ArgumentChecksTests
{
    [Fact]
    public void ParameterCount_accepts_the_expected_length()
    {
        ArgumentChecks.ParameterCount(1, 1, "x", "parameters");
        ArgumentChecks.ParameterCount(3, 3, "a, b, c", "gradient");
        ArgumentChecks.ParameterCount(0, 0, "", "parameters");
    }

    [Theory]
    [InlineData(0, 2, "w, b", "parameters", "Expected 2 values (w, b) but the span holds 0.")]
    [InlineData(3, 2, "w, b", "gradient", "Expected 2 values (w, b) but the span holds 3.")]
    [InlineData(2, 1, "x", "parameters", "Expected 1 value (x) but the span holds 2.")]
    [InlineData(1, 12, "a, b, c, d, e, f, g, h, i, j, k, l", "gradient", "Expected 12 values (a, b, c, d, e, f, g, h, i, j, k, l) but the span holds 1.")]
    public void ParameterCount_refuses_another_length_by_the_span_name(int length, int expected, string names, string paramName, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => ArgumentChecks.ParameterCount(length, expected, names, paramName));
        Assert.Equal(paramName, error.ParamName);
        Assert.Equal(message + $" (Parameter '{paramName}')", error.Message);
    }

    [Fact]
    public void NotEmpty_accepts_one_sample_or_more()
    {
        ArgumentChecks.NotEmpty(1, "x");
        ArgumentChecks.NotEmpty(int.MaxValue, "x");
    }

    [Fact]
    public void NotEmpty_refuses_an_empty_data_set_by_the_first_data_span()
    {
        var error = Assert.Throws<ArgumentException>(() => ArgumentChecks.NotEmpty(0, "xs"));
        Assert.Equal("xs", error.ParamName);
        Assert.Equal("The data set is empty: 'xs' holds no samples. (Parameter 'xs')", error.Message);
    }

    [Fact]
    public void SameSamples_accepts_equal_lengths()
    {
        ArgumentChecks.SameSamples(5, "x", 5, "y");
        ArgumentChecks.SameSamples(1, "x", 1, "y");
    }

    [Theory]
    [InlineData(6, 0)]
    [InlineData(6, 5)]
    [InlineData(6, 7)]
    public void SameSamples_refuses_another_length_by_the_other_span(int firstLength, int length)
    {
        var error = Assert.Throws<ArgumentException>(() => ArgumentChecks.SameSamples(firstLength, "x", length, "target"));
        Assert.Equal("target", error.ParamName);
        Assert.Equal($"Every data span must hold as many samples as 'x' ({firstLength}) but 'target' holds {length}. (Parameter 'target')", error.Message);
    }

    /// <summary>The generated span overloads, end to end: the same messages through the generated calls.</summary>
    [Theory]
    [MemberData(nameof(Corpus.WithoutData), MemberType = typeof(Corpus))]
    public void The_generated_span_overload_refuses_with_the_exact_message(string method)
    {
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);
        var n = c.Trainable.Length;
        var expected = (n == 1 ? "1 value" : $"{n} values") + $" ({string.Join(", ", c.Trainable.Select(p => p.Name))})";

        var error = Assert.ThrowsAny<ArgumentException>(() => compiled.Span(c, new double[n + 1], new double[n]));
        Assert.Equal($"Expected {expected} but the span holds {n + 1}. (Parameter 'parameters')", error.Message);
        error = Assert.ThrowsAny<ArgumentException>(() => compiled.Span(c, Enumerable.Repeat(0.5, n).ToArray(), new double[n + 2]));
        Assert.Equal($"Expected {expected} but the span holds {n + 2}. (Parameter 'gradient')", error.Message);
    }

    /// <summary>The generated data overloads, end to end: every check in order, with its exact message.</summary>
    [Theory]
    [MemberData(nameof(Corpus.WithData), MemberType = typeof(Corpus))]
    public void The_generated_data_overload_refuses_with_the_exact_message(string method)
    {
        var c = Corpus.Get(method);
        var compiled = Corpus.Compiled(c);
        var n = c.Trainable.Length;
        var expected = (n == 1 ? "1 value" : $"{n} values") + $" ({string.Join(", ", c.Trainable.Select(p => p.Name))})";
        var parameters = Enumerable.Repeat(0.5, n).ToArray();
        var data = c.Data.Select(_ => Enumerable.Repeat(0.25, 6).ToArray()).ToArray();

        var error = Assert.ThrowsAny<ArgumentException>(() => compiled.Span(c, [], data, new double[n]));
        Assert.Equal($"Expected {expected} but the span holds 0. (Parameter 'parameters')", error.Message);
        error = Assert.ThrowsAny<ArgumentException>(() => compiled.Span(c, parameters, data, new double[n + 1]));
        Assert.Equal($"Expected {expected} but the span holds {n + 1}. (Parameter 'gradient')", error.Message);

        var first = c.Data[0].Name;
        error = Assert.ThrowsAny<ArgumentException>(() => compiled.Span(c, parameters, c.Data.Select(_ => Array.Empty<double>()).ToArray(), new double[n]));
        Assert.Equal($"The data set is empty: '{first}' holds no samples. (Parameter '{first}')", error.Message);

        for (var k = 1; k < c.Data.Length; k++)
        {
            var mismatched = data.Select((d, j) => j == k ? new double[5] : d).ToArray();
            error = Assert.ThrowsAny<ArgumentException>(() => compiled.Span(c, parameters, mismatched, new double[n]));
            Assert.Equal($"Every data span must hold as many samples as '{first}' (6) but '{c.Data[k].Name}' holds 5. (Parameter '{c.Data[k].Name}')", error.Message);
        }
    }
}
