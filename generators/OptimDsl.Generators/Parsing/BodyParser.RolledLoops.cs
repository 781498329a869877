using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Parsing;

/// <summary>
/// Rolled loops (README, Vectors and loops): a loop of at least <see cref="RollThreshold"/> iterations
/// whose body only adds terms to sums (<c>s += …</c>, <c>s -= …</c>) is read once, with the iteration
/// symbolic, and stays a loop in the generated code, forward and in the adjoint sweep. Any other loop,
/// and a body that does anything else, is unrolled; both forms give the same values up to the order
/// of the additions.
/// </summary>
/// <remarks>
/// The body is read on trial: what it would report is taken back, and the loop is unrolled instead,
/// where the unrolled reading reports it at the exact iteration. A body may read values from outside
/// (they are recomputed in the loop), trained and data vectors at an index that moves with the
/// iteration (<c>w[2 * i + 1]</c>, by an affine function of it), the loop variable as a double, and loops
/// of its own, which are unrolled. It may write a local vector declared outside it at an index that moves
/// with the iteration (a map: <c>h[j] = Math.Tanh(s);</c>), one value per iteration, which later code and
/// later rolled loops read. It may not read a sum it adds to or a vector it writes, or assign a local
/// declared outside it other than by <c>+=</c> and <c>-=</c>.
/// </remarks>
internal sealed partial class BodyParser
{
    /// <summary>
    /// The fewest iterations a loop needs to stay a loop in the generated code; shorter loops are
    /// unrolled (README, Vectors and loops, where the choice is measured).
    /// </summary>
    public const int RollThreshold = 64;

    /// <summary>
    /// The most values the rolled loops' maps of one objective may hold together: the generated code keeps
    /// them, and their adjoints, in <c>stackalloc</c> buffers (README, Large loops and large models). A map
    /// that would pass it is unrolled.
    /// </summary>
    public const int MaxMapValues = 4096;

    private int _mapValues;

    private readonly List<LoopModel> _loops = new();

    /// <summary>The rolled loop whose body is being read, or null.</summary>
    private Rolling? _rolling;

    /// <summary>The rolled loops read so far, by id.</summary>
    public IReadOnlyList<LoopModel> Loops => _loops;

    /// <summary>An int that follows the iteration t of a rolled loop: <see cref="Stride"/>·t + <see cref="Offset"/>.</summary>
    private readonly record struct Affine(int Stride, int Offset);

    /// <summary>The state of reading one rolled loop's body.</summary>
    private sealed class Rolling
    {
        public Rolling(Frame frame, int loop, ILocalSymbol counter, int start, int step, int count)
        {
            Frame = frame;
            Loop = loop;
            Counter = counter;
            Start = start;
            Step = step;
            Count = count;
        }

        public Frame Frame { get; }

        public int Loop { get; }

        public ILocalSymbol Counter { get; }

        public int Start { get; }

        public int Step { get; }

        public int Count { get; }

