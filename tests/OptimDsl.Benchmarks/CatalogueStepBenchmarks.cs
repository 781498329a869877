using System;
using BenchmarkDotNet.Attributes;

namespace OptimDsl.Benchmarks;

// Steps of three of the catalogue's optimizers (issue 10) at 2, 8 and 64 parameters, on the objective of
// OptimizerStepBenchmarks (Σ (p_i − c_i)²), against a scalar loop written from the optimizer's
// algorithm box over the same generated span gradient (baseline).


/// <summary>AdamW (torch.optim.AdamW, weight decay 0.01): the generated Step against a scalar loop from the algorithm box over the same generated gradient.</summary>
[MemoryDiagnoser]
public class AdamWStepBenchmarks : StepBenchmarkBase
{
    private static readonly Objectives.ShiftedSquares2AdamW Initial2 = new(0, 0);
    private static readonly Objectives.ShiftedSquares8AdamW Initial8 = new(0, 0, 0, 0, 0, 0, 0, 0);
    private static readonly Objectives.ShiftedSquares64AdamW Initial64 = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Generated()
    {
        double sum = 0;
        if (Parameters == 2)
        {
            var o2 = Initial2;
            for (int s = 0; s < Steps; s++)
            {
                sum += o2.Step();
            }

            return sum + o2.P0;
        }

        if (Parameters == 8)
        {
            var o = Initial8;
            for (int s = 0; s < Steps; s++)
            {
                sum += o.Step();
            }

            return sum + o.P0;
        }

        var o64 = Initial64;
        for (int s = 0; s < Steps; s++)
        {
            sum += o64.Step();
        }

        return sum + o64.P0;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public double Scalar() => Parameters switch { 2 => Scalar<Gradient2>(), 8 => Scalar<Gradient8>(), _ => Scalar<Gradient64>() };

    private double Scalar<TGradient>() where TGradient : IGradient
    {
        Reset();
        double[] p = P, g = G, m = M, v = V;
        const double LearningRate = 0.01, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8, WeightDecay = 0.01;
        double beta1Power = 1, beta2Power = 1;
        double sum = 0;
        for (int s = 0; s < Steps; s++)
        {
            sum += TGradient.Evaluate(p, g);
            beta1Power *= Beta1;
            beta2Power *= Beta2;
            double biasCorrection1 = 1 - beta1Power, biasCorrection2 = 1 - beta2Power;
            for (int i = 0; i < p.Length; i++)
            {
                p[i] -= LearningRate * WeightDecay * p[i];             // θ ← θ − ηλθ
                m[i] = Beta1 * m[i] + (1 - Beta1) * g[i];
                v[i] = Beta2 * v[i] + (1 - Beta2) * (g[i] * g[i]);
                p[i] -= LearningRate * (m[i] / biasCorrection1) / (Math.Sqrt(v[i] / biasCorrection2) + Epsilon);
            }
        }

        return sum + p[0];
    }
}

/// <summary>RMSprop (torch.optim.RMSprop, defaults): the generated Step against a scalar loop from the algorithm box.</summary>
[MemoryDiagnoser]
public class RmsPropStepBenchmarks : StepBenchmarkBase
{
    private static readonly Objectives.ShiftedSquares2RmsProp Initial2 = new(0, 0);
    private static readonly Objectives.ShiftedSquares8RmsProp Initial8 = new(0, 0, 0, 0, 0, 0, 0, 0);
    private static readonly Objectives.ShiftedSquares64RmsProp Initial64 = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Generated()
    {
        double sum = 0;
        if (Parameters == 2)
        {
            var o2 = Initial2;
            for (int s = 0; s < Steps; s++)
            {
                sum += o2.Step();
            }

            return sum + o2.P0;
        }

        if (Parameters == 8)
        {
            var o = Initial8;
            for (int s = 0; s < Steps; s++)
            {
                sum += o.Step();
            }

            return sum + o.P0;
        }

        var o64 = Initial64;
        for (int s = 0; s < Steps; s++)
        {
            sum += o64.Step();
        }

        return sum + o64.P0;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public double Scalar() => Parameters switch { 2 => Scalar<Gradient2>(), 8 => Scalar<Gradient8>(), _ => Scalar<Gradient64>() };

    private double Scalar<TGradient>() where TGradient : IGradient
    {
        Reset();
        double[] p = P, g = G, m = M, v = V;
        const double LearningRate = 0.01, Alpha = 0.99, Epsilon = 1e-8;
        double sum = 0;
        for (int s = 0; s < Steps; s++)
        {
            sum += TGradient.Evaluate(p, g);
            for (int i = 0; i < p.Length; i++)
            {
                v[i] = Alpha * v[i] + (1 - Alpha) * (g[i] * g[i]);   // v ← αv + (1−α)g²
                p[i] -= LearningRate * g[i] / (Math.Sqrt(v[i]) + Epsilon);
            }
        }

        return sum + p[0];
    }
}

/// <summary>Lion (Chen et al. 2023, Algorithm 2): the generated Step against a scalar loop from the algorithm.</summary>
[MemoryDiagnoser]
public class LionStepBenchmarks : StepBenchmarkBase
{
    private static readonly Objectives.ShiftedSquares2Lion Initial2 = new(0, 0);
    private static readonly Objectives.ShiftedSquares8Lion Initial8 = new(0, 0, 0, 0, 0, 0, 0, 0);
    private static readonly Objectives.ShiftedSquares64Lion Initial64 = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Generated()
    {
        double sum = 0;
        if (Parameters == 2)
        {
            var o2 = Initial2;
            for (int s = 0; s < Steps; s++)
            {
                sum += o2.Step();
            }

            return sum + o2.P0;
        }

        if (Parameters == 8)
        {
            var o = Initial8;
            for (int s = 0; s < Steps; s++)
            {
                sum += o.Step();
            }

            return sum + o.P0;
        }

        var o64 = Initial64;
        for (int s = 0; s < Steps; s++)
        {
            sum += o64.Step();
        }

        return sum + o64.P0;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public double Scalar() => Parameters switch { 2 => Scalar<Gradient2>(), 8 => Scalar<Gradient8>(), _ => Scalar<Gradient64>() };

    private double Scalar<TGradient>() where TGradient : IGradient
    {
        Reset();
        double[] p = P, g = G, m = M, v = V;
        const double LearningRate = 0.001, Beta1 = 0.9, Beta2 = 0.99;
        double sum = 0;
        for (int s = 0; s < Steps; s++)
        {
            sum += TGradient.Evaluate(p, g);
            for (int i = 0; i < p.Length; i++)
            {
                double c = Beta1 * m[i] + (1 - Beta1) * g[i];       // c ← β₁m + (1−β₁)g
                p[i] -= LearningRate * Math.Sign(c);                  // θ ← θ − η sign(c)
                m[i] = Beta2 * m[i] + (1 - Beta2) * g[i];            // m ← β₂m + (1−β₂)g
            }
        }

        return sum + p[0];
    }
}
