using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using OptimDsl.Generators.Parsing;
using OptimDsl.Tests.Diagnostics;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Vectors;

/// <summary>
/// What the generator refuses in vector objectives and loops (SPEC §8, issue 11), at the exact place:
/// an index or a slice outside its vector and a vector passed where another length is declared
/// (OPTDSL008 at the index, the range, the slicing call or the argument), a length that is not
/// positive (OPTDSL008 at the <c>[Length]</c> attribute or the <c>stackalloc</c> size), a span parameter
/// without <c>[Length]</c> (OPTDSL002 at the parameter, and nothing for its uses), and loops whose trip
/// count is not known at compile time (OPTDSL001 at the keyword, the statement, the condition or the step).
/// </summary>
/// <remarks>
/// Each case is checked twice: by the analyzer, with <c>{|ID:…|}</c> markup and nothing else reported
/// (compiler errors included, so every source compiles), and by the generator, which writes no file for
/// the refused objective <c>M</c>, still writes the valid objectives beside it, and does not throw.
/// The positive cases at the end report nothing (but the OPTDSL007 infos and OPTDSL010 warnings they mark)
/// and are generated.
/// </remarks>
public sealed class VectorDiagnosticTests
{
    // ---- OPTDSL008: an index out of range, at the index expression -------------------------------

    private static readonly Dictionary<string, string> IndexCases = new(StringComparer.Ordinal)
    {
        ["a constant past the end"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] * w[{|OPTDSL008:5|}];
            """,
        ["a constant equal to the length"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[3] - w[{|OPTDSL008:4|}];
            """,
        ["a negative constant"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] + w[{|OPTDSL008:-1|}];
            """,
        ["a const int field"] = """
            private const int Last = 4;

            [Objective]
            public static double M([Length(Last)] ReadOnlySpan<double> w) => w[0] * w[{|OPTDSL008:Last|}];
            """,
        ["the vector's Length"] = """
            [Objective]
            public static double M([Length(3)] ReadOnlySpan<double> w) => w[0] * w[{|OPTDSL008:w.Length|}];
            """,
        ["each of two indexes"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] * w[{|OPTDSL008:4|}] + w[{|OPTDSL008:7|}];
            """,
        ["i + 1 in a loop, once although one iteration is out"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 4; i++)
                {
                    s += w[i] * w[{|OPTDSL008:i + 1|}];
                }

                return s;
            }
            """,
        ["the loop variable, once although two iterations are out"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 6; i++)
                {
                    s += w[{|OPTDSL008:i|}];
                }

                return s;
            }
            """,
        ["i - 1 from zero"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 4; i++)
                {
                    s += w[i] - w[{|OPTDSL008:i - 1|}];
                }