        /// <summary>The locals declared in the body: its own, free to assign.</summary>
        public HashSet<ILocalSymbol> DeclaredInside { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>Ints of the body that follow the iteration.</summary>
        public Dictionary<ILocalSymbol, Affine> Symbolic { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>Per sum the body adds to, the term one iteration adds, in the order of first addition.</summary>
        public Dictionary<ILocalSymbol, int> Contributions { get; } = new(SymbolEqualityComparer.Default);

        public List<ILocalSymbol> Sums { get; } = new();

        /// <summary>The local vectors declared outside the body that it writes (found in its syntax first): the body may not read them.</summary>
        public List<VectorValue> Written { get; } = new();

        /// <summary>Per map, the vector it writes, the index it writes at, the value one iteration writes, and the vector's name.</summary>
        public List<(VectorValue Vector, Affine Index, int Value, string Name)> Maps { get; } = new();

        /// <summary>The locals the body assigns anywhere (found in its syntax first): reading one of them in the body would read another iteration's value.</summary>
        public HashSet<ISymbol> Assigned { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>The body does something a rolled loop cannot: it is unrolled instead.</summary>
        public bool Failed { get; set; }
    }

    /// <summary>Marks the body being rolled as one to unroll; returns <see cref="Invalid"/>.</summary>
    private int RollFails()
    {
        _rolling!.Failed = true;
        return Invalid;
    }

    private void DeclaredInRolledLoop(Frame frame, ILocalSymbol local)
    {
        if (_rolling is not null && frame == _rolling.Frame)
        {
            _rolling.DeclaredInside.Add(local);
        }
    }

    /// <summary>Whether <paramref name="local"/> is declared outside the rolled loop whose body is being read: a sum, if anything.</summary>
    private bool IsRolledAccumulator(Frame frame, ILocalSymbol local)
        => _rolling is not null && frame == _rolling.Frame && !_rolling.DeclaredInside.Contains(local);

    /// <summary><c>s += term</c> or <c>s -= term</c> in a rolled loop's body: the term joins the sum's contribution.</summary>
    private void Accumulate(Frame frame, ILocalSymbol local, Operation? operation, ExpressionSyntax right)
    {
        if (operation is not (Operation.Add or Operation.Subtract))
        {
            RollFails();
            return;
        }

        var term = ParseExpression(frame, right);
        if (term == Invalid)
        {
            return;
        }

        if (operation == Operation.Subtract)
        {
            term = _builder.Negate(term);
        }

        var rolling = _rolling!;
        if (rolling.Contributions.TryGetValue(local, out var earlier))
        {
            term = _builder.Add(earlier, term);
        }
        else
        {
            rolling.Sums.Add(local);
        }

        rolling.Contributions[local] = term;
    }

    /// <summary>Whether <c>v[k] = …</c> in a rolled loop's body writes a vector the body declares: an ordinary write, at a fixed index.</summary>
    private bool WritesOwnVector(Frame frame, ElementAccessExpressionSyntax element)
        => frame == _rolling!.Frame && element.Expression is IdentifierNameSyntax name
            && frame.Model.GetSymbolInfo(name, _cancellationToken).Symbol is ILocalSymbol local && _rolling.DeclaredInside.Contains(local);

    /// <summary>
    /// <c>h[k] = value</c> in a rolled loop's body, h a local vector declared outside it and k following the
    /// iteration: a map, whose values the vector holds once the loop is read. Anything else unrolls the loop.
    /// </summary>
    private void WriteMap(Frame frame, AssignmentExpressionSyntax assignment, ElementAccessExpressionSyntax element, Operation? operation)
    {
        var rolling = _rolling!;
        if (frame != rolling.Frame || operation is not null || element.Expression is not IdentifierNameSyntax name
            || frame.Model.GetSymbolInfo(name, _cancellationToken).Symbol is not ILocalSymbol local
            || !frame.Vectors.TryGetValue(local, out var stored) || stored is not { Writable: true } vector
            || element.ArgumentList.Arguments[0].Expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression }
            || ParseAffine(frame, element.ArgumentList.Arguments[0].Expression) is not { Stride: not 0 } index)
        {
            RollFails();
            return;
        }

        var last = index.Offset + (index.Stride * (rolling.Count - 1));
        if (System.Math.Min(index.Offset, last) < 0 || System.Math.Max(index.Offset, last) >= vector.Length
            || rolling.Maps.Any(map => map.Vector.Shares(vector)))
        {
            RollFails(); // the unrolled reading reports an index outside the vector at its iteration
            return;
        }

        var value = ParseExpression(frame, assignment.Right);
        if (value != Invalid)
        {
            rolling.Maps.Add((vector, index, value, name.Identifier.ValueText));
        }
    }

    /// <summary>An int of a rolled loop's body as an affine function of the iteration, or null (the loop is unrolled).</summary>
    private Affine? ParseAffine(Frame frame, ExpressionSyntax expression)
    {
        var rolling = _rolling!;
        expression = Unparenthesized(expression);
        if (frame.Model.GetConstantValue(expression, _cancellationToken).HasValue)
        {
            return ParseInteger(frame, expression, inValue: false) is { } constant ? new Affine(0, constant) : null;
        }

        switch (expression)
        {
            case IdentifierNameSyntax when frame.Model.GetSymbolInfo(expression, _cancellationToken).Symbol is ILocalSymbol local:
                if (SymbolEqualityComparer.Default.Equals(local, rolling.Counter))
                {
                    return new Affine(rolling.Step, rolling.Start);
                }

                if (rolling.Symbolic.TryGetValue(local, out var symbolic))
                {
                    return symbolic;
                }

                break;

            case BinaryExpressionSyntax binary when binary.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression:
                if (ParseAffine(frame, binary.Left) is not { } left || ParseAffine(frame, binary.Right) is not { } right)
                {
                    return null;
                }

                if (binary.IsKind(SyntaxKind.MultiplyExpression))
                {
                    if (left.Stride != 0 && right.Stride != 0)
                    {
                        RollFails();
                        return null;
                    }

                    return left.Stride == 0
                        ? new Affine(left.Offset * right.Stride, left.Offset * right.Offset)
                        : new Affine(right.Offset * left.Stride, right.Offset * left.Offset);
                }

                var sign = binary.IsKind(SyntaxKind.AddExpression) ? 1 : -1;
                return new Affine(left.Stride + (sign * right.Stride), left.Offset + (sign * right.Offset));

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return ParseAffine(frame, unary.Operand) is { } negated ? new Affine(-negated.Stride, -negated.Offset) : null;
        }

        // Anything else must not follow the iteration (ReadInteger marks the loop to unroll if it does).
        return ParseInteger(frame, expression, inValue: false) is { } value ? new Affine(0, value) : null;
    }

    /// <summary>An int of a rolled loop's body used as a double: <c>0.5 * i</c>.</summary>
    private int RolledInteger(Frame frame, ExpressionSyntax expression)
    {
        if (ParseAffine(frame, expression) is not { } affine)
        {
            return Invalid;
        }

        var offset = _builder.Constant(affine.Offset);
        return affine.Stride == 0
            ? offset
            : _builder.Add(offset, _builder.Multiply(_builder.Constant(affine.Stride), _builder.Iteration(_rolling!.Loop)));
    }

    /// <summary>
    /// <c>v[k]</c> in a rolled loop's body with k following the iteration: a leaf of the iteration, when v's
    /// values at those indexes are consecutive trained or data values; otherwise null, and the loop is
    /// unrolled (a constant k is read as everywhere else).
    /// </summary>
    private int? RolledElement(Frame frame, ElementAccessExpressionSyntax element)
    {
        var rolling = _rolling!;
        var argument = element.ArgumentList.Arguments[0].Expression;
        if (argument is PrefixUnaryExpressionSyntax hat && hat.IsKind(SyntaxKind.IndexExpression))
        {
            return null;
        }

        if (ParseAffine(frame, argument) is not { } index)
        {
            return Invalid;
        }

        if (index.Stride == 0)
        {
            return null;
        }

        if (ParseVector(frame, element.Expression) is not { } vector)
        {
            return Invalid;
        }

        var last = index.Offset + (index.Stride * (rolling.Count - 1));
        if (System.Math.Min(index.Offset, last) < 0 || System.Math.Max(index.Offset, last) >= vector.Length)
        {
            return RollFails(); // the unrolled reading reports the index at its iteration
        }

        var first = _builder[vector[index.Offset]];
        if (first.Operation == Operation.MapValue)
        {
            return RolledMapElement(vector, index);
        }

        if (first.Operation is not (Operation.Parameter or Operation.Data))
        {
            return RollFails();
        }

        for (var t = 1; t < rolling.Count; t++)
        {
            var node = _builder[vector[index.Offset + (index.Stride * t)]];
            if (node.Operation != first.Operation || node.Index != first.Index + (index.Stride * t))
            {
                return RollFails();
            }
        }

        var name = first.Name!.Substring(0, first.Name.IndexOf('[') is var bracket and > 0 ? bracket : first.Name.Length);
        return first.Operation == Operation.Parameter
            ? _builder.ParameterAt(rolling.Loop, first.Index, index.Stride, name)
            : _builder.DataAt(rolling.Loop, first.Index, index.Stride, name);
    }

    /// <summary>
    /// <c>h[k]</c> in a rolled loop's body, k following the iteration, where h holds an earlier rolled loop's
    /// map: a leaf of the iteration, when the values at those indexes are that map's at iterations that move
    /// by a fixed step; otherwise the loop is unrolled.
    /// </summary>
    private int RolledMapElement(VectorValue vector, Affine index)
    {
        var rolling = _rolling!;
        var first = _builder[vector[index.Offset]];
        var step = _builder[vector[index.Offset + index.Stride]].Index - first.Index;
        for (var t = 1; t < rolling.Count; t++)
        {
            var node = _builder[vector[index.Offset + (index.Stride * t)]];
            if (node.Operation != Operation.MapValue || node.MapLoop != first.MapLoop || node.MapOutput != first.MapOutput || node.Index != first.Index + (step * t))
            {
                return RollFails();
            }
        }

        return _builder.MapAt(rolling.Loop, first.MapLoop, first.MapOutput, first.Index, step, first.Name!);
    }

    /// <summary>
    /// Reads a loop of at least <see cref="RollThreshold"/> iterations as a rolled loop, when its body
    /// allows it; false (and nothing reported or changed) when it is to be unrolled.
    /// </summary>
    /// <param name="step">The loop's step, as <see cref="StepForm"/> read it.</param>
    /// <param name="upwards">Whether the condition is <c>&lt;</c> or <c>&lt;=</c>.</param>
    private bool TryRoll(Frame frame, ForStatementSyntax loop, ILocalSymbol counter, int start, BinaryExpressionSyntax bound, (bool Upwards, ExpressionSyntax? Amount, ExpressionSyntax At) step, bool upwards)
    {
        if (_rolling is not null || step.Upwards != upwards)
        {
            return false;
        }

        var diagnostics = _diagnostics.Count;
        var reported = _reportedOrder.Count;
        var unexplained = _unexplained.Count;
        var hints = _hints.Count;
        var failed = frame.Failed;
        if ((step.Amount is null ? 1 : ParseInteger(frame, step.Amount, inValue: false)) is not { } amount || amount <= 0
            || ParseInteger(frame, bound.Right, inValue: false) is not { } limit)
        {
            Restore();
            return false;
        }

        long span = bound.Kind() switch
        {
            SyntaxKind.LessThanExpression => (long)limit - start,
            SyntaxKind.LessThanOrEqualExpression => (long)limit - start + 1,
            SyntaxKind.GreaterThanExpression => (long)start - limit,
            _ => (long)start - limit + 1,
        };
        var count = span <= 0 ? 0 : (span + amount - 1) / amount;
        if (count >= RollThreshold && _loopIterations + count > MaxLoopIterations)
        {
            // Past the limit rolled or unrolled: reported here as what it is, not as the operations an unrolling would make.
            Restore();
            Report(frame, loop, $"Loops of more than {MaxLoopIterations:N0} iterations in all", ": a loop's iterations are read at compile time, a rolled loop's count included; use [Data] parameters for sums over samples (see the README, Limits)", loop.ForKeyword.GetLocation());
            return true;
        }

        if (count < RollThreshold)
        {
            Restore();
            return false;
        }

        var rolling = new Rolling(frame, _loops.Count, counter, start, upwards ? amount : -amount, (int)count);
        foreach (var node in loop.Statement.DescendantNodesAndSelf())
        {
            var target = node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression) => prefix.Operand,
                _ => null,
            };
            if (target is IdentifierNameSyntax && frame.Model.GetSymbolInfo(target, _cancellationToken).Symbol is ILocalSymbol assigned)
            {
                rolling.Assigned.Add(assigned);
            }

            if (target is ElementAccessExpressionSyntax { Expression: IdentifierNameSyntax vector }
                && frame.Model.GetSymbolInfo(vector, _cancellationToken).Symbol is ILocalSymbol written
                && frame.Vectors.TryGetValue(written, out var value) && value is { } writtenVector)
            {
                rolling.Written.Add(writtenVector);
            }
        }

