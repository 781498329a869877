using System;
using System.Runtime.Intrinsics;
using Xunit;
using static OptimDsl.Tests.Optimizers.SimdCheckProgram;

namespace OptimDsl.Tests.Optimizers;

/// <summary>
/// The README: the Vector256, Vector128 and scalar paths give the same results. The console program
/// tests/OptimDsl.SimdCheck (built before this project) runs generated optimizers and data gradients
/// and prints every result's bits; it runs here as a child process with the hardware intrinsics on,
/// with AVX-512 off (Vector256 at most), with AVX2 off (Vector128 only) and with all of them off (scalar), and the outputs must be identical.
/// (Hostile/Net8SemanticsTests runs its net8.0 build on the .NET 8 runtime.)
/// </summary>
public sealed class SimdEquivalenceTests
{
    [Fact]
    public void The_child_processes_take_the_intended_paths()
    {
        Assert.StartsWith(
            $"accelerated Vector128={Vector128.IsHardwareAccelerated} Vector256={Vector256.IsHardwareAccelerated} runtime={Environment.Version}",
            FirstLine(Net10(null)),
            StringComparison.Ordinal);
        Assert.StartsWith("accelerated Vector128=False Vector256=False ", FirstLine(Net10("DOTNET_EnableHWIntrinsic")), StringComparison.Ordinal);
        Assert.Contains("Vector256=False", FirstLine(Net10("DOTNET_EnableAVX2")), StringComparison.Ordinal);
        Assert.EndsWith($"Vector512={Vector512.IsHardwareAccelerated}", FirstLine(Net10(null)), StringComparison.Ordinal);
        Assert.EndsWith("Vector512=False", FirstLine(Net10("DOTNET_EnableAVX512")), StringComparison.Ordinal);
    }

    [Fact]
    public void Scalar_and_accelerated_runs_are_bit_identical()
    {
        AssertSameResults(Net10(null), Net10("DOTNET_EnableHWIntrinsic"), "EnableHWIntrinsic=0 (scalar)");
    }

    [Fact]
    public void Vector256_and_accelerated_runs_are_bit_identical()
    {
        // On a machine with AVX-512 (Vector512 accelerated) this compares the update loop's Update512 with two Update256.
        AssertSameResults(Net10(null), Net10("DOTNET_EnableAVX512"), "EnableAVX512=0 (Vector256)");
    }

    [Fact]
    public void Vector128_and_accelerated_runs_are_bit_identical()
    {
        AssertSameResults(Net10(null), Net10("DOTNET_EnableAVX2"), "EnableAVX2=0 (Vector128)");
    }
}
