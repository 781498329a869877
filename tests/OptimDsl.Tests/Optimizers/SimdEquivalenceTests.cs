using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// SPEC §4.2: the Vector256, Vector128 and scalar paths give the same results. The console program
/// tests/OptimDsl.SimdCheck (built before this project) runs generated optimizers and data gradients
/// and prints every result's bits; it runs here as a child process with the hardware intrinsics on,
/// with AVX2 off (Vector128 only) and with all of them off (scalar), and the outputs must be identical.
/// </summary>
public sealed class SimdEquivalenceTests
{
    private static readonly Lazy<string> Accelerated = new(() => Run(null));
    private static readonly Lazy<string> Vector128Only = new(() => Run("DOTNET_EnableAVX2"));
    private static readonly Lazy<string> Scalar = new(() => Run("DOTNET_EnableHWIntrinsic"));

    [Fact]
    public void The_child_processes_take_the_intended_paths()
    {
        Assert.Equal(
            $"accelerated Vector128={Vector128.IsHardwareAccelerated} Vector256={Vector256.IsHardwareAccelerated}",
            FirstLine(Accelerated.Value));
        Assert.Equal("accelerated Vector128=False Vector256=False", FirstLine(Scalar.Value));
        Assert.Contains("Vector256=False", FirstLine(Vector128Only.Value), StringComparison.Ordinal);
    }

    [Fact]
    public void Scalar_and_accelerated_runs_are_bit_identical()
    {
        AssertSameResults(Accelerated.Value, Scalar.Value, "EnableHWIntrinsic=0 (scalar)");
    }

    [Fact]
    public void Vector128_and_accelerated_runs_are_bit_identical()
    {
        AssertSameResults(Accelerated.Value, Vector128Only.Value, "EnableAVX2=0 (Vector128)");
    }

    private static void AssertSameResults(string expected, string actual, string variant)
    {
        var expectedLines = Results(expected);
        var actualLines = Results(actual);
        Assert.True(expectedLines.Length >= 10, $"the check printed only {expectedLines.Length} results:\n{expected}");
        Assert.Equal(expectedLines.Length, actualLines.Length);
        var differences = expectedLines.Zip(actualLines)
            .Where(pair => pair.First != pair.Second)
            .Select(pair => $"  accelerated: {pair.First}\n  {variant}: {pair.Second}")
            .ToArray();
        Assert.True(differences.Length == 0, $"{differences.Length} results differ under {variant}:\n{string.Join("\n", differences)}");
    }

    private static string FirstLine(string output) => output.Split('\n')[0].Trim();

    private static string[] Results(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)];

    /// <summary>Runs the SimdCheck program with <paramref name="disabledKnob"/> = 0 (none: the machine's defaults).</summary>
    private static string Run(string? disabledKnob)
    {
        var start = new ProcessStartInfo(DotnetHost(), [CheckProgram()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var knob in new[] { "DOTNET_EnableHWIntrinsic", "DOTNET_EnableAVX2", "DOTNET_EnableAVX", "COMPlus_EnableHWIntrinsic", "COMPlus_EnableAVX2" })
        {
            start.Environment.Remove(knob);
        }

        if (disabledKnob is not null)
        {
            start.Environment[disabledKnob] = "0";
        }

        using var process = Process.Start(start)!;
        var standardError = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the SimdCheck program did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"the SimdCheck program exited with {process.ExitCode}:\n{standardError.Result}");
        return output;
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    /// <summary>tests/OptimDsl.SimdCheck/bin/&lt;this configuration&gt;/net10.0/OptimDsl.SimdCheck.dll.</summary>
    private static string CheckProgram()
    {
        var assembly = typeof(SimdEquivalenceTests).Assembly;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        for (var folder = Path.GetDirectoryName(assembly.Location); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "OptimDsl.sln")))
            {
                var path = Path.Combine(folder, "tests", "OptimDsl.SimdCheck", "bin", configuration, "net10.0", "OptimDsl.SimdCheck.dll");
                Assert.True(File.Exists(path), $"{path} is missing: build tests/OptimDsl.SimdCheck ({configuration}); OptimDsl.Tests references it so that it is built first");
                return path;
            }
        }

        throw new InvalidOperationException($"No OptimDsl.sln above {assembly.Location}.");
    }
}