        _rolling = rolling;
        frame.LoopVariables.Add(counter);
        ParseStatement(frame, loop.Statement, isLast: false);
        frame.LoopVariables.Remove(counter);
        _rolling = null;

        var outputs = rolling.Sums.Select(s => rolling.Contributions[s]).ToArray();
        var maps = rolling.Maps.Select(m => m.Value).ToArray();
        var mapValues = _mapValues + (maps.Length * (int)count);
        // Notes on the body (a kink of Math.Max) keep the loop rolled; an error unrolls it, to be reported where it happens.
        var clean = !rolling.Failed && !_diagnostics.Skip(diagnostics).Any(d => d.Severity == DiagnosticSeverity.Error) && _unexplained.Count == unexplained
            && frame.Failed == failed && outputs.Length + maps.Length > 0 && mapValues <= MaxMapValues && !ReadsALoopSum(outputs.Concat(maps).ToArray());
        if (!clean)
        {
            Restore();
            return false;
        }

        _loopIterations += (int)count;
        _mapValues = mapValues;
        _loops.Add(new LoopModel((int)count, outputs.ToEquatableArray(), rolling.Sums.Select(s => s.Name).ToEquatableArray(), maps.ToEquatableArray(), rolling.Maps.Select(m => m.Name).ToEquatableArray()));
        for (var k = 0; k < rolling.Maps.Count; k++)
        {
            var (vector, index, _, name) = rolling.Maps[k];
            for (var t = 0; t < count; t++)
            {
                vector[index.Offset + (index.Stride * t)] = _builder.MapValue(rolling.Loop, k, t, name);
            }
        }

