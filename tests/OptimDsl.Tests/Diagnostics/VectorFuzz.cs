using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace OptimDsl.Tests.Diagnostics;

/// <summary>
/// A random vector objective (README, Vectors and loops): a <c>[Length(N)] ReadOnlySpan&lt;double&gt;</c> trained
/// vector, perhaps a scalar and a data row, <c>for</c> loops (nested, triangular, counting down, stepping by two),
/// <c>int</c> locals, local vectors, and slices passed to a helper objective. It is built as a small tree and its
/// integer part is run by <see cref="Interpret"/>, so the fuzzer knows every value each index takes: an index that
/// is outside its vector at some point is written <c>w[/*OPTDSL008*/i + 1]</c>, and the first to be outside in the
/// order C# evaluates them <c>w[/*OPTDSL008 first*/i - 1]</c>. The objective must be refused with OPTDSL008 at the
/// first, and at none but marked indexes (<see cref="Expectations"/>): the generator stops unrolling a loop at its
/// first index out of range, so later ones in that loop may go unreported. One with no marked index is valid and
/// must be generated.
/// </summary>
/// <remarks>
/// Every loop runs at least once wherever it is reached (a body never run would hold indexes that take no value),
/// and the unrolled size stays small; a draw that breaks either is drawn again from the same generator.
/// Values use only smooth functions, so the generated gradients can be checked against finite differences.
/// </remarks>
internal sealed class RandomVectorObjective
{
    /// <summary>The first line of every vector fuzz input, by which <see cref="FuzzRunner"/> knows to check its indexes.</summary>
    public const string Header = "// fuzz: a vector objective";

    /// <summary>The comment that marks an index the interpreter found out of range.</summary>
    public const string OutOfRange = "/*OPTDSL008*/";

    /// <summary>The comment that marks the first index out of range in evaluation order.</summary>
    public const string FirstOutOfRange = "/*OPTDSL008 first*/";

    private Index? _first;

    private const int MaxExecutedStatements = 400;

    private readonly Random _random;
    private int _names;
    private int _executed;
    private bool _emptyLoop;

    // The shape: w[N] trained, b trained (maybe), x[M] and t as data (maybe).
    private readonly int _n;
    private readonly bool _hasScalar;
    private readonly int _m;
    private readonly bool _lengthFromConstant;
    private readonly bool _long;

    private readonly List<Block> _scopes = [];
    private List<Stmt> _body = [];
    private Expr _result = new Lit("0");

    public RandomVectorObjective(Random random)
    {
        _random = random;
        // One in ten long enough for a rolled loop (README: a loop of at least 64 iterations that only adds to sums).
        _long = random.Next(10) == 0;
        _n = _long ? 64 + random.Next(8) : 1 + random.Next(6);
        _hasScalar = random.Next(2) == 0;
        _m = random.Next(3) == 0 ? 1 + random.Next(3) : 0;
        _lengthFromConstant = random.Next(3) == 0;
        for (var attempt = 0; ; attempt++)
        {
            Draw();
            Interpret();
            if ((!_emptyLoop && _executed <= MaxExecutedStatements) || attempt == 50)
            {
                break;
            }
        }
    }

    public bool HasData => _m > 0;

    /// <summary>Every loop runs wherever it is reached and the unrolled size is small (false only if 50 draws failed).</summary>
    public bool IsWellFormed => !_emptyLoop && _executed <= MaxExecutedStatements;

    /// <summary>The first <paramref name="count"/> well-formed objectives with every index in range, from the seeds <paramref name="seed"/> on.</summary>
    public static List<RandomVectorObjective> Valid(int count, int seed)
    {
        var objectives = new List<RandomVectorObjective>();
        for (var s = seed; objectives.Count < count; s++)
        {
            var objective = new RandomVectorObjective(new Random(s));
            if (objective.IsWellFormed && !objective.HasOutOfRangeIndex)
            {
                objectives.Add(objective);
            }
        }

        return objectives;
    }

    /// <summary>Whether some index is outside its vector: the objective must be refused there.</summary>
    public bool HasOutOfRangeIndex => Indexes().Any(i => i.OutOfRange);

