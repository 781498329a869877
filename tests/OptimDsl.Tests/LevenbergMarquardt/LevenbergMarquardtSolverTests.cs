using System;
using System.Collections.Generic;
using OptimDsl.Rules;
using Xunit;
using Xunit.Abstractions;

namespace OptimDsl.Tests.LevenbergMarquardt;

/// <summary>
/// README, Optimizers: the Levenberg–Marquardt solver the generated <c>MLevenbergMarquardt</c> optimizers call, driven
/// here by hand-written residuals through <see cref="LevenbergMarquardtRun"/>, or by hand-fed losses on hand-made
/// g and H (reverse communication: the test evaluates where the solver asks).
/// </summary>
public sealed class LevenbergMarquardtSolverTests(ITestOutputHelper output)
{
    /// <summary>Buffers for n parameters, filled by the test, viewed as a storage.</summary>
    private sealed class Buffers(int n)
    {
        public double[] Theta { get; } = new double[n];

        public double[] Gradient { get; } = new double[n];

        public double[] Hessian { get; } = new double[n * n];

        public double[] TrialPoint { get; } = new double[n];

        public double[] TrialGradient { get; } = new double[n];

        public double[] TrialHessian { get; } = new double[n * n];

        public double[] Factor { get; } = new double[n * n];

        public double[] Step { get; } = new double[n];

        public LevenbergMarquardtStorage<double> Storage => new(Theta, Gradient, Hessian, TrialPoint, TrialGradient, TrialHessian, Factor, Step);
    }