        for (var k = 0; k < rolling.Sums.Count; k++)
        {
            var sum = rolling.Sums[k];
            var before = Read(frame, sum, loop);
            Assign(frame, sum, Combine(Operation.Add, before, _builder.LoopSum(rolling.Loop, k)));
        }

        return true;

        void Restore()
        {
            for (var i = _reportedOrder.Count - 1; i >= reported; i--)
            {
                _reported.Remove(_reportedOrder[i]);
            }

            _reportedOrder.RemoveRange(reported, _reportedOrder.Count - reported);
            _diagnostics.RemoveRange(diagnostics, _diagnostics.Count - diagnostics);
            _unexplained.RemoveRange(unexplained, _unexplained.Count - unexplained);
            for (var i = hints; i < _hints.Count; i++)
            {
                _hintedNodes.Remove(_hints[i].Node);
            }

            _hints.RemoveRange(hints, _hints.Count - hints);
            frame.Failed = failed;
        }
    }

    /// <summary>Whether a rolled body's terms read an earlier rolled loop's sum: its adjoint would have to flow back into that loop, so the loop is unrolled.</summary>
    private bool ReadsALoopSum(int[] outputs)
    {
        var reachable = _builder.ToGraph().Reachable(outputs);
        for (var id = 0; id < reachable.Length; id++)
        {
            if (reachable[id] && _builder[id].Operation == Operation.LoopSum)
            {
                return true;
            }
        }

        return false;
    }
}
