using System;
using System.Collections.Generic;
using System.Linq;
using OptimDsl.Rules;
using Xunit;

namespace OptimDsl.Tests.Float;

/// <summary>
/// README, Float objectives: the L-BFGS and Levenberg–Marquardt solvers over float parameters. θ, g, the pairs s and y and
/// the direction are floats; inner products are summed in double (each product of two floats is exact there), the
/// scalars of the algorithms (ρ, α, β, γ, the step lengths, λ, the normal equations and their solution) are doubles, and
/// each enters a float vector operation rounded once to float.
/// </summary>
public sealed class FloatSolverTests
{
    /// <summary>Rosenbrock in float: f = (1 − x)² + 100 (y − x²)², its gradient by hand, every operation a float one.</summary>
    private static float Rosenbrock(ReadOnlySpan<float> p, Span<float> g)
    {
        float x = p[0], y = p[1];
        float a = 1 - x, b = y - x * x;
        g[0] = -2 * a - 400 * x * b;
        g[1] = 200 * b;
        return a * a + 100 * b * b;
    }

    private sealed class FloatLbfgs
    {
        public FloatLbfgs(float[] start, int capacity, double rate, LineSearch lineSearch)
        {
            int n = start.Length;
            Theta = (float[])start.Clone();
            Gradient = new float[n];
            PairS = new float[capacity * n];
            PairY = new float[capacity * n];
            Rho = new double[capacity];
            Alpha = new double[capacity];
            Direction = new float[n];
            TrialPoint = new float[n];
            TrialGradient = new float[n];
            Solver = new LbfgsSolver(rate, capacity, lineSearch);
            Loss = Rosenbrock(Theta, Gradient);
        }

        public float[] Theta, Gradient, PairS, PairY, Direction, TrialPoint, TrialGradient;
        public double[] Rho, Alpha;
        public LbfgsSolver Solver;
        public double Loss;
        public int Evaluations;

        public LbfgsStorage<float> Storage => new(Theta, Gradient, PairS, PairY, Rho, Alpha, Direction, TrialPoint, TrialGradient);

        public bool Iterate()
        {
            var storage = Storage;
            Solver.Begin(storage, Loss);
            while (Solver.NextTrial(storage))
            {
                Evaluations++;
                Solver.Evaluated(storage, Rosenbrock(TrialPoint, TrialGradient));
            }

            if (Solver.Accepted)
            {
                Loss = Solver.Loss;
            }

            return Solver.Accepted;
        }
    }

    /// <summary>
    /// From (−1.2, 1), the classic start, float L-BFGS with the strong-Wolfe line search reaches Rosenbrock's minimiser (1, 1)
    /// to float precision: ‖θ − (1, 1)‖∞ ≤ 1e-3 (the valley's floor is flat, so f below float's resolution near 0 leaves θ
    /// about √ε_float ≈ 3e-4 from it), and no accepted point raises the loss (sufficient decrease along a descent direction).
    /// </summary>
    [Fact]
    public void Strong_Wolfe_L_BFGS_in_float_reaches_the_Rosenbrock_minimiser()
    {
        var run = new FloatLbfgs([-1.2f, 1f], capacity: 10, rate: 1, LineSearch.StrongWolfe);
        double previous = run.Loss;
        for (int k = 0; k < 200 && run.Iterate(); k++)
        {
            // Sufficient decrease with φ′(0) < 0: the accepted loss is at most the last one.
            Assert.True(run.Loss <= previous, $"iteration {k + 1}: {run.Loss:R} after {previous:R}");
            previous = run.Loss;
        }

        Assert.True(Math.Abs(run.Theta[0] - 1) <= 1e-3 && Math.Abs(run.Theta[1] - 1) <= 1e-3, $"θ = ({run.Theta[0]:R}, {run.Theta[1]:R})");
        Assert.True(run.Loss <= 1e-6, $"f = {run.Loss:R}");
    }

    /// <summary>
    /// Without a line search, each float iteration's direction is the two-loop recursion (Nocedal &amp; Wright, Algorithm 7.4)
    /// over the float pairs the test records, computed here in double; the float direction agrees with it to float rounding:
    /// each float vector operation rounds once per component, and the recursion over m = 3 pairs makes 2m + 2 of them, so
    /// a relative error (max norm) of 64 float ulps (64 · 2⁻²⁴ ≈ 3.8e-6) leaves a margin for the cancellation in q − αy.
    /// θ moves to exactly θ + (float)η · d, a float multiply-add written in the test.
    /// </summary>
    [Fact]
    public void Directions_in_float_follow_the_two_loop_recursion_to_float_rounding()
    {
        const double rate = 1e-3;
        var run = new FloatLbfgs([-1.2f, 1f], capacity: 3, rate, LineSearch.None);
        var pairs = new List<(double[] S, double[] Y)>();
        for (int k = 0; k < 12; k++)
        {
            float[] theta = (float[])run.Theta.Clone();
            float[] g = (float[])run.Gradient.Clone();
            double[] expected = Lbfgs.LbfgsSolverTests.ReferenceDirection(g.Select(v => (double)v).ToArray(), pairs, 3);
            Assert.True(run.Iterate());
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < 2; i++)
            {
                Assert.True(Math.Abs(run.Direction[i] - expected[i]) <= 64 * Math.Pow(2, -24) * scale, $"iteration {k + 1}, d[{i}] = {run.Direction[i]:R}, reference {expected[i]:R}");
                Assert.Equal(theta[i] + (float)rate * run.Direction[i], run.Theta[i]);
            }

            double[] s = [run.Theta[0] - theta[0], run.Theta[1] - theta[1]];
            double[] y = [run.Gradient[0] - g[0], run.Gradient[1] - g[1]];
            if (s[0] * y[0] + s[1] * y[1] > 1e-10)
            {
                pairs.Add((s, y));
            }
        }

