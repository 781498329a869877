using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using OptimDsl.Tests.Optimizers;
using Xunit;
using static OptimDsl.Tests.Optimizers.SimdCheckProgram;

namespace OptimDsl.Tests.Hostile;

/// <summary>
/// Publishes tests/OptimDsl.SimdCheck for net8.0, self-contained (so it runs on the .NET 8 runtime
/// where only .NET 10 is installed; the runtime pack comes from the normal NuGet source), once per
/// test run, and runs it with the intrinsics on, with AVX2 off and with all of them off.
/// </summary>
public sealed class Net8SimdCheck
{
    private readonly Dictionary<string, Lazy<string>> _runs;

    public Net8SimdCheck()
    {
        var rid = RuntimeIdentifier();
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", Path.Combine(ProjectFolder, "OptimDsl.SimdCheck.csproj"), "-c", Configuration, "-f", "net8.0", "-r", rid,
            "--self-contained", "--disable-build-servers", "--nologo",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // Not the test run's own MSBuild settings nor SIMD knobs: a plain build, as from a shell.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_Enable", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(key);
        }

        var (exitCode, output, error) = Execute(start, TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"dotnet publish of the net8.0 SimdCheck failed ({exitCode}):\n{output}\n{error}");

        var program = Path.Combine(ProjectFolder, "bin", Configuration, "net8.0", rid, "publish",
            OperatingSystem.IsWindows() ? "OptimDsl.SimdCheck.exe" : "OptimDsl.SimdCheck");
        Assert.True(File.Exists(program), $"{program} is missing after the publish:\n{output}");
        _runs = Modes.ToDictionary(mode => mode ?? string.Empty, mode => new Lazy<string>(() => Run(program, [], mode)));
    }

    /// <summary>The net8.0 build's output in <paramref name="mode"/> (see <see cref="SimdCheckProgram.Modes"/>).</summary>
    public string Output(string? mode) => _runs[mode ?? string.Empty].Value;

    /// <summary>This machine's portable runtime identifier (linux-x64 here).</summary>
    private static string RuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return os + "-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
    }
}

/// <summary>
/// The README: lib/net8.0 gives the results of lib/net10.0, bit for bit. On .NET 8 the BCL's vector
/// Max and Min return their second operand when either is NaN or both are zero, and its software
/// Vector128 negation computes 0 − x; the generated code therefore calls OptimDsl.VectorMath, whose
/// net8.0 build follows Math.Max, Math.Min and scalar negation. Without that a NaN sample vanished
/// from a data gradient, and the sign of a zero depended on whether the sample fell in a vector
/// or in the scalar tail.
/// </summary>
public sealed class Net8SemanticsTests : IClassFixture<Net8SimdCheck>
{
    private readonly Net8SimdCheck _net8;

    public Net8SemanticsTests(Net8SimdCheck net8) => _net8 = net8;

    public static TheoryData<string> ModeNames => ["default", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic"];

    [Theory]
    [MemberData(nameof(ModeNames))]
    public void The_net8_build_runs_on_the_net8_runtime_in_the_intended_mode(string modeName)
    {
        var header = FirstLine(_net8.Output(Mode(modeName)));
        Assert.Contains(" runtime=8.0.", header, StringComparison.Ordinal);
        var expected = modeName switch
        {
            "DOTNET_EnableHWIntrinsic" => "accelerated Vector128=False Vector256=False ",
            "DOTNET_EnableAVX2" => "Vector256=False ",
            _ => FirstLine(Net10(null))[..FirstLine(Net10(null)).IndexOf(" runtime=", StringComparison.Ordinal)],
        };
        Assert.Contains(expected, header, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ModeNames))]
    public void The_net8_build_prints_the_net10_results_bit_for_bit(string modeName)
    {
        AssertSameResults(Net10(Mode(modeName)), _net8.Output(Mode(modeName)), $"net8.0, {modeName}");
    }

