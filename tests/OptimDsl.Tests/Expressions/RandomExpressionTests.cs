using System;
using System.Linq;
using OptimDsl.Generators.Expressions;
using Xunit;

namespace OptimDsl.Tests.Expressions;

/// <summary>
/// Random smooth expressions, built through the simplifying builder and also computed directly with
/// <see cref="Math"/>: the simplified graph keeps the value, and its reverse-mode gradient matches
/// a finite difference. Constants 0, 1, −1, 2 and ½ are frequent so that the rewrite rules fire.
/// </summary>
public sealed class RandomExpressionTests
{
    private const int ParameterCount = 3;

    private sealed class Generator(Random random, ExpressionBuilder b, int[] parameters)
    {
        private static readonly double[] Constants = [0, 1, -1, 2, 0.5, 3, -2.5, 0.25];

        public (int Id, Func<double[], double> F) Next(int depth)
        {
            if (depth == 0 || random.Next(5) == 0)
            {
                if (random.Next(3) == 0)
                {
                    var c = Constants[random.Next(Constants.Length)];
                    return (b.Constant(c), _ => c);
                }

                var i = random.Next(ParameterCount);
                return (parameters[i], v => v[i]);
            }

            var (a, fa) = Next(depth - 1);
            switch (random.Next(17))
            {
                case 0: return (b.Negate(a), v => -fa(v));
                case 1: return (b.Apply(Operation.Sin, a), v => Math.Sin(fa(v)));
                case 2: return (b.Apply(Operation.Cos, a), v => Math.Cos(fa(v)));
                case 3: return (b.Apply(Operation.Tanh, a), v => Math.Tanh(fa(v)));
                case 4: return (b.Apply(Operation.Atan, a), v => Math.Atan(fa(v)));
                case 5:
                {
                    var s = b.Apply(Operation.Sin, a);
                    return (b.Apply(Operation.Exp, s), v => Math.Exp(Math.Sin(fa(v))));
                }

                case 6:
                {
                    var q = b.Add(b.One, b.Multiply(a, a));
                    return random.Next(2) == 0
                        ? (b.Apply(Operation.Sqrt, q), v => Math.Sqrt(1 + fa(v) * fa(v)))
                        : (b.Apply(Operation.Log, q), v => Math.Log(1 + fa(v) * fa(v)));
                }

                case 7:
                {
                    double[] exponents = [0, 1, 2, 3, 4, 0.5, -1, -2, 1.5];
                    var k = exponents[random.Next(exponents.Length)];
                    var q = b.Add(b.Constant(1.5), b.Apply(Operation.Sin, a)); // in [0.5, 2.5]
                    return (b.Apply(Operation.Pow, q, b.Constant(k)), v => Math.Pow(1.5 + Math.Sin(fa(v)), k));
                }

                case 8:
                    return (b.Multiply(b.Constant(-1), a), v => -1 * fa(v));
            }

            var (c2, fc) = Next(depth - 1);
            return random.Next(6) switch
            {
                0 => (b.Add(a, c2), v => fa(v) + fc(v)),
                1 => (b.Subtract(a, c2), v => fa(v) - fc(v)),
                2 => (b.Multiply(a, c2), v => fa(v) * fc(v)),
                3 => (b.Divide(a, b.Add(b.Constant(1.5), b.Apply(Operation.Cos, c2))), v => fa(v) / (1.5 + Math.Cos(fc(v)))),
                4 => (b.Apply(Operation.Atan2, b.Apply(Operation.Tanh, a), b.Add(b.Constant(2), b.Apply(Operation.Sin, c2))),
                    v => Math.Atan2(Math.Tanh(fa(v)), 2 + Math.Sin(fc(v)))),
                _ => (b.Add(b.Multiply(a, a), b.Multiply(c2, a)), v => fa(v) * fa(v) + fc(v) * fa(v)),
            };
        }
    }

    [Fact]
    public void Simplified_graphs_keep_the_value_and_differentiate_correctly()
    {
        var random = new Random(20240611);
        for (var n = 0; n < 400; n++)
        {
            var (b, parameters) = GraphCheck.WithParameters(ParameterCount);
            var (root, f) = new Generator(random, b, parameters).Next(4);
            var graph = b.ToGraph();
            Assert.True(GraphCheck.IsTopological(graph));

            for (var k = 0; k < 3; k++)
            {
                var point = Enumerable.Range(0, ParameterCount).Select(_ => random.NextDouble() * 4 - 2).ToArray();
                var where = $"expression {n} at ({string.Join(", ", point)})";
                var direct = f(point);
                GraphCheck.Close(direct, Evaluator.Evaluate(graph, root, point), 1e-11, where + " value");

                var gradient = GraphCheck.Gradient(graph, root, ParameterCount, point);
                for (var i = 0; i < ParameterCount; i++)
                {
                    var numeric = GraphCheck.CentralDifference(f, point, i);
                    var tolerance = 1e-6 * Math.Max(1, Math.Abs(numeric)) + 1e-11 * Math.Max(1, Math.Abs(direct)) / 1e-4;
                    Assert.True(
                        Math.Abs(gradient[i] - numeric) <= tolerance,
                        $"{where}: ∂/∂p{i} is {gradient[i]:R}, finite difference {numeric:R}.");
                }
            }
        }
    }
}
