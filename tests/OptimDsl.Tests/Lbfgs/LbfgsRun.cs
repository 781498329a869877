using System;
using OptimDsl.Rules;

namespace OptimDsl.Tests.Lbfgs;

/// <summary>
/// What a generated <c>MLbfgs</c> will do, written by hand: owns the storage, evaluates the objective where the solver
/// asks, and counts iterations. Nothing in <see cref="Iterate"/> or <see cref="Run"/> allocates.
/// </summary>
internal sealed class LbfgsRun
{
    public LbfgsRun(ITestObjective objective, double[] start, int capacity = 10, double learningRate = 1, LineSearch lineSearch = LineSearch.StrongWolfe)
    {
        int n = start.Length;
        Objective = objective;
        Theta = (double[])start.Clone();
        Gradient = new double[n];
        PairS = new double[capacity * n];
        PairY = new double[capacity * n];
        Rho = new double[capacity];
        Alpha = new double[capacity];
        Direction = new double[n];
        TrialPoint = new double[n];
        TrialGradient = new double[n];
        Solver = new LbfgsSolver(learningRate, capacity, lineSearch);
        Loss = objective.Evaluate(Theta, Gradient);
    }

    public ITestObjective Objective { get; }

    public double[] Theta { get; }

    public double[] Gradient { get; }

    public double[] PairS { get; }

    public double[] PairY { get; }

    public double[] Rho { get; }

    public double[] Alpha { get; }

    public double[] Direction { get; }

    public double[] TrialPoint { get; }

    public double[] TrialGradient { get; }

    /// <summary>The solver; a field so that its methods mutate it in place.</summary>
    public LbfgsSolver Solver;

    /// <summary>The loss at <see cref="Theta"/>.</summary>
    public double Loss { get; private set; }

    /// <summary>Iterations that moved θ.</summary>
    public int Iterations { get; private set; }

    /// <summary>Objective evaluations made by the line searches.</summary>
    public int Evaluations { get; private set; }

    public LbfgsStorage<double> Storage => new(Theta, Gradient, PairS, PairY, Rho, Alpha, Direction, TrialPoint, TrialGradient);

    /// <summary>The 2-norm of the gradient at θ.</summary>
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

    /// <summary>Begins an iteration: the direction is then in <see cref="Direction"/>.</summary>
    public void Begin() => Solver.Begin(Storage, Loss);

    /// <summary>Runs the begun iteration's line search to its end; true when θ moved.</summary>
    public bool Finish()
    {
        var storage = Storage;
        while (Solver.NextTrial(storage))
        {
            Evaluations++;
            Solver.Evaluated(storage, Objective.Evaluate(TrialPoint, TrialGradient));
        }

        if (Solver.Accepted)
        {
            Loss = Solver.Loss;
            Iterations++;
        }

        return Solver.Accepted;
    }

    /// <summary>One whole iteration; true when θ moved.</summary>
    public bool Iterate()
    {
        Begin();
        return Finish();
    }

    /// <summary>Iterates until ‖g‖₂ ≤ tolerance (true), a stall or <paramref name="maxIterations"/> (false).</summary>
    public bool Run(int maxIterations, double tolerance)
    {
        for (int k = 0; k < maxIterations; k++)
        {
            if (GradientNorm <= tolerance)
            {
                return true;
            }

            if (!Iterate())
            {
                return false;
            }
        }

        return GradientNorm <= tolerance;
    }
}