    /// <summary>The number of trained values: N, and 1 for the scalar.</summary>
    public int TrainedCount => _n + (_hasScalar ? 1 : 0);

    /// <summary>The number of data values of a sample: M, and 1 for the scalar target.</summary>
    public int SampleWidth => HasData ? _m + 1 : 0;

    /// <summary>
    /// The input: the objective <c>M</c> and the helper <c>Pair</c> in <c>Problems</c>, and with <paramref name="probe"/> a class
    /// <c>Probe</c> whose methods take arrays (reflection cannot pass spans): <c>Value(theta, sample)</c> calls the user's
    /// method, <c>Gradient(theta, sample, gradient)</c> the generated flat overload (the data overload with one sample).
    /// </summary>
    public string Source(bool probe = false)
    {
        var parameters = new List<string> { $"[Length({(_lengthFromConstant ? "Size" : _n.ToString(CultureInfo.InvariantCulture))})] ReadOnlySpan<double> w" };
        if (_hasScalar)
        {
            parameters.Add("double b");
        }

        if (HasData)
        {
            parameters.Add($"[Data, Length({_m})] ReadOnlySpan<double> x");
            parameters.Add("[Data] double t");
        }

        // Only a well-formed draw promises OPTDSL008 exactly at the marks (FuzzRunner checks inputs with the header).
        var text = new StringBuilder();
        text.Append(IsWellFormed ? Header : "// fuzz: an unchecked vector objective").Append('\n');
        text.Append("using System;\nusing OptimDsl;\n\npublic static partial class Problems\n{\n");
        text.Append("    private const int Size = ").Append(_n).Append(";\n\n");
        text.Append("    [Objective]\n    public static double Pair([Length(2)] ReadOnlySpan<double> p) => p[0] * p[1] + 0.5 * p[1] * p[1];\n\n");
        // Optimizers only where no gradient is checked: their code is long to compile and depends little on the body.
        text.Append("    [Objective").Append(probe ? "" : Optimizer()).Append("]\n");
        text.Append("    public static double M(").Append(string.Join(", ", parameters)).Append(")\n    {\n");
        foreach (var statement in _body)
        {
            Render(statement, text, 2);
        }

        text.Append("        return ").Append(Render(_result)).Append(";\n    }\n}\n");
        if (probe)
        {
            var value = new List<string> { $"theta.AsSpan(0, {_n})" };
            if (_hasScalar)
            {
                value.Add($"theta[{_n}]");
            }

            if (HasData)
            {
                value.Add($"sample.AsSpan(0, {_m})");
                value.Add($"sample[{_m}]");
            }

            var gradient = HasData ? $"theta, sample.AsSpan(0, {_m}), sample.AsSpan({_m}, 1), gradient" : "theta, gradient";
            text.Append("\npublic static class Probe\n{\n");
            text.Append("    public static double Value(double[] theta, double[] sample) => Problems.M(").Append(string.Join(", ", value)).Append(");\n\n");
            text.Append("    public static double Gradient(double[] theta, double[] sample, double[] gradient) => Problems.MGradient(").Append(gradient).Append(");\n}\n");
        }

        return text.ToString();
    }

    private string Optimizer() => _random.Next(4) switch
    {
        0 => ", Adam",
        1 => ", GradientDescent(LearningRate = 0.1)",
        2 when HasData => ", Sgd(BatchSize = 2)",
        _ => "",
    };

    /// <summary>
    /// The spans of the marked indexes in <paramref name="tree"/> (an input, perhaps inside a namespace of the fuzz runner):
    /// the index expressions that follow <see cref="OutOfRange"/> or <see cref="FirstOutOfRange"/>, and which is the first.
    /// </summary>
    public static List<(TextSpan Span, bool First)> Expectations(SyntaxTree tree)
        => [.. tree.GetRoot().DescendantTrivia()
            .Where(t => t.IsKind(SyntaxKind.MultiLineCommentTrivia) && t.ToString() is OutOfRange or FirstOutOfRange)
            // On the line of the '[', the comment is the bracket's trailing trivia; else the index's first token's leading trivia.
            .Select(t => (Index: (t.Token.IsKind(SyntaxKind.OpenBracketToken) ? t.Token.GetNextToken() : t.Token).Parent?.FirstAncestorOrSelf<ArgumentSyntax>(), First: t.ToString() == FirstOutOfRange))
            .Where(e => e.Index is not null)
            .Select(e => (e.Index!.Expression.Span, e.First))];

