using System;

namespace OptimDsl.Tests.LevenbergMarquardt;

/// <summary>Reference linear algebra for the tests, independent of the solver: allocating, plain loops.</summary>
internal static class Dense
{
    /// <summary>A x = b by Gaussian elimination with partial pivoting (A and b are not changed).</summary>
    public static double[] Solve(double[,] matrix, double[] right)
    {
        int n = right.Length;
        var a = (double[,])matrix.Clone();
        var b = (double[])right.Clone();
        for (int column = 0; column < n; column++)
        {
            int pivot = column;
            for (int i = column + 1; i < n; i++)
            {
                if (Math.Abs(a[i, column]) > Math.Abs(a[pivot, column]))
                {
                    pivot = i;
                }
            }

            for (int j = 0; j < n; j++)
            {
                (a[column, j], a[pivot, j]) = (a[pivot, j], a[column, j]);
            }

            (b[column], b[pivot]) = (b[pivot], b[column]);
            for (int i = column + 1; i < n; i++)
            {
                double m = a[i, column] / a[column, column];
                for (int j = column; j < n; j++)
                {
                    a[i, j] -= m * a[column, j];
                }

                b[i] -= m * b[column];
            }
        }

        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = b[i];
            for (int j = i + 1; j < n; j++)
            {
                sum -= a[i, j] * x[j];
            }

            x[i] = sum / a[i, i];
        }

        return x;
    }

    /// <summary>(JᵀJ, Jᵀr, Σ r²) of a problem at θ, by the definition (weights 1), as matrices.</summary>
    public static (double[,] Normal, double[] Right, double SumOfSquares) NormalEquations(IResidualProblem problem, double[] theta)
    {
        int n = theta.Length;
        var normal = new double[n, n];
        var right = new double[n];
        var row = new double[n];
        double sum = 0;
        for (int k = 0; k < problem.ResidualCount; k++)
        {
            double r = problem.Residual(k, theta, row, out _);
            sum += r * r;
            for (int i = 0; i < n; i++)
            {
                right[i] += row[i] * r;
                for (int j = 0; j < n; j++)
                {
                    normal[i, j] += row[i] * row[j];
                }
            }
        }

        return (normal, right, sum);
    }

    public static double RelativeError(double actual, double expected) => Math.Abs(actual - expected) / Math.Abs(expected);
}
