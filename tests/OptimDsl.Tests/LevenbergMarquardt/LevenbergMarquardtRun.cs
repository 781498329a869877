using System;
using OptimDsl.Rules;

namespace OptimDsl.Tests.LevenbergMarquardt;

/// <summary>
/// What a generated <c>MLevenbergMarquardt</c> will do, written by hand: owns the storage, accumulates f, g and H with
/// <see cref="NormalEquations"/> where the solver asks (README, Optimizers: f += c r², then 2/N on H and g, 1/N on f),
/// and counts steps. Nothing in <see cref="Step"/> or <see cref="Run"/> allocates.
/// </summary>
internal sealed class LevenbergMarquardtRun
{
    private readonly double[] _row;

    public LevenbergMarquardtRun(IResidualProblem problem, double[] start, double initialDamping = 1e-3, double dampingFactor = 10)
    {
        int n = start.Length;
        Problem = problem;
        Theta = (double[])start.Clone();
        Gradient = new double[n];
        Hessian = new double[n * n];
        TrialPoint = new double[n];
        TrialGradient = new double[n];
        TrialHessian = new double[n * n];
        Factor = new double[n * n];
        StepBuffer = new double[n];
        _row = new double[n];
        Solver = new LevenbergMarquardtSolver(initialDamping, dampingFactor);
        Loss = Evaluate(Theta, Gradient, Hessian);
    }

    public IResidualProblem Problem { get; }

    public double[] Theta { get; }

    public double[] Gradient { get; }

    public double[] Hessian { get; }

    public double[] TrialPoint { get; }

    public double[] TrialGradient { get; }

    public double[] TrialHessian { get; }

    public double[] Factor { get; }

    public double[] StepBuffer { get; }

    /// <summary>The solver; a field so that its methods mutate it in place.</summary>
    public LevenbergMarquardtSolver Solver;

    /// <summary>The loss at <see cref="Theta"/>.</summary>
    public double Loss { get; private set; }

    /// <summary>Steps that moved θ.</summary>
    public int Steps { get; private set; }

    /// <summary>Trials evaluated over all steps.</summary>
    public int Evaluations { get; private set; }

    public LevenbergMarquardtStorage<double> Storage => new(Theta, Gradient, Hessian, TrialPoint, TrialGradient, TrialHessian, Factor, StepBuffer);

    public double GradientNorm
    {
        get
        {
            double sum = 0;
            foreach (double v in Gradient)
            {
                sum += v * v;
            }

            return Math.Sqrt(sum);
        }
    }

    /// <summary>f at θ, with g and H written (the caller's side of the scaling convention).</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient, Span<double> hessian)
    {
        gradient.Clear();
        hessian.Clear();
        double loss = 0;
        for (int k = 0; k < Problem.ResidualCount; k++)
        {
            double r = Problem.Residual(k, theta, _row, out double c);
            NormalEquations.AddResidual(hessian, gradient, _row, r, c);
            loss += c * r * r;
        }

        int samples = Problem.SampleCount;
        NormalEquations.Finish(hessian, gradient, 2.0 / samples);
        return loss / samples;
    }

    /// <summary>One whole step; true when θ moved.</summary>
    public bool Step()
    {
        var storage = Storage;
        Solver.Begin(storage, Loss);
        while (Solver.NextTrial(storage))
        {
            Evaluations++;
            Solver.Evaluated(storage, Evaluate(TrialPoint, TrialGradient, TrialHessian));
        }

        if (Solver.Accepted)
        {
            Loss = Solver.Loss;
            Steps++;
        }

        return Solver.Accepted;
    }

    /// <summary>Steps until ‖g‖₂ ≤ tolerance (true), a stall or <paramref name="maxSteps"/> (false).</summary>
    public bool Run(int maxSteps, double tolerance)
    {
        for (int k = 0; k < maxSteps; k++)
        {
            if (GradientNorm <= tolerance)
            {
                return true;
            }

            if (!Step())
            {
                return false;
            }
        }

        return GradientNorm <= tolerance;
    }
}