    // ---- the tree --------------------------------------------------------------------------------

    private abstract record Stmt;

    private sealed record DeclareDouble(string Name, Expr Value) : Stmt;

    private sealed record AssignDouble(string Name, string Op, Expr Value) : Stmt;

    private sealed record DeclareVector(string Name, int Length) : Stmt;

    private sealed record AssignElement(Index Target, string Op, Expr Value) : Stmt;

    private sealed record DeclareInt(string Name, IntExpr Value) : Stmt;

    private sealed record AssignInt(string Name, string Op, int Value) : Stmt;

    /// <summary><c>for (int Var = Start; Var Compare Bound; Step)</c>; Step is <c>i++</c>, <c>--i</c>, <c>i += 2</c>, …</summary>
    private sealed record For(string Var, IntExpr Start, string Compare, IntExpr Bound, string Step, List<Stmt> Body) : Stmt;

    private abstract record Expr;

    private sealed record Lit(string Text) : Expr;

    private sealed record Name(string Text) : Expr;

    /// <summary>An integer used as a double: <c>0.25 * i</c>.</summary>
    private sealed record Scaled(IntExpr Value) : Expr;

    private sealed record Unary(string Format, Expr A) : Expr;

    private sealed record Binary(string Op, Expr A, Expr B) : Expr;

    /// <summary><c>Pair(v.Slice(Start, 2))</c> or <c>Pair(v[Start..(Start + 2)])</c>; the start is a constant inside the vector.</summary>
    private sealed record PairOfSlice(string Vector, int Start, bool Range) : Expr;

    /// <summary><c>Vector[Position]</c>; the interpreter marks the object itself (<see cref="OutOfRange"/>).</summary>
    private sealed record Index(string Vector, int Length, IntExpr Position) : Expr
    {
        public bool OutOfRange { get; set; }
    }

    private abstract record IntExpr;

    private sealed record IntConst(int Value) : IntExpr;

    private sealed record IntVar(string Name) : IntExpr;

    private sealed record IntLength(string Vector, int Length) : IntExpr;

    private sealed record IntBinary(string Op, IntExpr A, IntExpr B) : IntExpr;

    /// <summary>What is in scope in a block: double locals, vectors (name, length, writable), integers.</summary>
    private sealed class Block
    {
        public List<string> Doubles { get; } = [];

        public List<(string Name, int Length, bool Local)> Vectors { get; } = [];

        public List<string> Ints { get; } = [];

        public List<string> LoopVars { get; } = [];
    }

    // ---- drawing --------------------------------------------------------------------------------

    private void Draw()
    {
        _names = 0;
        _scopes.Clear();
        var top = new Block();
        top.Vectors.Add(("w", _n, false));
        if (HasData)
        {
            top.Vectors.Add(("x", _m, false));
        }

        _scopes.Add(top);
        if (_long)
        {
            // A sum over w's values (a rolled loop when its terms allow), then random statements after it.
            var loop = new For("i", new IntConst(0), _random.Next(2) == 0 ? "<" : "<=", _random.Next(2) == 0 ? new IntLength("w", _n) : new IntConst(_n - 1), "i++", []);
            if (loop.Compare == "<=")
            {
                loop = loop with { Bound = new IntBinary("-", loop.Bound, new IntConst(1)) };
            }

            var scope = new Block();
            scope.LoopVars.Add("i");
            _scopes.Add(scope);
            loop.Body.Add(new AssignDouble("sum", "+=", Value(2)));
            _scopes.RemoveAt(_scopes.Count - 1);
            _body = [new DeclareDouble("sum", new Lit("0")), loop];
            top.Doubles.Add("sum");
            _body.AddRange(Statements(1 + _random.Next(3), depth: 2));
        }
        else
        {
            _body = Statements(2 + _random.Next(4), depth: 0);
        }

        var terms = new List<Expr> { Value(2) };
        terms.AddRange(top.Doubles.Where(_ => _random.Next(2) == 0).Select(d => (Expr)new Name(d)));
        _result = terms.Aggregate((a, b) => new Binary("+", a, b));
    }

