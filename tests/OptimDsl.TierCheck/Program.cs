using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using OptimDsl.Benchmarks;

namespace OptimDsl.TierCheck;

/// <summary>
/// Early-tier speed (issue 10). In a fresh process, with the runtime's default tiered compilation:
/// loop 0 makes 1,000 steps, every later loop 5,000, each loop timed by a Stopwatch, alternately the
/// generated 64-parameter Adam's Step() and a scalar loop over arrays doing the same update from the
/// generated span gradient (the baseline of tests/OptimDsl.Benchmarks' AdamStepBenchmarks), for about
/// three seconds. Prints each loop's times and the speed-up scalar / generated (above 1: the generated
/// optimizer is faster), then three phases: the first 1,000 steps; loops 5 on while under a second; and
/// the loops after two seconds.
///   dotnet build tests/OptimDsl.TierCheck -c Release
///   dotnet tests/OptimDsl.TierCheck/bin/Release/net10.0/OptimDsl.TierCheck.dll [seconds] [--scalar-first] [--only generated|scalar] [--all] [--live]
///   dotnet tests/OptimDsl.TierCheck/bin/Release/net10.0/OptimDsl.TierCheck.dll --minimize   (MinimizeCheck.cs: Minimize against a hand-written loop)
/// (--all: every loop in the table, not windows of 0.1 s after loop 39; --live: also each loop as it ends,
/// between the lines DOTNET_JitDisasmSummary=1 writes.)
/// Diagnostics through the runtime's settings, e.g. DOTNET_TieredPGO=0, DOTNET_TC_QuickJitForLoops=0,
/// DOTNET_ReadyToRun=0, DOTNET_TieredCompilation=0; DOTNET_JitDisasmSummary=1 interleaves the JIT's
/// list of compiled methods (with their tiers) with the table.
/// </summary>
public static class Program
{
    private const int FirstSteps = 1_000;
    private const int Steps = 5_000;
    private const double LearningRate = 0.01, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    private static readonly Objectives.ShiftedSquares64Adam Initial = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    private static readonly double[] P = new double[64], G = new double[64], M = new double[64], V = new double[64];

    /// <summary>JIT time on this thread during each kind of loop so far, and during loop 0 (System.Runtime.JitInfo).</summary>
    private static TimeSpan generatedJit, scalarJit, firstGeneratedJit, firstScalarJit;

    /// <summary>Keeps the results alive, so that no loop is removed.</summary>
    private static double sink;