    /// <summary>
    /// Each special-value data gradient equals the same mean over System.Math computed by a plain
    /// loop (both NaN, or the same bits), with the special sample at each of six positions: the four
    /// lanes of the vector loop and the scalar tail.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModeNames))]
    public void Data_gradients_follow_Math_for_NaN_samples_and_signed_zeros_at_every_position(string modeName)
    {
        var results = ResultsByName(_net8.Output(Mode(modeName)));
        var generated = results.Keys.Where(k => k.EndsWith(" generated", StringComparison.Ordinal)).ToArray();
        Assert.True(generated.Length >= 300, $"only {generated.Length} special-value gradients were printed");
        var wrong = new List<string>();
        foreach (var name in generated)
        {
            var reference = results[name[..^" generated".Length] + " Math"];
            if (!results[name].Zip(reference).All(pair => SameValue(pair.First, pair.Second)))
            {
                wrong.Add($"{name}: {Show(results[name])}; Math: {Show(reference)}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} gradients differ from Math:\n{string.Join("\n", wrong.Take(40))}");
    }

    /// <summary>Hand-derived: for a·m + b/m at a = b = 1, ∂/∂a is the mean of m and ∂/∂b the mean of 1/m.</summary>
    [Theory]
    [MemberData(nameof(ModeNames))]
    public void A_NaN_sample_gives_a_NaN_gradient_and_a_signed_zero_an_infinity_of_its_sign(string modeName)
    {
        var results = ResultsByName(_net8.Output(Mode(modeName)));
        for (var position = 0; position < 6; position++)
        {
            // Math.Max(NaN, 1) and Math.Max(1, NaN) are NaN: loss and both derivatives are NaN.
            foreach (var name in new[] { "max(FFF8000000000000, 1)", "max(1, FFF8000000000000)", "min(FFF8000000000000, 1)", "min(1, FFF8000000000000)", "clamp(FFF8000000000000, 0.25, 4)", "clamp(1, FFF8000000000000, 4)", "clamp(1, 0.25, FFF8000000000000)", "relu(FFF8000000000000)", "abs(FFF8000000000000)", "negation(FFF8000000000000)" })
            {
                Assert.All(Values(results, $"{name} at {position} generated"), value => Assert.True(double.IsNaN(value), $"{name} at {position}: {value}"));
            }

            // −0 < +0: 1/Max(−0, +0) = 1/Max(+0, −0) = +∞, 1/Min(−0, +0) = 1/Min(+0, −0) = −∞.
            Assert.Equal(double.PositiveInfinity, Values(results, $"max(-0, 0) at {position} generated")[2]);
            Assert.Equal(double.PositiveInfinity, Values(results, $"max(0, -0) at {position} generated")[2]);
            Assert.Equal(double.NegativeInfinity, Values(results, $"min(-0, 0) at {position} generated")[2]);
            Assert.Equal(double.NegativeInfinity, Values(results, $"min(0, -0) at {position} generated")[2]);
            Assert.Equal(double.NegativeInfinity, Values(results, $"max(-0, -0) at {position} generated")[2]);

            // Clamp(x, lo, hi) = Min(Max(x, lo), hi): Min(Max(+0, −0), −0) = −0; Min(Max(−1, −0), +0) = −0; Min(Max(−0, +0), 1) = +0.
            Assert.Equal(double.NegativeInfinity, Values(results, $"clamp(0, -0, -0) at {position} generated")[2]);
            Assert.Equal(double.NegativeInfinity, Values(results, $"clamp(-1, -0, 0) at {position} generated")[2]);
            Assert.Equal(double.PositiveInfinity, Values(results, $"clamp(-0, 0, 1) at {position} generated")[2]);

            // |−0| = +0; Max(−1, 0) = +0; −(+0) = −0.
            Assert.Equal(double.PositiveInfinity, Values(results, $"abs(-0) at {position} generated")[2]);
            Assert.Equal(double.PositiveInfinity, Values(results, $"relu(-1) at {position} generated")[2]);
            Assert.Equal(double.NegativeInfinity, Values(results, $"negation(0) at {position} generated")[2]);
            Assert.Equal(double.PositiveInfinity, Values(results, $"negation(-0) at {position} generated")[2]);
        }
    }

    /// <summary>
    /// OptimDsl.VectorMath's net8.0 build (compare and select) against Math.Max, Math.Min and
    /// negation on the .NET 8 runtime, every pair of special values in every lane of both widths.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModeNames))]
    public void VectorMath_on_net8_equals_Math_in_every_lane(string modeName)
    {
        var results = ResultsByName(_net8.Output(Mode(modeName)));
        var lines = results.Where(pair => pair.Key.StartsWith("VectorMath.", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length > 500, $"only {lines.Length} VectorMath results were printed");
        var wrong = lines.Where(pair => pair.Value.Any(bits => bits != pair.Value[0])).Select(pair => $"{pair.Key}: {Show(pair.Value)}").ToArray();
        Assert.True(wrong.Length == 0, $"{wrong.Length} VectorMath results differ from Math (the first value) in some lane:\n{string.Join("\n", wrong.Take(40))}");
    }

    private static string? Mode(string modeName) => modeName == "default" ? null : modeName;

    private static double[] Values(Dictionary<string, long[]> results, string name)
    {
        Assert.True(results.TryGetValue(name, out var bits), $"SimdCheck printed no '{name}'");
        return Array.ConvertAll(bits!, BitConverter.Int64BitsToDouble);
    }

    private static bool SameValue(long x, long y)
        => x == y || (double.IsNaN(BitConverter.Int64BitsToDouble(x)) && double.IsNaN(BitConverter.Int64BitsToDouble(y)));

    private static string Show(long[] values) => string.Join(" ", values.Select(bits => $"{bits:X16}({BitConverter.Int64BitsToDouble(bits):R})"));
}