    private IEnumerable<string> Doubles => _scopes.SelectMany(s => s.Doubles);

    private IEnumerable<(string Name, int Length, bool Local)> Vectors => _scopes.SelectMany(s => s.Vectors);

    private IEnumerable<string> Ints => _scopes.SelectMany(s => s.Ints);

    private IEnumerable<string> LoopVars => _scopes.SelectMany(s => s.LoopVars);

    private string Fresh(string prefix) => prefix + (_names++).ToString(CultureInfo.InvariantCulture);

    private List<Stmt> Statements(int count, int depth)
    {
        var statements = new List<Stmt>();
        for (var k = 0; k < count; k++)
        {
            statements.Add(Statement(depth));
        }

        return statements;
    }

    private Stmt Statement(int depth)
    {
        var scope = _scopes[^1];
        var locals = Vectors.Where(v => v.Local).ToList();
        switch (_random.Next(10))
        {
            case 0 or 1 when depth < 2:
                return Loop(depth);
            case 2 when depth == 0 || _random.Next(3) == 0:
            {
                var name = Fresh("h");
                var length = 1 + _random.Next(5);
                scope.Vectors.Add((name, length, true));
                return new DeclareVector(name, length);
            }

            case 3 when locals.Count > 0:
            {
                var (name, length, _) = locals[_random.Next(locals.Count)];
                return new AssignElement(new Index(name, length, Position(length)), new[] { "=", "+=", "-=", "*=" }[_random.Next(4)], Value(2));
            }

            case 4:
            {
                var name = Fresh("k");
                var value = new IntConst(_random.Next(3));
                scope.Ints.Add(name);
                return new DeclareInt(name, value);
            }

            case 5 when Ints.Any():
            {
                var ints = Ints.ToList();
                return new AssignInt(ints[_random.Next(ints.Count)], _random.Next(3) == 0 ? "-=" : "+=", 1 + _random.Next(2));
            }

            case 6 or 7 when Doubles.Any():
            {
                var doubles = Doubles.ToList();
                return new AssignDouble(doubles[_random.Next(doubles.Count)], new[] { "=", "+=", "-=", "*=" }[_random.Next(4)], Value(2));
            }

            default:
            {
                var name = Fresh("s");
                var value = Value(2);
                scope.Doubles.Add(name);
                return new DeclareDouble(name, value);
            }
        }
    }

    private For Loop(int depth)
    {
        var name = new[] { "i", "j", "q" }[depth];
        var outer = LoopVars.ToList();
        var vectors = Vectors.ToList();
        var (vector, length, _) = vectors[_random.Next(vectors.Count)];
        IntExpr bound = _random.Next(3) == 0 ? new IntConst(1 + _random.Next(6)) : new IntLength(vector, length);
        For loop;
        switch (_random.Next(8))
        {
            case 0:
                loop = new For(name, new IntConst(bound is IntConst c ? c.Value - 1 : length - 1), ">=", new IntConst(0), _random.Next(2) == 0 ? $"{name}--" : $"--{name}", []);
                break;
            case 1:
                loop = new For(name, new IntBinary("-", bound, new IntConst(1)), ">", new IntConst(-1), $"{name} -= 2", []);
                break;
            case 2:
                loop = new For(name, new IntConst(0), "<", bound, $"{name} += 2", []);
                break;
            case 3 when outer.Count > 0:
                // Triangular: up to the outer variable, included.
                loop = new For(name, new IntConst(0), "<=", new IntVar(outer[^1]), $"{name}++", []);
                break;
            case 4 when outer.Count > 0:
                // Triangular: from the outer variable on.
                loop = new For(name, new IntVar(outer[^1]), "<", bound, $"++{name}", []);
                break;
            case 5:
                loop = new For(name, new IntConst(0), "<=", new IntBinary("-", bound, new IntConst(1)), $"{name}++", []);
                break;
            default:
                loop = new For(name, new IntConst(0), "<", bound, $"{name}++", []);
                break;
        }

        var scope = new Block();
        scope.LoopVars.Add(name);
        _scopes.Add(scope);
        loop.Body.AddRange(Statements(1 + _random.Next(3), depth + 1));
        _scopes.RemoveAt(_scopes.Count - 1);
        return loop;
    }

