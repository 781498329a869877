using System.Linq;
using Xunit;

namespace OptimDsl.Tests.Watching;

/// <summary>
/// README, Watching a run: recording into a <see cref="LossHistory"/> and <c>Minimize</c> with a struct or class
/// <see cref="IParameterObserver"/> or a <see cref="LossHistory"/> allocate nothing per step. Measured with
/// GC.GetAllocatedBytesForCurrentThread around warmed-up calls (the first run on a thread with a struct
/// parameter observer allocates the thread's box for its type; the warm-up makes it).
/// </summary>
public sealed class WatchingAllocationTests
{
    private static readonly double[] X = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    private static readonly double[] Y = X.Select(x => 2 * x + 1).ToArray();

    public static TheoryData<int, string> Cases
    {
        get
        {
            var cases = new TheoryData<int, string>();
            for (var i = 1; i < WatchingDriver.Blocks.Length; i++)
            {
                cases.Add(i, WatchingDriver.Blocks[i].Name);
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Minimize_with_a_watching_observer_allocates_nothing(int block, string name)
    {
        var bytes = WatchingDriver.Driver.Call<long>("Allocated", block, X, Y);

        Assert.True(bytes == 0, $"{name}: {bytes} bytes allocated in 50 runs");
    }

    [Fact]
    public void The_measurement_sees_an_allocation()
    {
        var bytes = WatchingDriver.Driver.Call<long>("Allocated", 0, X, Y);

        Assert.True(bytes >= 50 * 4 * sizeof(double), $"{WatchingDriver.Blocks[0].Name}: only {bytes} bytes");
    }

    [Fact]
    public void Recording_allocates_nothing_also_while_thinning()
    {
        var history = new LossHistory(16);
        for (int n = 1; n <= 100; n++)
        {
            history.OnStep(n, 1.0 / n, n);
        }

        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = System.GC.GetAllocatedBytesForCurrentThread();
            for (int n = 101; n <= 10_000; n++)
            {
                history.OnStep(n, 1.0 / n, n);
            }

            least = System.Math.Min(least, System.GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
        Assert.True(history.Count >= 8);
    }
}