    public static int Main(string[] args)
    {
        if (args is ["--minimize"])
        {
            return MinimizeCheck.Run();
        }

        long processStart = Stopwatch.GetTimestamp();
        double seconds = 3;
        bool scalarFirst = false, all = false, live = false;
        string only = "";
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scalar-first": scalarFirst = true; break;
                case "--all": all = true; break;
                case "--live": live = true; break;
                case "--only": only = args[++i]; break;
                default: seconds = double.Parse(args[i], CultureInfo.InvariantCulture); break;
            }
        }

        var rows = new List<(int Loop, double Start, double Generated, double Scalar)>();
        for (int loop = 0; ; loop++)
        {
            double start = Elapsed(processStart);
            if (loop > 0 && start > seconds)
            {
                break;
            }

            int steps = loop == 0 ? FirstSteps : Steps;
            double generated = 0, scalar = 0;
            if (scalarFirst)
            {
                scalar = only != "generated" ? TimeScalar(steps) : 0;
                generated = only != "scalar" ? TimeGenerated(steps) : 0;
            }
            else
            {
                generated = only != "scalar" ? TimeGenerated(steps) : 0;
                scalar = only != "generated" ? TimeScalar(steps) : 0;
            }

            rows.Add((loop, start, generated, scalar));
            if (loop == 0)
            {
                (firstGeneratedJit, firstScalarJit) = (generatedJit, scalarJit);
            }

            if (live)
            {
                Print(loop.ToString(CultureInfo.InvariantCulture), steps, start, generated, scalar);
            }

            if (only != "" && loop == 0)
            {
                break;
            }
        }

        Console.WriteLine("loop  steps  start(s)  generated(us/step)  scalar(us/step)  scalar/generated");
        double windowEnd = 0;
        var window = new List<(int Loop, double Start, double Generated, double Scalar)>();
        foreach (var row in rows)
        {
            if (all || row.Loop < 40)
            {
                Print(row.Loop.ToString(CultureInfo.InvariantCulture), row.Loop == 0 ? FirstSteps : Steps, row.Start, row.Generated, row.Scalar);
                windowEnd = row.Start + 0.1;
                continue;
            }

            window.Add(row);
            if (row.Start >= windowEnd)
            {
                PrintWindow(window);
                window.Clear();
                windowEnd = row.Start + 0.1;
            }
        }

        PrintWindow(window);
        Console.WriteLine();
        Console.WriteLine("phase                                   loops    generated(us/step)  scalar(us/step)  scalar/generated");
        PrintPhase("first 1,000 steps (loop 0)", rows.FindAll(r => r.Loop == 0));
        PrintPhase("loops 5+ starting before 1 s", rows.FindAll(r => r.Loop >= 5 && r.Start < 1));
        PrintPhase("loops starting after 2 s", rows.FindAll(r => r.Start >= 2));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"JIT time on the main thread: loop 0 generated {firstGeneratedJit.TotalMilliseconds:F1} ms, scalar {firstScalarJit.TotalMilliseconds:F1} ms; whole run generated {generatedJit.TotalMilliseconds:F1} ms, scalar {scalarJit.TotalMilliseconds:F1} ms"));
        Console.WriteLine(sink == 12345.678 ? "!" : "");
        return 0;
    }

    private static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalSeconds;

    private static void Print(string loops, int steps, double start, double generated, double scalar)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{loops,-9} {steps,5}  {start,7:F3}  {generated * 1e6 / steps,18:F4}  {scalar * 1e6 / steps,15:F4}  {(generated > 0 ? scalar / generated : 0),16:F2}"));

    private static void PrintWindow(List<(int Loop, double Start, double Generated, double Scalar)> window)
    {
        if (window.Count == 0)
        {
            return;
        }

        double generated = 0, scalar = 0;
        foreach (var row in window)
        {
            (generated, scalar) = (generated + row.Generated, scalar + row.Scalar);
        }

        Print($"{window[0].Loop}-{window[^1].Loop}", Steps, window[0].Start, generated / window.Count, scalar / window.Count);
    }

    private static void PrintPhase(string name, List<(int Loop, double Start, double Generated, double Scalar)> phase)
    {
        double generated = 0, scalar = 0;
        long steps = 0;
        foreach (var row in phase)
        {
            (generated, scalar) = (generated + row.Generated, scalar + row.Scalar);
            steps += row.Loop == 0 ? FirstSteps : Steps;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-38} {phase.Count,6}  {generated * 1e6 / Math.Max(steps, 1),18:F4}  {scalar * 1e6 / Math.Max(steps, 1),15:F4}  {(generated > 0 ? scalar / generated : 0),16:F2}"));
    }

    private static double TimeGenerated(int steps)
    {
        var jit = System.Runtime.JitInfo.GetCompilationTime(currentThread: true);
        long start = Stopwatch.GetTimestamp();
        sink += Generated(steps);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        generatedJit += System.Runtime.JitInfo.GetCompilationTime(currentThread: true) - jit;
        return elapsed;
    }

    private static double TimeScalar(int steps)
    {
        var jit = System.Runtime.JitInfo.GetCompilationTime(currentThread: true);
        long start = Stopwatch.GetTimestamp();
        sink += Scalar(steps);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        scalarJit += System.Runtime.JitInfo.GetCompilationTime(currentThread: true) - jit;
        return elapsed;
    }

    /// <summary>The generated optimizer's Step(), from θ = 0 and fresh moments.</summary>
    private static double Generated(int steps)
    {
        var adam = Initial;
        double sum = 0;
        for (int s = 0; s < steps; s++)
        {
            sum += adam.Step();
        }

        return sum + adam.P0;
    }

    /// <summary>The generated span gradient, then Adam's update as a scalar loop over arrays (as AdamStepBenchmarks.Scalar).</summary>
    private static double Scalar(int steps)
    {
        double[] p = P, g = G, m = M, v = V;
        Array.Clear(p);
        Array.Clear(m);
        Array.Clear(v);
        double beta1Power = 1, beta2Power = 1, sum = 0;
        for (int s = 0; s < steps; s++)
        {
            sum += Objectives.ShiftedSquares64Gradient(p, g);
            beta1Power *= Beta1;
            beta2Power *= Beta2;
            double biasCorrection1 = 1 - beta1Power, biasCorrection2 = 1 - beta2Power;
            for (int i = 0; i < p.Length; i++)
            {
                m[i] = Beta1 * m[i] + (1 - Beta1) * g[i];
                v[i] = Beta2 * v[i] + (1 - Beta2) * (g[i] * g[i]);
                double mHat = m[i] / biasCorrection1;
                double vHat = v[i] / biasCorrection2;
                p[i] -= LearningRate * mHat / (Math.Sqrt(vHat) + Epsilon);
            }
        }

        return sum + p[0];
    }
}