    /// <summary>An index into a vector of <paramref name="length"/>: mostly in range, sometimes not (the interpreter decides).</summary>
    private IntExpr Position(int length)
    {
        var loopVars = LoopVars.ToList();
        var ints = Ints.ToList();
        IntExpr Some(List<string> names) => new IntVar(names[_random.Next(names.Count)]);
        return _random.Next(12) switch
        {
            < 4 when loopVars.Count > 0 => Some(loopVars),
            4 when loopVars.Count > 0 => new IntBinary("+", Some(loopVars), new IntConst(1)),
            5 when loopVars.Count > 0 => new IntBinary("-", Some(loopVars), new IntConst(1)),
            6 when loopVars.Count > 0 => new IntBinary("-", new IntBinary("-", new IntConst(length), new IntConst(1)), Some(loopVars)),
            7 when loopVars.Count > 0 => new IntBinary("%", new IntBinary("*", Some(loopVars), new IntConst(2)), new IntConst(length)),
            8 when ints.Count > 0 => _random.Next(2) == 0 || loopVars.Count == 0 ? Some(ints) : new IntBinary("+", Some(ints), Some(loopVars)),
            9 => new IntConst(_random.Next(4) == 0 ? (_random.Next(2) == 0 ? length : -1) : _random.Next(length)),
            10 when loopVars.Count > 1 => new IntBinary("+", new IntBinary("*", new IntVar(loopVars[0]), new IntConst(2)), new IntVar(loopVars[1])),
            _ => new IntConst(_random.Next(length)),
        };
    }

    private Expr Value(int depth)
    {
        if (depth == 0 || _random.Next(4) == 0)
        {
            return Leaf();
        }

        var a = Value(depth - 1);
        return _random.Next(12) switch
        {
            < 3 => new Binary("+", a, Value(depth - 1)),
            3 => new Binary("-", a, Value(depth - 1)),
            < 6 => new Binary("*", a, Value(depth - 1)),
            6 => new Unary("Math.Sin({0})", a),
            7 => new Unary("Math.Cos({0})", a),
            8 => new Unary("Math.Tanh({0})", a),
            9 => new Unary("Math.Sqrt(1 + {0} * {0})", a),
            10 => new Unary("Math.Exp(Math.Tanh({0}))", a),
            _ => Slice() ?? a,
        };
    }

    private Expr? Slice()
    {
        var vectors = Vectors.Where(v => v.Length >= 2).ToList();
        if (vectors.Count == 0)
        {
            return null;
        }

        var (name, length, _) = vectors[_random.Next(vectors.Count)];
        return new PairOfSlice(name, _random.Next(length - 1), _random.Next(2) == 0);
    }

    private Expr Leaf()
    {
        var vectors = Vectors.ToList();
        var doubles = Doubles.ToList();
        var integers = LoopVars.Concat(Ints).ToList();
        switch (_random.Next(10))
        {
            case < 4:
            {
                var (name, length, _) = vectors[_random.Next(vectors.Count)];
                return new Index(name, length, Position(length));
            }

            case 4 when _hasScalar:
                return new Name("b");
            case 5 when HasData:
                return new Name("t");
            case 6 or 7 when doubles.Count > 0:
                return new Name(doubles[_random.Next(doubles.Count)]);
            case 8 when integers.Count > 0:
                return new Scaled(new IntVar(integers[_random.Next(integers.Count)]));
            default:
                return new Lit(new[] { "0.5", "2", "1.5", "0.25", "3" }[_random.Next(5)]);
        }
    }

