using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// Runs the console program tests/OptimDsl.SimdCheck, which prints the bits of generated optimizers'
/// and data gradients' results: its first line names the SIMD paths and the runtime, every other
/// line is <c>name: BITS(value) …</c>.
/// </summary>
internal static class SimdCheckProgram
{
    /// <summary>The machine's defaults, AVX-512 off (Vector256 at most), AVX2 off (Vector128 only) and every intrinsic off (software vectors).</summary>
    public static readonly string?[] Modes = [null, "DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic"];

    private static readonly Dictionary<string, Lazy<string>> Net10Runs = Modes.ToDictionary(
        mode => mode ?? string.Empty,
        mode => new Lazy<string>(() => Run(DotnetHost(), [Net10Program()], mode)));

    /// <summary>The net10.0 build's output in <paramref name="mode"/> (run once per test run).</summary>
    public static string Net10(string? mode) => Net10Runs[mode ?? string.Empty].Value;

    /// <summary>Runs <paramref name="program"/> with <paramref name="disabledKnob"/> = 0 (none: the machine's defaults).</summary>
    public static string Run(string program, string[] arguments, string? disabledKnob)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var knob in new[] { "DOTNET_EnableHWIntrinsic", "DOTNET_EnableAVX512", "DOTNET_EnableAVX512F", "DOTNET_PreferredVectorBitWidth", "DOTNET_EnableAVX2", "DOTNET_EnableAVX", "COMPlus_EnableHWIntrinsic", "COMPlus_EnableAVX2" })
        {
            start.Environment.Remove(knob);
        }

        if (disabledKnob is not null)
        {
            start.Environment[disabledKnob] = "0";
        }

        var (exitCode, output, error) = Execute(start, TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"{program} exited with {exitCode}:\n{error}");
        return output;
    }

    /// <summary>Runs a process to its end; fails the test if it takes longer than <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Output, string Error) Execute(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{start.FileName} {string.Join(" ", start.ArgumentList)} did not finish in {timeout.TotalSeconds} s");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    public static string FirstLine(string output) => output.Split('\n')[0].Trim();

    /// <summary>Every line after the first.</summary>
    public static string[] Results(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)];

    /// <summary>The result lines by name, each with the bits of its values.</summary>
    public static Dictionary<string, long[]> ResultsByName(string output)
    {
        var results = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var line in Results(output))
        {
            var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            var values = line[(colon + 2)..].Split(' ')
                .Select(value => Convert.ToInt64(value[..value.IndexOf('(', StringComparison.Ordinal)], 16))
                .ToArray();
            results.Add(line[..colon], values);
        }

        return results;
    }

    public static void AssertSameResults(string expected, string actual, string variant)
    {
        var expectedLines = Results(expected);
        var actualLines = Results(actual);
        Assert.True(expectedLines.Length >= 10, $"the check printed only {expectedLines.Length} results:\n{expected}");
        Assert.Equal(expectedLines.Length, actualLines.Length);
        var differences = expectedLines.Zip(actualLines)
            .Where(pair => pair.First != pair.Second)
            .Select(pair => $"  expected: {pair.First}\n  {variant}: {pair.Second}")
            .ToArray();
        var shown = new StringBuilder().AppendJoin('\n', differences.Take(40));
        Assert.True(differences.Length == 0, $"{differences.Length} results differ under {variant}:\n{shown}");
    }

    public static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    /// <summary>The configuration this test assembly was built in (the SimdCheck builds are looked up in the same).</summary>
    public static string Configuration =>
        typeof(SimdCheckProgram).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The repository's root: the folder above this test assembly holding OptimDsl.sln.</summary>
    public static string RepositoryRoot()
    {
        var location = typeof(SimdCheckProgram).Assembly.Location;
        for (var folder = Path.GetDirectoryName(location); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "OptimDsl.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"No OptimDsl.sln above {location}.");
    }

    public static string ProjectFolder => Path.Combine(RepositoryRoot(), "tests", "OptimDsl.SimdCheck");

    /// <summary>tests/OptimDsl.SimdCheck/bin/&lt;this configuration&gt;/net10.0/OptimDsl.SimdCheck.dll.</summary>
    private static string Net10Program()
    {
        var path = Path.Combine(ProjectFolder, "bin", Configuration, "net10.0", "OptimDsl.SimdCheck.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build tests/OptimDsl.SimdCheck ({Configuration}); OptimDsl.Tests references it so that it is built first");
        return path;
    }
}