    /// <summary>
    /// (H + λD) δ = −g with D = diag(H), against Gaussian elimination written here; only H's lower triangle is read (the
    /// upper one is NaN), and the trial point is θ + δ.
    /// </summary>
    [Fact]
    public void Solves_the_damped_system_by_Cholesky()
    {
        double[,] h = { { 4, 1, 0.5 }, { 1, 3, 0.2 }, { 0.5, 0.2, 2 } };
        var buffers = new Buffers(3);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                buffers.Hessian[i * 3 + j] = j <= i ? h[i, j] : double.NaN;
            }
        }

        double[] g = [1, -2, 0.5];
        double[] theta = [1, 2, 3];
        g.CopyTo(buffers.Gradient, 0);
        theta.CopyTo(buffers.Theta, 0);
        const double lambda = 0.5;
        var damped = (double[,])h.Clone();
        for (int i = 0; i < 3; i++)
        {
            damped[i, i] = h[i, i] + lambda * h[i, i];
        }

        double[] expected = Dense.Solve(damped, [-g[0], -g[1], -g[2]]);

        var solver = new LevenbergMarquardtSolver(lambda, 10);
        var storage = buffers.Storage;
        solver.Begin(storage, 1.0);
        Assert.True(solver.NextTrial(storage));

        Assert.True(solver.InProgress);
        Assert.Equal(0, solver.Evaluations);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Dense.RelativeError(buffers.Step[i], expected[i]) < 1e-14, $"δ[{i}] = {buffers.Step[i]:R}, expected {expected[i]:R}");
            Assert.Equal(theta[i] + buffers.Step[i], buffers.TrialPoint[i]);
        }

        // The factor: L Lᵀ = H + λD on the lower triangle.
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int k = 0; k <= j; k++)
                {
                    sum += buffers.Factor[i * 3 + k] * buffers.Factor[j * 3 + k];
                }

                Assert.Equal(damped[i, j], sum, 1e-14);
            }
        }
    }

    /// <summary>
    /// D's floor: H = diag(4, 0) damps the flat parameter with 1e-12·4, so δ₁ = −g₁ / (λ·4e-12); H = 0 damps with D = I,
    /// δ = −g / λ.
    /// </summary>
    [Fact]
    public void A_flat_parameter_is_damped_by_the_floor_and_a_zero_Hessian_by_the_identity()
    {
        const double lambda = 0.5;
        var buffers = new Buffers(2);
        buffers.Hessian[0] = 4;
        buffers.Gradient[0] = 1;
        buffers.Gradient[1] = 1e-12;
        var solver = new LevenbergMarquardtSolver(lambda, 10);
        var storage = buffers.Storage;
        solver.Begin(storage, 1.0);
        Assert.True(solver.NextTrial(storage));
        Assert.True(Dense.RelativeError(buffers.Step[0], -1 / (4 * (1 + lambda))) < 1e-15);
        Assert.True(Dense.RelativeError(buffers.Step[1], -1e-12 / (lambda * 4e-12)) < 1e-15);

        buffers = new Buffers(2);
        buffers.Gradient[0] = 3;
        buffers.Gradient[1] = -1;
        storage = buffers.Storage;
        solver.Begin(storage, 1.0);
        Assert.True(solver.NextTrial(storage));
        Assert.True(Dense.RelativeError(buffers.Step[0], -3 / lambda) < 1e-15);
        Assert.True(Dense.RelativeError(buffers.Step[1], 1 / lambda) < 1e-15);
    }

    /// <summary>
    /// H = [[1, 3], [3, 1]] is indefinite; with D = diag(H) = I, H + λI is positive definite when 1 + λ &gt; 3. From
    /// λ = 1e-3 and factor 10 the solver rejects λ = 1e-3, 1e-2, 0.1 and 1 without evaluating and first asks at λ = 10,
    /// δ = −(11I + 3(11ᵀ − I))⁻¹ 1 = −(1/14, 1/14).
    /// </summary>
    [Fact]
    public void A_matrix_that_is_not_positive_definite_is_retried_with_a_larger_damping()
    {
        var buffers = new Buffers(2);
        buffers.Hessian[0] = 1;
        buffers.Hessian[2] = 3;
        buffers.Hessian[3] = 1;
        buffers.Gradient[0] = 1;
        buffers.Gradient[1] = 1;
        var solver = new LevenbergMarquardtSolver(1e-3, 10);
        var storage = buffers.Storage;
        solver.Begin(storage, 1.0);
        Assert.True(solver.NextTrial(storage));

        double expectedDamping = 1e-3 * 10 * 10 * 10 * 10;
        Assert.Equal(expectedDamping, solver.Damping);
        Assert.Equal(0, solver.Evaluations);
        Assert.True(Dense.RelativeError(buffers.Step[0], -1.0 / 14) < 1e-15);
        Assert.True(Dense.RelativeError(buffers.Step[1], -1.0 / 14) < 1e-15);

        buffers.TrialGradient[0] = 7;
        buffers.TrialHessian[0] = 8;
        solver.Evaluated(storage, 0.5);
        Assert.True(solver.Accepted);
        Assert.False(solver.InProgress);
        Assert.Equal(1, solver.Evaluations);
        Assert.Equal(0.5, solver.Loss);
        Assert.Equal(expectedDamping / 10, solver.Damping);
        Assert.Equal(-1.0 / 14, buffers.Theta[0], 1e-15);
        Assert.Equal(7, buffers.Gradient[0]);
        Assert.Equal(8, buffers.Hessian[0]);
        Assert.False(solver.NextTrial(storage));
    }

    /// <summary>
    /// A linear least-squares problem (the quadratic fit): the loss is quadratic, H constant, so each step solves
    /// (H + λD) δ = −g exactly and shrinks the error e by (H + λD)⁻¹λD e, about 4λ here (the smallest generalized eigenvalue
    /// of H against D is about 0.25 for x uniform in [−1, 1]). Three steps at λ = 1e-3, 1e-4, 1e-5 reach the closed form
    /// (the normal equations solved here by Gaussian elimination) to 1e-9 relative; λ falls by the factor at each step.
    /// </summary>
    [Fact]
    public void Reaches_the_closed_form_of_a_linear_least_squares_problem_in_three_steps()
    {
        var problem = new QuadraticFit();
        var (normal, right, _) = Dense.NormalEquations(problem, [0, 0, 0]);
        // r = Aθ − y, so Aᵀr at θ = 0 is −Aᵀy and the minimiser solves AᵀA θ = Aᵀy.
        double[] closedForm = Dense.Solve(normal, [-right[0], -right[1], -right[2]]);

        var run = new LevenbergMarquardtRun(problem, [0, 0, 0]);
        double expectedDamping = 1e-3;
        double previousLoss = run.Loss;
        for (int step = 0; step < 3; step++)
        {
            Assert.True(run.Step());
            Assert.Equal(1, run.Solver.Evaluations);
            expectedDamping /= 10;
            Assert.Equal(expectedDamping, run.Solver.Damping);
            Assert.True(run.Loss < previousLoss);
            previousLoss = run.Loss;
        }

        for (int i = 0; i < 3; i++)
        {
            output.WriteLine($"θ[{i}] = {run.Theta[i]:R}, closed form {closedForm[i]:R}");
            Assert.True(Dense.RelativeError(run.Theta[i], closedForm[i]) < 1e-9, $"θ[{i}] = {run.Theta[i]:R}, closed form {closedForm[i]:R}");
        }
    }

    /// <summary>
    /// Gauss–Newton from the generating parameters (2.5, 1.3, 0.5), with the normal equations by definition and Gaussian
    /// elimination, to ‖g‖ &lt; 1e-12 (g = (2/N) Jᵀr): the reference optimum of the exponential decay.
    /// </summary>
    internal static double[] ExponentialDecayOptimum(ExponentialDecay problem)
    {
        double[] theta = [2.5, 1.3, 0.5];
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var (normal, right, _) = Dense.NormalEquations(problem, theta);
            double norm = 0;
            foreach (double v in right)
            {
                norm += (2.0 / problem.SampleCount * v) * (2.0 / problem.SampleCount * v);
            }

            if (Math.Sqrt(norm) < 1e-12)
            {
                return theta;
            }

            double[] delta = Dense.Solve(normal, [-right[0], -right[1], -right[2]]);
            for (int i = 0; i < 3; i++)
            {
                theta[i] += delta[i];
            }
        }

        throw new InvalidOperationException("The reference Gauss–Newton did not reach ‖g‖ < 1e-12.");
    }

    /// <summary>
    /// y = A e^(−kt) + C from (1, 1, 0): the reference optimum within 30 steps, to 1e-8 relative; the loss strictly falls
    /// at every accepted step and is unchanged by a stalled one.
    /// </summary>
    [Fact]
    public void Fits_an_exponential_decay_to_the_reference_optimum()
    {
        var problem = new ExponentialDecay();
        double[] optimum = ExponentialDecayOptimum(problem);
        var run = new LevenbergMarquardtRun(problem, [1, 1, 0]);

        int reached = -1;
        for (int step = 1; step <= 30; step++)
        {
            double before = run.Loss;
            bool moved = run.Step();
            if (moved)
            {
                Assert.True(run.Loss < before, $"step {step}: {run.Loss:R} after {before:R}");
            }
            else
            {
                Assert.Equal(before, run.Loss);
                Assert.Equal(before, run.Solver.Loss);
            }

            if (reached < 0 && Close(run.Theta, optimum, 1e-8))
            {
                reached = step;
            }
        }

        output.WriteLine($"within 1e-8 after {reached} steps; {run.Steps} accepted, {run.Evaluations} evaluations, loss {run.Loss:R}, λ {run.Solver.Damping:R}");
        output.WriteLine($"θ = ({run.Theta[0]:R}, {run.Theta[1]:R}, {run.Theta[2]:R}), reference ({optimum[0]:R}, {optimum[1]:R}, {optimum[2]:R})");
        Assert.InRange(reached, 1, 30);
        Assert.True(Close(run.Theta, optimum, 1e-8));
    }

    /// <summary>
    /// r(θ) = atan θ from θ = 4, λ = 0.5, factor 10. With one residual H = 2J², g = 2rJ and D = H, so
    /// δ = −r / (J (1 + λ)), J = 1/17. λ = 0.5: θ = 4 − 17 atan 4 / 1.5 ≈ −11.0, |atan| ≈ 1.48 &gt; atan 4 ≈ 1.33, rejected,
    /// λ = 5; θ = 4 − 17 atan 4 / 6 ≈ 0.24, accepted, λ = 0.5.
    /// </summary>
    [Fact]
    public void A_rejected_trial_multiplies_the_damping_and_an_accepted_one_divides_it()
    {
        var run = new LevenbergMarquardtRun(new Arctangent(), [4], initialDamping: 0.5, dampingFactor: 10);
        double r = Math.Atan(4);
        double first = 4 - 17 * r / 1.5;
        double second = 4 - 17 * r / 6;
        Assert.True(Math.Atan(first) * Math.Atan(first) > r * r);
        Assert.True(Math.Atan(second) * Math.Atan(second) < r * r);

        var storage = run.Storage;
        run.Solver.Begin(storage, run.Loss);
        Assert.True(run.Solver.NextTrial(storage));
        Assert.Equal(0.5, run.Solver.Damping);
        Assert.True(Dense.RelativeError(run.TrialPoint[0], first) < 1e-14);
        run.Solver.Evaluated(storage, run.Evaluate(run.TrialPoint, run.TrialGradient, run.TrialHessian));
        Assert.True(run.Solver.InProgress);
        Assert.Equal(0.5 * 10, run.Solver.Damping);
        Assert.Equal(4, run.Theta[0]);

        Assert.True(run.Solver.NextTrial(storage));
        Assert.True(Dense.RelativeError(run.TrialPoint[0], second) < 1e-14);
        run.Solver.Evaluated(storage, run.Evaluate(run.TrialPoint, run.TrialGradient, run.TrialHessian));
        Assert.False(run.Solver.NextTrial(storage));
        Assert.True(run.Solver.Accepted);
        Assert.Equal(2, run.Solver.Evaluations);
        Assert.Equal(0.5 * 10 / 10, run.Solver.Damping);
        Assert.Equal(run.TrialPoint[0], run.Theta[0]);
        Assert.Equal(Math.Atan(run.Theta[0]) * Math.Atan(run.Theta[0]), run.Solver.Loss);
    }

    /// <summary>
    /// r(θ) = θ² from θ = 1 with λ = 1e-9: every step is accepted (δ = −θ / (2(1 + λ)), the loss θ⁴ falls), so λ is
    /// divided by 10 each step until it is clamped at <see cref="LevenbergMarquardtSolver.MinDamping"/>.
    /// </summary>
    [Fact]
    public void The_damping_is_clamped_at_its_minimum_after_many_accepted_steps()
    {
        var run = new LevenbergMarquardtRun(new Square(), [1], initialDamping: 1e-9);
        double expected = 1e-9;
        for (int step = 0; step < 8; step++)
        {
            double theta = run.Theta[0];
            double before = run.Loss;
            double lambda = run.Solver.Damping;
            Assert.True(run.Step());
            Assert.True(run.Loss < before);
            Assert.True(Dense.RelativeError(run.Theta[0], theta - theta / (2 * (1 + lambda))) < 1e-14);
            expected = Math.Max(expected / 10, 1e-12);
            Assert.Equal(expected, run.Solver.Damping);
        }

        Assert.Equal(LevenbergMarquardtSolver.MinDamping, run.Solver.Damping);
    }

    /// <summary>
    /// A "loss" that never falls (each trial reported at f(θ)): λ is multiplied by 10 from 1e-3 until it reaches
    /// <see cref="LevenbergMarquardtSolver.MaxDamping"/> (clamped), the trial there is rejected too, and the step stalls
    /// with θ, g and H unchanged. The next step tries λ = MaxDamping once and stalls.
    /// </summary>
    [Fact]
    public void The_step_stalls_when_the_damping_reaches_its_maximum()
    {
        var buffers = new Buffers(1);
        buffers.Theta[0] = 3;
        buffers.Gradient[0] = 1;
        buffers.Hessian[0] = 2;
        var storage = buffers.Storage;
        var solver = new LevenbergMarquardtSolver(1e-3, 10);

        int expectedTrials = 1;
        for (double lambda = 1e-3; lambda != 1e12; lambda = Math.Min(lambda * 10, 1e12))
        {
            expectedTrials++;
        }

        solver.Begin(storage, 1.0);
        int trials = 0;
        while (solver.NextTrial(storage))
        {
            trials++;
            Assert.True(Dense.RelativeError(buffers.Step[0], -1 / (2 * (1 + solver.Damping))) < 1e-14);
            buffers.TrialGradient[0] = 99;
            buffers.TrialHessian[0] = 99;
            solver.Evaluated(storage, 1.0);
        }

        Assert.Equal(expectedTrials, trials);
        Assert.Equal(trials, solver.Evaluations);
        Assert.False(solver.Accepted);
        Assert.False(solver.InProgress);
        Assert.Equal(1.0, solver.Loss);
        Assert.Equal(LevenbergMarquardtSolver.MaxDamping, solver.Damping);
        Assert.Equal((3.0, 1.0, 2.0), (buffers.Theta[0], buffers.Gradient[0], buffers.Hessian[0]));

        solver.Begin(storage, 1.0);
        Assert.True(solver.NextTrial(storage));
        solver.Evaluated(storage, double.NaN);
        Assert.False(solver.NextTrial(storage));
        Assert.Equal(1, solver.Evaluations);
        Assert.False(solver.Accepted);
        Assert.Equal(3.0, buffers.Theta[0]);
    }

    /// <summary>
    /// With factor 1.0001 λ cannot reach its maximum within a step: the <see cref="LevenbergMarquardtSolver.MaxTrials"/>-th
    /// rejection stalls it, after 99 multiplications of λ.
    /// </summary>
    [Fact]
    public void The_step_stalls_after_MaxTrials_rejections()
    {
        var buffers = new Buffers(1);
        buffers.Gradient[0] = 1;
        buffers.Hessian[0] = 2;
        var storage = buffers.Storage;
        var solver = new LevenbergMarquardtSolver(1e-3, 1.0001);
        solver.Begin(storage, 1.0);
        int trials = 0;
        while (solver.NextTrial(storage))
        {
            trials++;
            solver.Evaluated(storage, 1.5);
        }

        double expected = 1e-3;
        for (int k = 0; k < 99; k++)
        {
            expected *= 1.0001;
        }

        Assert.Equal(100, LevenbergMarquardtSolver.MaxTrials);
        Assert.Equal(100, trials);
        Assert.False(solver.Accepted);
        Assert.Equal(expected, solver.Damping);
        Assert.Equal(0.0, buffers.Theta[0]);
    }

    /// <summary>
    /// A matrix that is never positive definite (a NaN in H) is rejected without evaluations until λ reaches its
    /// maximum; a starting loss or g that is not finite stalls at once.
    /// </summary>
    [Fact]
    public void Unusable_starting_values_stall_without_evaluations()
    {
        var buffers = new Buffers(2);
        buffers.Hessian[0] = 1;
        buffers.Hessian[2] = double.NaN;
        buffers.Hessian[3] = 1;
        buffers.Gradient[0] = 1;
        var storage = buffers.Storage;
        var solver = new LevenbergMarquardtSolver(1e-3, 10);
        solver.Begin(storage, 1.0);
        Assert.False(solver.NextTrial(storage));
        Assert.Equal(0, solver.Evaluations);
        Assert.False(solver.Accepted);
        Assert.Equal(LevenbergMarquardtSolver.MaxDamping, solver.Damping);

        buffers.Hessian[2] = 0;
        solver.ResetDamping();
        solver.Begin(storage, double.NaN);
        Assert.False(solver.InProgress);
        Assert.False(solver.NextTrial(storage));
        Assert.False(solver.Accepted);
        Assert.Equal(1e-3, solver.Damping);

        buffers.Gradient[1] = double.PositiveInfinity;
        solver.Begin(storage, 1.0);
        Assert.False(solver.NextTrial(storage));
        Assert.Equal(1.0, solver.Loss);
        Assert.Equal(0, solver.Evaluations);
        Assert.Equal(1e-3, solver.Damping);
    }

    /// <summary>
    /// λ starts at InitialDamping clamped into [1e-12, 1e12]; setting InitialDamping and ResetDamping put it back there;
    /// Restore takes a saved λ; λ persists across steps otherwise.
    /// </summary>
    [Fact]
    public void The_damping_starts_resets_and_restores()
    {
        Assert.Equal(1e-12, new LevenbergMarquardtSolver(1e-20, 10).Damping);
        Assert.Equal(1e12, new LevenbergMarquardtSolver(1e20, 10).Damping);
        Assert.Equal(1e20, new LevenbergMarquardtSolver(1e20, 10).InitialDamping);

        var run = new LevenbergMarquardtRun(new Square(), [1], initialDamping: 1e-3);
        Assert.True(run.Step());
        Assert.True(run.Step());
        Assert.Equal(1e-3 / 10 / 10, run.Solver.Damping);
        run.Solver.ResetDamping();
        Assert.Equal(1e-3, run.Solver.Damping);
        run.Solver.InitialDamping = 0.25;
        Assert.Equal(0.25, run.Solver.Damping);
        run.Solver.InitialDamping = 1e-30;
        Assert.Equal(1e-30, run.Solver.InitialDamping);
        Assert.Equal(1e-12, run.Solver.Damping);
        run.Solver.Restore(7e-5);
        Assert.Equal(7e-5, run.Solver.Damping);
        run.Solver.Restore(1e-12);
        run.Solver.Restore(1e12);
        Assert.Equal(1e12, run.Solver.Damping);
        run.Solver.DampingFactor = 2;
        Assert.Equal(2, run.Solver.DampingFactor);
        Assert.True(run.Step());
        Assert.Equal(1e12 / 2, run.Solver.Damping);

        // Restore and ResetDamping abandon a step under way.
        var storage = run.Storage;
        run.Solver.Begin(storage, run.Loss);
        Assert.True(run.Solver.NextTrial(storage));
        run.Solver.Restore(1e-3);
        Assert.False(run.Solver.InProgress);
        Assert.Throws<InvalidOperationException>(() => run.Solver.Evaluated(run.Storage, 0));
    }

    [Fact]
    public void Bad_arguments_throw_naming_them_and_change_nothing()
    {
        Assert.Equal("InitialDamping", Assert.Throws<ArgumentOutOfRangeException>(() => new LevenbergMarquardtSolver(0, 10)).ParamName);
        Assert.Equal("InitialDamping", Assert.Throws<ArgumentOutOfRangeException>(() => new LevenbergMarquardtSolver(-1, 10)).ParamName);
        Assert.Equal("InitialDamping", Assert.Throws<ArgumentOutOfRangeException>(() => new LevenbergMarquardtSolver(double.NaN, 10)).ParamName);
        Assert.Equal("InitialDamping", Assert.Throws<ArgumentOutOfRangeException>(() => new LevenbergMarquardtSolver(double.PositiveInfinity, 10)).ParamName);
        Assert.Equal("DampingFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LevenbergMarquardtSolver(1e-3, 1)).ParamName);
        Assert.Equal("DampingFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LevenbergMarquardtSolver(1e-3, 0.5)).ParamName);
        Assert.Equal("DampingFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LevenbergMarquardtSolver(1e-3, double.PositiveInfinity)).ParamName);
        Assert.Equal("DampingFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LevenbergMarquardtSolver(1e-3, double.NaN)).ParamName);

        var solver = new LevenbergMarquardtSolver(1e-3, 10);
        solver.Restore(5e-2);
        Assert.Equal("InitialDamping", Assert.Throws<ArgumentOutOfRangeException>(() => solver.InitialDamping = 0).ParamName);
        Assert.Equal("InitialDamping", Assert.Throws<ArgumentOutOfRangeException>(() => solver.InitialDamping = double.NaN).ParamName);
        Assert.Equal((1e-3, 5e-2), (solver.InitialDamping, solver.Damping));
        Assert.Equal("DampingFactor", Assert.Throws<ArgumentOutOfRangeException>(() => solver.DampingFactor = 1).ParamName);
        Assert.Equal(10, solver.DampingFactor);
        Assert.Equal("damping", Assert.Throws<ArgumentOutOfRangeException>(() => solver.Restore(1e-13)).ParamName);
        Assert.Equal("damping", Assert.Throws<ArgumentOutOfRangeException>(() => solver.Restore(2e12)).ParamName);
        Assert.Equal("damping", Assert.Throws<ArgumentOutOfRangeException>(() => solver.Restore(double.NaN)).ParamName);
        Assert.Equal(5e-2, solver.Damping);
        Assert.Throws<InvalidOperationException>(() => solver.Evaluated(new Buffers(1).Storage, 0));

        double[] two = new double[2];
        double[] three = new double[3];
        double[] four = new double[4];
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => new LevenbergMarquardtStorage<double>(two, three, four, two, two, four, four, two)).ParamName);
        Assert.Equal("hessian", Assert.Throws<ArgumentException>(() => new LevenbergMarquardtStorage<double>(two, two, three, two, two, four, four, two)).ParamName);
        Assert.Equal("trialPoint", Assert.Throws<ArgumentException>(() => new LevenbergMarquardtStorage<double>(two, two, four, three, two, four, four, two)).ParamName);
        Assert.Equal("trialGradient", Assert.Throws<ArgumentException>(() => new LevenbergMarquardtStorage<double>(two, two, four, two, three, four, four, two)).ParamName);
        Assert.Equal("trialHessian", Assert.Throws<ArgumentException>(() => new LevenbergMarquardtStorage<double>(two, two, four, two, two, two, four, two)).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentException>(() => new LevenbergMarquardtStorage<double>(two, two, four, two, two, four, three, two)).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentException>(() => new LevenbergMarquardtStorage<double>(two, two, four, two, two, four, four, four)).ParamName);
        Assert.Equal(2, new LevenbergMarquardtStorage<double>(two, two, four, two, two, four, four, two).ParameterCount);
    }

    /// <summary>Begin, NextTrial and Evaluated allocate nothing: 30 steps of the exponential decay, after a warm-up run.</summary>
    [Fact]
    public void Steps_allocate_nothing()
    {
        // Control: the measurement sees an allocation.
        long before = GC.GetAllocatedBytesForCurrentThread();
        var array = new double[4];
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0);
        GC.KeepAlive(array);

        var problem = new ExponentialDecay();
        new LevenbergMarquardtRun(problem, [1, 1, 0]).Run(30, 0);
        long least = long.MaxValue;
        for (int repeat = 0; repeat < 3; repeat++)
        {
            var run = new LevenbergMarquardtRun(problem, [1, 1, 0]);
            before = GC.GetAllocatedBytesForCurrentThread();
            run.Run(30, 0);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(run.Steps > 5);
        }

        Assert.Equal(0, least);
    }

    private static bool Close(IReadOnlyList<double> actual, IReadOnlyList<double> expected, double tolerance)
    {
        for (int i = 0; i < expected.Count; i++)
        {
            if (!(Dense.RelativeError(actual[i], expected[i]) < tolerance))
            {
                return false;
            }
        }

        return true;
    }
}