    // ---- the interpreter of the integer part ------------------------------------------------------

    /// <summary>
    /// Runs the body's integer part as C# would: loop variables and <c>int</c> locals, marking each index that
    /// takes a value outside its vector, noting a loop that does not run where it is reached, and counting statements.
    /// </summary>
    private void Interpret()
    {
        _executed = 0;
        _emptyLoop = false;
        _first = null;
        foreach (var index in Indexes())
        {
            index.OutOfRange = false;
        }

        var ints = new Dictionary<string, int>(StringComparer.Ordinal);
        Run(_body, ints);
        Visit(_result, ints);
    }

    private void Run(List<Stmt> statements, Dictionary<string, int> ints)
    {
        foreach (var statement in statements)
        {
            if (++_executed > MaxExecutedStatements)
            {
                return;
            }

            switch (statement)
            {
                case DeclareDouble d:
                    Visit(d.Value, ints);
                    break;
                case AssignDouble a:
                    Visit(a.Value, ints);
                    break;
                case AssignElement e:
                    // C# evaluates the target's index first.
                    Visit(e.Target, ints);
                    Visit(e.Value, ints);
                    break;
                case DeclareInt d:
                    ints[d.Name] = Evaluate(d.Value, ints);
                    break;
                case AssignInt a:
                    ints[a.Name] += a.Op == "+=" ? a.Value : -a.Value;
                    break;
                case For loop:
                {
                    var trips = 0;
                    var step = loop.Step.Contains("2", StringComparison.Ordinal) ? 2 : 1;
                    var down = loop.Step.Contains('-', StringComparison.Ordinal);
                    for (ints[loop.Var] = Evaluate(loop.Start, ints); Holds(loop, ints); ints[loop.Var] += down ? -step : step)
                    {
                        trips++;
                        Run(loop.Body, ints);
                        if (_executed > MaxExecutedStatements)
                        {
                            return;
                        }
                    }

                    _emptyLoop |= trips == 0;
                    ints.Remove(loop.Var);
                    break;
                }
            }
        }
    }

    private static bool Holds(For loop, Dictionary<string, int> ints)
    {
        var (value, bound) = (ints[loop.Var], Evaluate(loop.Bound, ints));
        return loop.Compare switch
        {
            "<" => value < bound,
            "<=" => value <= bound,
            ">" => value > bound,
            _ => value >= bound,
        };
    }

    private void Visit(Expr expression, Dictionary<string, int> ints)
    {
        switch (expression)
        {
            case Index index:
                var position = Evaluate(index.Position, ints);
                var outside = position < 0 || position >= index.Length;
                index.OutOfRange |= outside;
                _first ??= outside ? index : null;
                break;
            case Unary unary:
                Visit(unary.A, ints);
                break;
            case Binary binary:
                Visit(binary.A, ints);
                Visit(binary.B, ints);
                break;
        }
    }

    private static int Evaluate(IntExpr expression, Dictionary<string, int> ints) => expression switch
    {
        IntConst c => c.Value,
        IntVar v => ints[v.Name],
        IntLength l => l.Length,
        IntBinary { Op: "+" } b => Evaluate(b.A, ints) + Evaluate(b.B, ints),
        IntBinary { Op: "-" } b => Evaluate(b.A, ints) - Evaluate(b.B, ints),
        IntBinary { Op: "*" } b => Evaluate(b.A, ints) * Evaluate(b.B, ints),
        IntBinary { Op: "%" } b => Evaluate(b.A, ints) % Evaluate(b.B, ints),
        _ => throw new InvalidOperationException($"Unexpected {expression}."),
    };

    private IEnumerable<Index> Indexes()
    {
        IEnumerable<Index> InExpr(Expr e) => e switch
        {
            Index i => [i],
            Unary u => InExpr(u.A),
            Binary b => InExpr(b.A).Concat(InExpr(b.B)),
            _ => [],
        };

        IEnumerable<Index> InStatements(List<Stmt> statements) => statements.SelectMany(s => s switch
        {
            DeclareDouble d => InExpr(d.Value),
            AssignDouble a => InExpr(a.Value),
            AssignElement e => InExpr(e.Value).Append(e.Target),
            For f => InStatements(f.Body),
            _ => [],
        });

        return InStatements(_body).Concat(InExpr(_result));
    }