                return s;
            }
            """,
        ["a loop counting down past zero"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 3; i >= -1; i--)
                {
                    s += w[{|OPTDSL008:i|}];
                }

                return s;
            }
            """,
        ["a computed index in nested loops"] = """
            [Objective]
            public static double M([Length(8)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int j = 0; j < 4; j++)
                {
                    for (int i = 0; i < 3; i++)
                    {
                        s += w[{|OPTDSL008:j * 2 + i|}];
                    }
                }

                return s;
            }
            """,
        ["a triangular loop's inner bound"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 4; i++)
                {
                    for (int j = i; j <= 4; j++)
                    {
                        s += w[i] * w[{|OPTDSL008:j|}];
                    }
                }

                return s;
            }
            """,
        ["an int local, compound-assigned"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                int k = 1;
                k += 3;
                return w[0] * w[{|OPTDSL008:k|}];
            }
            """,
        ["an index from the end past the start"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[^1] * w[{|OPTDSL008:^5|}];
            """,
        ["an index from the end of zero"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[^4] * w[{|OPTDSL008:^0|}];
            """,
        ["a data row"] = """
            [Objective]
            public static double M(double b, [Data, Length(2)] ReadOnlySpan<double> x) => b * x[0] + b * x[{|OPTDSL008:2|}];
            """,
        ["a local vector, read"] = """
            [Objective]
            public static double M([Length(3)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[3];
                for (int i = 0; i < 3; i++)
                {
                    h[i] = w[i] * w[i];
                }

                return h[0] + h[{|OPTDSL008:3|}];
            }
            """,
        ["a local vector, written"] = """
            [Objective]
            public static double M([Length(3)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[3];
                h[{|OPTDSL008:3|}] = w[0];
                return h[0] + w[1] * w[2];
            }
            """,
        ["a slice held in a local"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                ReadOnlySpan<double> t = w[1..3];
                return w[0] * t[{|OPTDSL008:2|}];
            }
            """,
        ["a map of 64 iterations written one past its vector (the loop is unrolled and reports it once)"] = """
            [Objective]
            public static double M([Length(64)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[64];
                for (int j = 0; j < 64; j++)
                {
                    h[{|OPTDSL008:j + 1|}] = Math.Tanh(w[j]);
                }

                return h[0];
            }
            """,
        ["a rolled map read one past its vector by a later loop of 64"] = """
            [Objective]
            public static double M([Length(64)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[64];
                for (int j = 0; j < 64; j++)
                {
                    h[j] = Math.Tanh(w[j]);
                }

                double s = 0;
                for (int j = 0; j < 64; j++)
                {
                    s += h[{|OPTDSL008:j + 1|}] * w[j];
                }

                return s;
            }
            """,
    };

    public static TheoryData<string> IndexCaseNames() => [.. IndexCases.Keys];

    [Theory]
    [MemberData(nameof(IndexCaseNames))]
    public Task An_index_out_of_range_is_reported_at_the_index_expression(string name) => AssertRefused(IndexCases[name]);

    // ---- OPTDSL008: a slice out of range, at the range or the Slice call ---------------------------

    private static readonly Dictionary<string, string> SliceCases = new(StringComparer.Ordinal)
    {
        ["a range past the end"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] + w[{|OPTDSL008:2..9|}][0];
            """,
        ["Slice longer than what is left"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] + {|OPTDSL008:w.Slice(2, 9)|}[0];
            """,
        ["Slice ending one past the end"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] + {|OPTDSL008:w.Slice(3, 2)|}[0];
            """,
        ["a range from the start past the end"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] + w[{|OPTDSL008:..5|}][0];
            """,
        ["a range that ends before it starts"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] + w[{|OPTDSL008:3..1|}][0];
            """,
        ["a range from the end before the start"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] + w[{|OPTDSL008:^6..|}][0];
            """,
        ["a slice of a slice"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                ReadOnlySpan<double> t = w[1..];
                return w[0] * t[0] + t[{|OPTDSL008:1..4|}][0];
            }
            """,
        ["a slice of a local vector"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[2];
                h[0] = w[0];
                h[1] = w[1];
                return h[0] + h[{|OPTDSL008:1..3|}][0];
            }
            """,
    };

    public static TheoryData<string> SliceCaseNames() => [.. SliceCases.Keys];

    [Theory]
    [MemberData(nameof(SliceCaseNames))]
    public Task A_slice_out_of_range_is_reported_at_the_range_or_the_call(string name) => AssertRefused(SliceCases[name]);

    // ---- OPTDSL008: a vector passed where another length is declared, at the argument --------------

    /// <summary>The valid objectives the calls below go to; both are generated.</summary>
    private const string Helpers = """
        [Objective]
        public static double Helper([Length(3)] ReadOnlySpan<double> v) => v[0] * v[1] + v[2];

        [Objective]
        public static double Pair([Length(2)] ReadOnlySpan<double> a, [Length(3)] ReadOnlySpan<double> b) => a[0] * b[0] + a[1] * b[1] + b[2];
        """;

    private static readonly Dictionary<string, string> CallCases = new(StringComparer.Ordinal)
    {
        ["a longer trained vector"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => Helper({|OPTDSL008:w|});
            """,
        ["a shorter range"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[2] * w[3] + Helper({|OPTDSL008:w[..2]|});
            """,
        ["a shorter Slice call"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => w[2] * w[3] + Helper({|OPTDSL008:w.Slice(0, 2)|});
            """,
        ["a local vector"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[2];
                h[0] = w[0];
                h[1] = w[1];
                return Helper({|OPTDSL008:h|});
            }
            """,
        ["a data row"] = """
            [Objective]
            public static double M([Length(3)] ReadOnlySpan<double> w, [Data, Length(2)] ReadOnlySpan<double> x) => Helper(w) * Helper({|OPTDSL008:x|});
            """,
        ["a named argument"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => Helper(v: {|OPTDSL008:w|});
            """,
        ["the second of two vector arguments"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w) => Pair(w[..2], {|OPTDSL008:w|});
            """,
    };

    public static TheoryData<string> CallCaseNames() => [.. CallCases.Keys];

    [Theory]
    [MemberData(nameof(CallCaseNames))]
    public Task A_vector_of_another_length_is_reported_at_the_argument(string name) =>
        AssertRefused(Helpers + "\n\n" + CallCases[name], "Helper", "Pair");

    // ---- OPTDSL008: a length that is not a positive constant, at the attribute or the size ---------

    private static readonly Dictionary<string, string> LengthCases = new(StringComparer.Ordinal)
    {
        ["Length(0)"] = """
            [Objective]
            public static double M(double b, [{|OPTDSL008:Length(0)|}] ReadOnlySpan<double> w) => b * b;
            """,
        ["a negative Length"] = """
            [Objective]
            public static double M(double b, [{|OPTDSL008:Length(-2)|}] ReadOnlySpan<double> w) => b * b;
            """,
        ["a Length computed from a constant"] = """
            private const int Size = 4;

            [Objective]
            public static double M(double b, [{|OPTDSL008:Length(Size - 5)|}] ReadOnlySpan<double> w) => b * b;
            """,
        ["Length(0) on a data row"] = """
            [Objective]
            public static double M(double b, [Data, {|OPTDSL008:Length(0)|}] ReadOnlySpan<double> x) => b * b;
            """,
        ["stackalloc of 0"] = """
            [Objective]
            public static double M([Length(1)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[{|OPTDSL008:0|}];
                return w[0] * w[0];
            }
            """,
        ["stackalloc of a negative int local"] = """
            [Objective]
            public static double M([Length(1)] ReadOnlySpan<double> w)
            {
                int n = 1;
                n -= 2;
                Span<double> h = stackalloc double[{|OPTDSL008:n|}];
                return w[0] * w[0];
            }
            """,
    };

    public static TheoryData<string> LengthCaseNames() => [.. LengthCases.Keys];

    [Theory]
    [MemberData(nameof(LengthCaseNames))]
    public Task A_length_that_is_not_positive_is_reported_at_the_attribute_or_the_size(string name) => AssertRefused(LengthCases[name]);

    // ---- Past 250,000 values: OPTDSL008 at the attribute before the body is read (no crash, no gigabytes), OPTDSL001 at a
    // local vector's size (README, Limits) ------------------------------------------------------------------------------

    private static readonly Dictionary<string, string> TooLongCases = new(StringComparer.Ordinal)
    {
        ["Length(100_000_000)"] = """
            [Objective, Adam]
            public static double M([{|OPTDSL008:Length(100_000_000)|}] ReadOnlySpan<double> w) => w[0] * w[0];
            """,
        ["Length(int.MaxValue)"] = """
            [Objective]
            public static double M(double b, [{|OPTDSL008:Length(int.MaxValue)|}] ReadOnlySpan<double> w) => b * b;
            """,
        ["two vectors past the limit together, at the second"] = """
            [Objective]
            public static double M([Length(200_000)] ReadOnlySpan<double> w, [Data, {|OPTDSL008:Length(60_000)|}] ReadOnlySpan<double> x) => w[0] * x[0];
            """,
        ["a local vector past the limit, at its size"] = """
            [Objective]
            public static double M([Length(3)] ReadOnlySpan<double> w)
            {
                Span<double> h = stackalloc double[{|OPTDSL001:250_000|}];
                return w[0] * w[1] + h[5];
            }
            """,
    };

    public static TheoryData<string> TooLongCaseNames() => [.. TooLongCases.Keys];

    [Theory]
    [MemberData(nameof(TooLongCaseNames))]
    public Task A_vector_past_the_limit_is_reported_at_its_length_without_building_it(string name) => AssertRefused(TooLongCases[name]);

    // ---- OPTDSL002: a span parameter without [Length], at the parameter, and only there ----------

    private static readonly Dictionary<string, string> NoLengthCases = new(StringComparer.Ordinal)
    {
        ["indexed past any length"] = """
            [Objective]
            public static double M(double b, {|OPTDSL002:ReadOnlySpan<double> w|}) => b * w[0] + w[9];
            """,
        ["a loop to its Length"] = """
            [Objective]
            public static double M({|OPTDSL002:ReadOnlySpan<double> w|})
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    s += w[i] * w[i];
                }

                return s;
            }
            """,
        ["sliced and passed on"] = """
            [Objective]
            public static double Helper([Length(3)] ReadOnlySpan<double> v) => v[0] * v[1] + v[2];

            [Objective]
            public static double M({|OPTDSL002:ReadOnlySpan<double> w|}) => Helper(w) + Helper(w[1..]);
            """,
    };

    public static TheoryData<string> NoLengthCaseNames() => [.. NoLengthCases.Keys];

    [Theory]
    [MemberData(nameof(NoLengthCaseNames))]
    public Task A_span_parameter_without_Length_is_reported_at_the_parameter_alone(string name)
    {
        var members = NoLengthCases[name];
        return members.Contains("double Helper(", StringComparison.Ordinal) ? AssertRefused(members, "Helper") : AssertRefused(members);
    }

    // ---- OPTDSL001: loop forms whose trip count is not known at compile time -----------------------

    private static readonly Dictionary<string, string> LoopCases = new(StringComparer.Ordinal)
    {
        ["while, at the keyword"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[0];
                {|OPTDSL001:while|} (s < 3)
                {
                    s += w[1];
                }

                return s;
            }
            """,
        ["do, at the keyword"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[0];
                {|OPTDSL001:do|}
                {
                    s += w[1];
                }
                while (s < 3);

                return s;
            }
            """,
        ["foreach, at the keyword"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = 0;
                {|OPTDSL001:foreach|} (var v in w)
                {
                    s += v * v;
                }

                return s;
            }
            """,
        ["break, the whole statement"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 2; i++)
                {
                    s += w[i] * w[i];
                    {|OPTDSL001:break;|}
                }

                return s + w[1];
            }
            """,
        ["continue, the whole statement"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 2; i++)
                {
                    s += w[i] * w[i];
                    {|OPTDSL001:continue;|}
                }

                return s;
            }
            """,
        ["return inside a loop, the whole statement"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 2; i++)
                {
                    s += w[i] * w[i];
                    {|OPTDSL001:return s;|}
                }

                return s;
            }
            """,
        ["goto inside a loop, the whole statement (and the label, as any labeled statement)"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 2; i++)
                {
                    {|OPTDSL001:goto next;|}
                    {|OPTDSL001:next|}: s += w[i] * w[i];
                }

                return s;
            }
            """,
        ["a bound cast from a double parameter, at the cast"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w, double n)
            {
                double s = w[0] * w[1];
                for (int i = 0; i < {|OPTDSL001:(int)n|}; i++)
                {
                    s += n;
                }

                return s;
            }
            """,
        ["a bound that is a double parameter, at the condition"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w, double n)
            {
                double s = w[0] * w[1];
                for (int i = 0; {|OPTDSL001:i <= n|}; i++)
                {
                    s += n;
                }

                return s;
            }
            """,
        ["a bound that is a double local, at the condition"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = 0;
                double m = w[0];
                for (int i = 0; {|OPTDSL001:i < m|}; i++)
                {
                    s += w[1];
                }

                return s;
            }
            """,
        ["i-- away from an upper bound, at the step"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[1];
                for (int i = 0; i < 4; {|OPTDSL001:i--|})
                {
                    s += w[0];
                }

                return s;
            }
            """,
        ["i++ away from a lower bound, at the step"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[1];
                for (int i = 4; i > 0; {|OPTDSL001:i++|})
                {
                    s += w[0];
                }

                return s;
            }
            """,
        ["i -= 1 away from an upper bound, at the step"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[1];
                for (int i = 0; i < 4; {|OPTDSL001:i -= 1|})
                {
                    s += w[0];
                }

                return s;
            }
            """,
        ["i *= 2, at the step"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[1];
                for (int i = 1; i < 4; {|OPTDSL001:i *= 2|})
                {
                    s += w[0];
                }

                return s;
            }
            """,
        ["i += 0, at the step"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[1];
                for (int i = 0; i < 4; {|OPTDSL001:i += 0|})
                {
                    s += w[0];
                }

                return s;
            }
            """,
        ["i += -1 towards the bound but not a positive constant, at the step"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[1];
                for (int i = 4; i > 0; {|OPTDSL001:i += -1|})
                {
                    s += w[0];
                }

                return s;
            }
            """,
        ["i = i + 1, at the step"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[1];
                for (int i = 0; i < 2; {|OPTDSL001:i = i + 1|})
                {
                    s += w[0];
                }

                return s;
            }
            """,
        ["no condition, at the for keyword"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[1];
                {|OPTDSL001:for|} (int i = 0; ; i++)
                {
                    s += w[0];
                }
            }
            """,
        ["the loop variable assigned in the body, at the target"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 4; i++)
                {
                    s += w[i];
                    {|OPTDSL001:i|} = 3;
                }

                return s;
            }
            """,
        ["the loop variable compound-assigned in the body, at the target"] = """
            [Objective]
            public static double M([Length(4)] ReadOnlySpan<double> w)
            {
                double s = 0;
                for (int i = 0; i < 4; i++)
                {
                    s += w[i];
                    {|OPTDSL001:i|} += 1;
                }

                return s;
            }
            """,
        ["more than 1,000,000 iterations, at the for keyword"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                double s = w[1];
                {|OPTDSL001:for|} (int i = 0; i < 1_000_001; i++)
                {
                    s += w[0];
                }

                return s;
            }
            """,
        ["an int local cast from a double parameter, at the initializer"] = """
            [Objective]
            public static double M(double x, [Length(2)] ReadOnlySpan<double> w)
            {
                int k = {|OPTDSL001:(int)x|};
                return x * w[0] + w[1];
            }
            """,
        ["an int local cast from a vector element, at the initializer"] = """
            [Objective]
            public static double M([Length(2)] ReadOnlySpan<double> w)
            {
                int k = {|OPTDSL001:(int)w[0]|};
                return w[0] * w[1];
            }
            """,
        ["a var int local cast from a double, at the initializer"] = """
            [Objective]
            public static double M(double x, [Length(2)] ReadOnlySpan<double> w)
            {
                var k = {|OPTDSL001:(int)x|};
                return x * w[0] + w[1];
            }
            """,
    };

    public static TheoryData<string> LoopCaseNames() => [.. LoopCases.Keys];

    [Theory]
    [MemberData(nameof(LoopCaseNames))]
    public Task An_unsupported_loop_or_int_local_is_reported_at_the_construct(string name) => AssertRefused(LoopCases[name]);

    // ---- the message names the index and the range it must lie in ---------------------------------

    [Theory]
    [InlineData("a constant", "5", "[0, 4)", """
        [Objective]
        public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] * w[{|OPTDSL008:5|}];
        """)]
    [InlineData("a negative constant", "-1", "[0, 4)", """
        [Objective]
        public static double M([Length(4)] ReadOnlySpan<double> w) => w[0] * w[{|OPTDSL008:-1|}];
        """)]
    [InlineData("a computed index in a loop, out in one iteration only", "6", "[0, 5)", """
        [Objective]
        public static double M([Length(5)] ReadOnlySpan<double> w)
        {
            double s = w[1] * w[3];
            for (int i = 0; i < 3; i++)
            {
                s += w[{|OPTDSL008:2 * i + 2|}];
            }

            return s;
        }
        """)]
    [InlineData("an int local", "7", "[0, 3)", """
        [Objective]
        public static double M([Length(3)] ReadOnlySpan<double> w)
        {
            int k = 2;
            k += 5;
            return w[0] * w[1] + w[2] * w[{|OPTDSL008:k|}];
        }
        """)]
    [InlineData("a local vector", "5", "[0, 2)", """
        [Objective]
        public static double M([Length(2)] ReadOnlySpan<double> w)
        {
            Span<double> h = stackalloc double[2];
            h[0] = w[0];
            h[1] = w[1];
            return h[0] * h[{|OPTDSL008:5|}];
        }
        """)]
    [InlineData("a data row", "3", "[0, 2)", """
        [Objective]
        public static double M(double b, [Data, Length(2)] ReadOnlySpan<double> x) => b * x[0] * x[1] + x[{|OPTDSL008:3|}];
        """)]
    public void The_generators_message_names_the_index_and_the_range(string what, string index, string range, string members)
    {
        _ = what;
        TestFileMarkupParser.GetSpans(InProblems(members), out var source, out ImmutableDictionary<string, ImmutableArray<TextSpan>> spans);
        var expected = Assert.Single(spans["OPTDSL008"]);
        var compilation = GeneratorHarness.CreateCompilation(source);
        AssertCompiles(compilation);

        var method = compilation.GetTypeByMetadataName("Demo.Problems")!.GetMembers("M").OfType<IMethodSymbol>().Single();
        var tree = method.DeclaringSyntaxReferences.Single().SyntaxTree;
        var result = ObjectiveParser.Parse(method, compilation.GetSemanticModel(tree), CancellationToken.None);

        Assert.Null(result.Model);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Equal("OPTDSL008", diagnostic.Id);
        Assert.Equal(expected, diagnostic.Location.SourceSpan);
        var message = diagnostic.GetMessage();
        Assert.Contains(index, message, StringComparison.Ordinal);
        Assert.Contains(range, message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A limit's message says which limit (README, Limits): a vector past 250,000 values says so, not that the body is too
    /// large; a rolled loop of more iterations than the limit says it has too many iterations, not what unrolling it would make.
    /// </summary>
    [Theory]
    [InlineData("OPTDSL008", "at most 250,000 values in its parameters", """
        [Objective]
        public static double M([{|OPTDSL008:Length(1_000_000)|}] ReadOnlySpan<double> w) => w[0] * w[0];
        """)]
    [InlineData("OPTDSL001", "takes the body past 250,000 operations", """
        [Objective]
        public static double M([Length(3)] ReadOnlySpan<double> w)
        {
            Span<double> h = stackalloc double[{|OPTDSL001:300_000|}];
            return w[0] * w[1] + h[5];
        }
        """)]
    [InlineData("OPTDSL001", "more than 1,000,000 iterations in all", """
        [Objective]
        public static double M([Length(2)] ReadOnlySpan<double> w)
        {
            double s = w[1];
            {|OPTDSL001:for|} (int i = 0; i < int.MaxValue; i++)
            {
                s += w[0] * i;
            }

            return s;
        }
        """)]
    public void A_limits_message_names_that_limit(string id, string text, string members)
    {
        TestFileMarkupParser.GetSpans(InProblems(members), out var source, out ImmutableDictionary<string, ImmutableArray<TextSpan>> spans);
        var expected = Assert.Single(spans[id]);
        var compilation = GeneratorHarness.CreateCompilation(source);
        var method = compilation.GetTypeByMetadataName("Demo.Problems")!.GetMembers("M").OfType<IMethodSymbol>().Single();
        var tree = method.DeclaringSyntaxReferences.Single().SyntaxTree;
        var result = ObjectiveParser.Parse(method, compilation.GetSemanticModel(tree), CancellationToken.None);

        Assert.Null(result.Model);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(expected, diagnostic.Location.SourceSpan);
        Assert.Contains(text, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The cases above in one class (each refused objective renamed <c>M0</c>, <c>M1</c>, …): every
    /// diagnostic stays at its own place, none leaks into a neighbour, and only the valid objectives get files.
    /// </summary>
    [Fact]
    public async Task All_refused_objectives_together_report_each_case_and_generate_only_the_valid_ones()
    {
        var cases = new[] { IndexCases, SliceCases, CallCases, LengthCases, NoLengthCases, LoopCases }
            .SelectMany(c => c.Values)
            .Where(members => !members.Contains("double Helper(", StringComparison.Ordinal))
            .Select((members, i) => members.Replace("double M(", $"double M{i}(", StringComparison.Ordinal));
        var markup = InProblems(Helpers + "\n\n" + string.Join("\n\n", cases));

        AssertCompiles(GeneratorHarness.CreateCompilation(DiagnosticTests.WithoutMarkup(markup)));
        await new AnalyzerTest(markup).RunAsync();
        AssertGeneratedCleanly(markup, ["Valid", "Helper", "Pair"]);
    }

    // ---- valid vector objectives: nothing reported, and generated ----------------------------------

    [Fact]
    public Task The_specs_linear_regression_reports_nothing() => AssertAccepted(
        """
        public const int Features = 10;

        [Objective, Adam(LearningRate = 0.05, BatchSize = 64)]
        public static double Linear([Length(Features)] ReadOnlySpan<double> w, double b,
                                    [Data, Length(Features)] ReadOnlySpan<double> x, [Data] double y)
        {
            double prediction = b;
            for (int i = 0; i < w.Length; i++)
                prediction += w[i] * x[i];
            double r = prediction - y;
            return r * r;
        }
        """,
        "Linear");

    [Fact]
    public Task The_specs_xor_network_reports_nothing() => AssertAccepted(
        """
        [Objective, Adam(LearningRate = 0.05)]
        public static double Xor([Length(8)] ReadOnlySpan<double> w1, [Length(4)] ReadOnlySpan<double> b1,
                                 [Length(4)] ReadOnlySpan<double> w2, double b2,
                                 [Data, Length(2)] ReadOnlySpan<double> input, [Data] double target)
        {
            Span<double> hidden = stackalloc double[4];
            for (int j = 0; j < 4; j++)
            {
                double s = b1[j];
                for (int i = 0; i < 2; i++)
                    s += w1[j * 2 + i] * input[i];
                hidden[j] = Math.Tanh(s);
            }
            double output = b2;
            for (int j = 0; j < 4; j++)
                output += w2[j] * hidden[j];
            return (output - target) * (output - target);
        }
        """,
        "Xor");

    [Fact]
    public Task Every_loop_form_and_int_local_within_range_reports_nothing() => AssertAccepted(
        """
        private const int Size = 4;

        [Objective]
        public static double Loops([Length(Size)] ReadOnlySpan<double> w)
        {
            double s = 0;
            for (int i = Size - 1; i >= 0; i--)
            {
                s += (w[i] - 0.5 * i) * (w[i] - 0.5 * i);
            }

            for (int i = 0; i < w.Length; i += 2)
            {
                s += w[i] * w[i + 1];
            }

            for (int i = 0; i < Size; ++i)
            {
                for (int j = i; j < Size; j++)
                {
                    s += w[i] * w[j];
                }
            }

            for (int i = Size; i > 0; i -= 3)
            {
                s += w[i - 1];
            }

            for (int i = 3; i > 0; --i)
            {
                s += w[^i];
            }

            int k = 1;
            k *= 3;
            k -= 1;
            return s + w[k] * w[^1];
        }
        """,
        "Loops");

    [Fact]
    public Task Slices_local_vectors_and_calls_with_matching_lengths_report_nothing() => AssertAccepted(
        """
        [Objective]
        public static double Dot([Length(2)] ReadOnlySpan<double> a, [Length(2)] ReadOnlySpan<double> b) => a[0] * b[0] + a[1] * b[1];

        [Objective]
        public static double Pieces([Length(6)] ReadOnlySpan<double> w, [Data, Length(2)] ReadOnlySpan<double> x)
        {
            ReadOnlySpan<double> head = w[..2];
            var tail = w[^2..];
            Span<double> h = stackalloc double[2];
            h[0] = w[2] * x[0];
            h[1] = w.Slice(3, 1)[0] * x[1];
            h[1] *= 2;
            h[0] -= x[1];
            return Dot(head, x) + Dot(tail, h) + Dot(w[2..4], w.Slice(1, 2)) + Dot(a: w[4..], b: x);
        }
        """,
        "Dot",
        "Pieces");

    [Fact]
    public Task A_kink_in_a_loop_is_one_info_at_its_construct() => AssertAccepted(
        """
        [Objective]
        public static double Relu([Length(3)] ReadOnlySpan<double> w, [Data, Length(3)] ReadOnlySpan<double> x, [Data] double y)
        {
            double s = 0;
            for (int i = 0; i < 3; i++)
            {
                s += {|OPTDSL007:Math.Max(0.0, w[i] * x[i])|};
            }

            return (s - y) * (s - y);
        }
        """,
        "Relu");

    [Fact]
    public Task A_trained_vector_that_is_never_read_is_a_warning_and_still_generated() => AssertAccepted(
        """
        [Objective]
        public static double Unread(double b, {|OPTDSL010:[Length(3)] ReadOnlySpan<double> w|}) => b * b;
        """,
        "Unread");

    [Fact]
    public Task A_rolled_maps_element_that_nothing_reads_leaves_its_trained_value_unread_as_when_unrolled() => AssertAccepted(
        // h[64] is written by the loop's last iteration and never read: w[64] and v[64] feed nothing but it.
        """
        [Objective]
        public static double Partial({|OPTDSL010:[Length(65)] ReadOnlySpan<double> w|}, [Length(65)] ReadOnlySpan<double> v)
        {
            Span<double> h = stackalloc double[65];
            Span<double> g = stackalloc double[65];
            for (int j = 0; j < 65; j++)
            {
                h[j] = Math.Sin(w[j]);
                g[j] = v[j] * v[j];
            }

            double s = g[64];
            for (int j = 0; j < 64; j++)
                s += h[j] * g[j];
            return s;
        }
        """,
        "Partial");

    // ---- helpers ----------------------------------------------------------------------------------

    /// <summary>Wraps members into a partial class next to a valid scalar objective, 'Valid'.</summary>
    private static string InProblems(string members) => $$"""
        using System;
        using OptimDsl;

        namespace Demo;

        public static partial class Problems
        {
            [Objective, Adam(LearningRate = 0.1)]
            public static double Valid(double x, double y) => (x - 1) * (x - 1) + Math.Exp(y * y);

        {{members}}
        }
        """;

    /// <summary>
    /// The analyzer reports exactly the marked diagnostics, and the generator writes files for 'Valid'
    /// and <paramref name="alsoGenerated"/> only (none for the refused 'M'), without throwing.
    /// </summary>
    private static async Task AssertRefused(string members, params string[] alsoGenerated)
    {
        var markup = InProblems(members);
        AssertCompiles(GeneratorHarness.CreateCompilation(DiagnosticTests.WithoutMarkup(markup)));
        await new AnalyzerTest(markup).RunAsync();
        AssertGeneratedCleanly(markup, ["Valid", .. alsoGenerated]);
    }

    /// <summary>The analyzer reports only what is marked, and the generator writes a file for 'Valid' and each of <paramref name="generated"/>.</summary>
    private static async Task AssertAccepted(string members, params string[] generated)
    {
        var markup = InProblems(members);
        AssertCompiles(GeneratorHarness.CreateCompilation(DiagnosticTests.WithoutMarkup(markup)));
        await new AnalyzerTest(markup).RunAsync();
        AssertGeneratedCleanly(markup, ["Valid", .. generated]);
    }

    /// <summary>Files for exactly <paramref name="generated"/>; no exception (no CS8785), nothing reported by the generator, and the output compiles.</summary>
    private static void AssertGeneratedCleanly(string markup, string[] generated)
    {
        var run = DiagnosticTests.AssertGenerated(markup, generated);
        Assert.Empty(run.RunResult.Diagnostics);
        Assert.Empty(run.GeneratorDiagnostics);
        var outputErrors = run.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(outputErrors.Length == 0, "the generated code does not compile: " + GeneratorRun.Format(outputErrors));
    }

    /// <summary>The test source itself is valid C#: a refusal must come from OptimDsl, never from the compiler.</summary>
    private static void AssertCompiles(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "the test source does not compile: " + GeneratorRun.Format(errors));
    }
}
