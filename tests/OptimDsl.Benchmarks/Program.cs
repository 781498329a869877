using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace OptimDsl.Benchmarks;

/// <summary>
/// Runs the benchmarks with BenchmarkDotNet's command line (see README.md):
///   dotnet run -c Release --project tests/OptimDsl.Benchmarks -- --filter '*'
/// plus one switch of its own, <c>--quick</c>: one launch, 2 warm-up and 5 measured iterations of
/// 100 ms each, for a whole-suite run in a few minutes (numbers indicative only).
/// With no arguments (or only <c>--quick</c>) every benchmark runs, without BenchmarkDotNet's prompt.
/// <c>--write-objectives DIR N</c> writes the N-objective sources of the generator benchmarks to DIR instead.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // Not a benchmark: writes the sources of GeneratorBenchmarks' compilation (used by measure-build-cost.sh).
        if (args is ["--write-objectives", var directory, var count])
        {
            GeneratorBenchmarks.WriteSources(directory, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        bool quick = args.Contains("--quick");
        args = [.. args.Where(a => a != "--quick")];
        if (args.Length == 0)
        {
            args = ["--filter", "*"];
        }

        // The median beside the mean: this 2-core machine is shared, and the median resists interference.
        IConfig config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median);
        if (quick)
        {
            config = config.AddJob(Job.Default
                .WithId("Quick")
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(5)
                .WithIterationTime(TimeInterval.FromMilliseconds(100)));
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