        Assert.True(pairs.Count > 3, "the ring wrapped");
    }

    /// <summary>
    /// Apply in float (torch.optim.LBFGS with line_search_fn=None, max_iter=1): the first call moves θ by
    /// (float)(η · min(1, 1/‖g‖₁)) · (−g), the update written here from torch's algorithm; a gradient that is not finite throws
    /// naming meanGradient and changes nothing.
    /// </summary>
    [Fact]
    public void Apply_in_float_takes_torch_s_first_step_and_refuses_a_gradient_that_is_not_finite()
    {
        var run = new FloatLbfgs([-1.2f, 1f], capacity: 5, rate: 0.5, LineSearch.None);
        float[] g = (float[])run.Gradient.Clone();
        float t = (float)(0.5 * Math.Min(1, 1 / (Math.Abs((double)g[0]) + Math.Abs((double)g[1]))));
        float[] expected = [-1.2f + t * -g[0], 1f + t * -g[1]];
        run.Solver.Apply(run.Storage, g);
        Assert.Equal(expected, run.Theta);
        Assert.Equal(1, run.Solver.Iteration);

        float[] before = (float[])run.Theta.Clone();
        var error = Assert.Throws<ArgumentException>(() =>
        {
            var solver = run.Solver;
            solver.Apply(run.Storage, [float.NaN, 0f]);
        });
        Assert.Equal("meanGradient", error.ParamName);
        Assert.Equal(before, run.Theta);
    }

    /// <summary>
    /// Levenberg–Marquardt over float parameters: the decay y = a·e^(−k t) + c fitted in float to 40 points of
    /// a = 2.5, k = 1.3, c = 0.5 (exact data), g and H accumulated in double from float residuals and Jacobian rows. Each
    /// trial is θ + (float)δ; the fit reaches the generating parameters to 1e-4 relative (float residuals carry about 1e-7
    /// relative error, which the conditioning of this fit amplifies by less than 10³).
    /// </summary>
    [Fact]
    public void Levenberg_Marquardt_in_float_recovers_a_decay_fit()
    {
        const int samples = 40;
        float[] times = [.. Enumerable.Range(0, samples).Select(i => i * 0.1f)];
        float[] values = [.. times.Select(t => 2.5f * MathF.Exp(-1.3f * t) + 0.5f)];
        float[] theta = [1f, 1f, 0f], trialPoint = new float[3];
        double[] gradient = new double[3], hessian = new double[9], trialGradient = new double[3], trialHessian = new double[9], factor = new double[9], step = new double[3];
        double[] row = new double[3];

        double Evaluate(ReadOnlySpan<float> p, Span<double> g, Span<double> h)
        {
            g.Clear();
            h.Clear();
            double loss = 0;
            for (int i = 0; i < samples; i++)
            {
                float e = MathF.Exp(-p[1] * times[i]);
                float r = p[0] * e + p[2] - values[i];
                row[0] = e;
                row[1] = -p[0] * times[i] * e;
                row[2] = 1;
                NormalEquations.AddResidual(h, g, row, r, 1);
                loss += (double)r * r;
            }

            NormalEquations.Finish(h, g, 2.0 / samples);
            return loss / samples;
        }

        var solver = new LevenbergMarquardtSolver(1e-3, 10);
        double current = Evaluate(theta, gradient, hessian);
        for (int k = 0; k < 50; k++)
        {
            var storage = new LevenbergMarquardtStorage<float>(theta, gradient, hessian, trialPoint, trialGradient, trialHessian, factor, step);
            solver.Begin(storage, current);
            while (solver.NextTrial(storage))
            {
                for (int i = 0; i < 3; i++)
                {
                    Assert.Equal(theta[i] + (float)step[i], trialPoint[i]);
                }

                solver.Evaluated(storage, Evaluate(trialPoint, trialGradient, trialHessian));
            }

            if (!solver.Accepted)
            {
                break;
            }

            current = solver.Loss;
        }

        Assert.True(Math.Abs(theta[0] - 2.5) <= 2.5e-4 && Math.Abs(theta[1] - 1.3) <= 1.3e-4 && Math.Abs(theta[2] - 0.5) <= 0.5e-4,
            $"θ = ({theta[0]:R}, {theta[1]:R}, {theta[2]:R})");
    }
}
