using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace OptimDsl;

/// <summary>
/// The search behind every generated optimizer's <c>Search</c> (README, Choosing hyperparameters): the
/// points, the trials, the rungs of successive halving and the choice of the best. The optimizer supplies
/// its own parts through <see cref="ISearchableOptimizer{TSelf, THyperparameters, TData}"/>; what does not
/// depend on the objective is here, once.
/// </summary>
/// <remarks>
/// Each trial starts from <c>start.Clone()</c>, gets its point, and runs in a slot of its own; the points and
/// the rungs are fixed before any trial runs, and the best is chosen by score then trial order, so the result
/// is the same for every degree of parallelism.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HyperparameterSearch
{
    /// <summary>Searches; see the remarks of the type.</summary>
    /// <param name="start">Where every trial starts (copied with its <c>Clone()</c>).</param>
    /// <param name="ranges">Per settable hyperparameter, in the SearchSpace's declaration order: its range, or null.</param>
    /// <param name="integers">Per hyperparameter: whether it is an integer (values round to the nearest, halves away from zero).</param>
    /// <param name="options">The options (null for the defaults).</param>
    /// <param name="data">The training data, one memory per data parameter, or null for an objective without data.</param>
    /// <param name="validation">The validation data, or null to score by the loss <c>Minimize</c> returns.</param>
    public static SearchResult<TOptimizer, THyperparameters> Search<TOptimizer, THyperparameters, TData>(
        TOptimizer start,
        SearchRange?[] ranges,
        bool[] integers,
        SearchOptions? options,
        ReadOnlyMemory<TData>[]? data,
        ReadOnlyMemory<TData>[]? validation)
        where TOptimizer : struct, ISearchableOptimizer<TOptimizer, THyperparameters, TData>
        where TData : unmanaged
    {
        options ??= new SearchOptions();
        data ??= Array.Empty<ReadOnlyMemory<TData>>();
        CheckOptions(options);
        CheckRanges<TOptimizer, THyperparameters, TData>(start, ranges, integers);

        var strategy = options.Strategy;
        if (strategy == SearchStrategy.Auto)
        {
            strategy = Array.TrueForAll(ranges, r => r is null || r.IsGrid) ? SearchStrategy.Grid : SearchStrategy.Random;
        }

        var points = strategy == SearchStrategy.Grid ? GridPoints(ranges) : RandomPoints(ranges, options.Trials, options.Seed);
        for (var p = 0; p < points.Length; p++)
        {
            for (var k = 0; k < ranges.Length; k++)
            {
                if (integers[k] && !double.IsNaN(points[p][k]))
                {
                    points[p][k] = Math.Round(points[p][k], MidpointRounding.AwayFromZero);
                }
            }
        }

        var optimizers = new TOptimizer[points.Length];
        var results = new OptimizationResult[points.Length];
        var scores = new double[points.Length];
        var done = new long[points.Length];
        for (var p = 0; p < points.Length; p++)
        {
            optimizers[p] = start.Clone();
            optimizers[p].SetSearchPoint(points[p]);
        }

        // The budgets: one rung of MaxIterations, or successive halving's rungs k = 0 … R, each survivor
        // continuing to a total of ⌈MaxIterations / 3^(R − k)⌉ updates.
        var survivors = new List<int>();
        for (var p = 0; p < points.Length; p++)
        {
            survivors.Add(p);
        }

        var rungs = strategy == SearchStrategy.SuccessiveHalving ? Log3(points.Length) : 0;
        for (var k = 0; k <= rungs; k++)
        {
            var total = (long)Math.Ceiling(options.MaxIterations / Math.Pow(3, rungs - k));
            var current = survivors.ToArray();
            void Trial(int i)
            {
                var p = current[i];
                var budget = (int)Math.Max(0, total - done[p]);
                if (budget > 0)
                {
                    results[p] = optimizers[p].MinimizeTrial(data, budget, options.Tolerance);
                    done[p] += results[p].Iterations;
                }

                scores[p] = ScoreOf(results[p], validation is null ? results[p].Loss : optimizers[p].ValidationLoss(validation));
            }

            // A trial's exception (a start that was never constructed: the data's shape is checked before the search)
            // is thrown as itself, not wrapped in an AggregateException.
            try
            {
                Parallel.For(0, current.Length, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, Trial);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                throw;
            }

            if (k < rungs)
            {
                // The best third continues (at least one): lower score first, the earlier trial on a tie.
                var keep = Math.Max(1, survivors.Count / 3);
                survivors.Sort((a, b) => scores[a] != scores[b] ? scores[a].CompareTo(scores[b]) : a.CompareTo(b));
                survivors.RemoveRange(keep, survivors.Count - keep);
                survivors.Sort();
            }
        }

        var trials = new SearchTrial<THyperparameters>[points.Length];
        var best = 0;
        for (var p = 0; p < points.Length; p++)
        {
            trials[p] = new SearchTrial<THyperparameters>(optimizers[p].SearchHyperparameters(), results[p], scores[p]);
            if (scores[p] < scores[best])
            {
                best = p;
            }
        }

        return new SearchResult<TOptimizer, THyperparameters>(optimizers[best], best, trials);
    }

    /// <summary>⌊log₃ n⌋, in integers.</summary>
    internal static int Log3(int n)
    {
        var r = 0;
        for (long power = 3; power <= n; power *= 3)
        {
            r++;
        }

        return r;
    }

    private static double ScoreOf(OptimizationResult result, double score)
        => result.Status == OptimizationStatus.Diverged || double.IsNaN(score) ? double.PositiveInfinity : score;

    private static void CheckOptions(SearchOptions options)
    {
        if (options.Trials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SearchOptions.Trials), options.Trials, "Trials must be at least 1.");
        }

        if (options.MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SearchOptions.MaxIterations), options.MaxIterations, "MaxIterations must be at least 1.");
        }

        if (!(options.Tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(SearchOptions.Tolerance), options.Tolerance, "Tolerance must be zero or positive.");
        }

        if (options.MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SearchOptions.MaxDegreeOfParallelism), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be at least 1.");
        }

        if (!Enum.IsDefined(options.Strategy))
        {
            throw new ArgumentOutOfRangeException(nameof(SearchOptions.Strategy), options.Strategy, "Not a SearchStrategy.");
        }
    }

    /// <summary>
    /// Every range's smallest and largest value set on a copy of the start: the property's setter throws
    /// ArgumentOutOfRangeException, named after the property, for a range that reaches outside its valid values.
    /// </summary>
    private static void CheckRanges<TOptimizer, THyperparameters, TData>(TOptimizer start, SearchRange?[] ranges, bool[] integers)
        where TOptimizer : struct, ISearchableOptimizer<TOptimizer, THyperparameters, TData>
        where TData : unmanaged
    {
        var point = new double[ranges.Length];
        for (var k = 0; k < ranges.Length; k++)
        {
            if (ranges[k] is not { } range)
            {
                continue;
            }

            Array.Fill(point, double.NaN);
            var (smallest, largest) = range.Extremes;
            foreach (var value in range.IsGrid ? range.Values.ToArray() : new[] { smallest, largest })
            {
                point[k] = integers[k] ? Math.Round(value, MidpointRounding.AwayFromZero) : value;
                var probe = start.Clone();
                probe.SetSearchPoint(point);
            }
        }
    }

    private static double[][] GridPoints(SearchRange?[] ranges)
    {
        for (var k = 0; k < ranges.Length; k++)
        {
            if (ranges[k] is { IsGrid: false })
            {
                throw new ArgumentException("The Grid strategy needs every range of the search space to be a SearchRange.Grid.", "options");
            }
        }

        // The Cartesian product in declaration order, the last hyperparameter varying fastest.
        var points = new List<double[]> { NotSearched(ranges.Length) };
        for (var k = 0; k < ranges.Length; k++)
        {
            if (ranges[k] is not { } range)
            {
                continue;
            }

            var next = new List<double[]>(points.Count * range.Values.Length);
            foreach (var point in points)
            {
                foreach (var value in range.Values)
                {
                    var extended = (double[])point.Clone();
                    extended[k] = value;
                    next.Add(extended);
                }
            }

            points = next;
        }

        return points.ToArray();
    }

    private static double[][] RandomPoints(SearchRange?[] ranges, int trials, int seed)
    {
        var random = new SearchRandom(seed);
        var points = new double[trials][];
        for (var p = 0; p < trials; p++)
        {
            points[p] = NotSearched(ranges.Length);
            for (var k = 0; k < ranges.Length; k++)
            {
                if (ranges[k] is { } range)
                {
                    points[p][k] = range.Draw(ref random);
                }
            }
        }

        return points;
    }

    private static double[] NotSearched(int length)
    {
        var point = new double[length];
        Array.Fill(point, double.NaN);
        return point;
    }
}
