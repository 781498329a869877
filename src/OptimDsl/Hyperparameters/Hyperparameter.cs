using System;

namespace OptimDsl.Hyperparameters;

/// <summary>Checks a hyperparameter set at run time (README, Optimizers): a bad value throws and changes nothing.</summary>
internal static class Hyperparameter
{
    /// <summary>Returns <paramref name="value"/>, or throws when it is outside <paramref name="range"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of range; its ParamName is <paramref name="name"/>.</exception>
    public static double Checked(double value, HyperparameterRange range, string name)
    {
        if (!range.Contains(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {range.Requirement()}.");
        }

        return value;
    }

    /// <summary>Returns <paramref name="value"/>, or throws when it is outside <paramref name="range"/>.</summary>
    public static int Checked(int value, HyperparameterRange range, string name)
    {
        if (!range.Contains(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {range.Requirement()}.");
        }

        return value;
    }
}