    // ---- rendering --------------------------------------------------------------------------------

    private void Render(Stmt statement, StringBuilder text, int indent)
    {
        var pad = new string(' ', 4 * indent);
        switch (statement)
        {
            case DeclareDouble d:
                // 'var' only where the value is a double in C#: 'var s = 2;' would declare an int.
                text.Append(pad).Append(!IsInt(d.Value) && _random.Next(3) == 0 ? "var " : "double ").Append(d.Name).Append(" = ").Append(Render(d.Value)).Append(";\n");
                break;
            case AssignDouble a:
                text.Append(pad).Append(a.Name).Append(' ').Append(a.Op).Append(' ').Append(Render(a.Value)).Append(";\n");
                break;
            case DeclareVector v:
                text.Append(pad).Append("Span<double> ").Append(v.Name).Append(" = stackalloc double[").Append(v.Length).Append("];\n");
                break;
            case AssignElement e:
                text.Append(pad).Append(Render(e.Target)).Append(' ').Append(e.Op).Append(' ').Append(Render(e.Value)).Append(";\n");
                break;
            case DeclareInt d:
                text.Append(pad).Append("int ").Append(d.Name).Append(" = ").Append(Render(d.Value)).Append(";\n");
                break;
            case AssignInt a:
                text.Append(pad).Append(a.Name).Append(' ').Append(a.Op).Append(' ').Append(a.Value).Append(";\n");
                break;
            case For loop:
                text.Append(pad).Append("for (int ").Append(loop.Var).Append(" = ").Append(Render(loop.Start)).Append("; ")
                    .Append(loop.Var).Append(' ').Append(loop.Compare).Append(' ').Append(Render(loop.Bound)).Append("; ").Append(loop.Step).Append(")\n");
                text.Append(pad).Append("{\n");
                foreach (var inner in loop.Body)
                {
                    Render(inner, text, indent + 1);
                }

                text.Append(pad).Append("}\n");
                break;
        }
    }

    /// <summary>Whether C# types the value as an int: integer literals and their sums, differences and products.</summary>
    private static bool IsInt(Expr expression) => expression switch
    {
        Lit l => !l.Text.Contains('.', StringComparison.Ordinal),
        Binary b => IsInt(b.A) && IsInt(b.B),
        _ => false,
    };

    private string Render(Expr expression) => expression switch
    {
        Lit l => l.Text,
        Name n => n.Text,
        Scaled s => "0.25 * " + Render(s.Value),
        Unary u => string.Format(CultureInfo.InvariantCulture, u.Format, Render(u.A)),
        Binary b => "(" + Render(b.A) + " " + b.Op + " " + Render(b.B) + ")",
        PairOfSlice p => p.Range
            ? $"Pair({p.Vector}[{p.Start}..{p.Start + 2}])"
            : $"Pair({p.Vector}.Slice({p.Start}, 2))",
        Index i => i.Vector + "[" + (ReferenceEquals(i, _first) ? FirstOutOfRange : i.OutOfRange ? OutOfRange : "") + Unparenthesized(Render(i.Position)) + "]",
        _ => throw new InvalidOperationException($"Unexpected {expression}."),
    };

    /// <summary>An index without the parentheses around it: <c>w[i + 1]</c>, so that the marked span is the whole argument.</summary>
    private static string Unparenthesized(string text) => text.StartsWith('(') && text.EndsWith(')') && Balanced(text[1..^1]) ? text[1..^1] : text;

    private static bool Balanced(string text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    private static string Render(IntExpr expression) => expression switch
    {
        IntConst c => c.Value.ToString(CultureInfo.InvariantCulture),
        IntVar v => v.Name,
        IntLength l => l.Vector + ".Length",
        IntBinary b => "(" + Render(b.A) + " " + b.Op + " " + Render(b.B) + ")",
        _ => throw new InvalidOperationException($"Unexpected {expression}."),
    };
}
