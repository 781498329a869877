using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Parsing;

/// <summary>
/// Vectors, compile-time integers and loops (README, Vectors and loops). They exist only while the
/// body is read: a vector is the nodes of its values, an integer is a number, and a loop is read once
/// per iteration with its variable's value. What reaches the expression graph is scalar, so the
/// derivative rules and the simplifier know nothing of them.
/// </summary>
internal sealed partial class BodyParser
{
    /// <summary>How many loop iterations an objective's body may unroll, over all its loops and the objectives it calls: see the README, "Limits".</summary>
    public const int MaxLoopIterations = 1_000_000;

    private const string LoopAdvice = ": an objective's loops are 'for' loops with compile-time bounds, run to the end (see the README, Vectors and loops)";

    private const string IntegerAdvice = ": indexes, loop bounds and int locals are built from integer literals, constants, loop variables, int locals, v.Length and + - * / %";

    private int _loopIterations;

    /// <summary>The outermost loop of the objective being unrolled (not of an inlined one), where a body too large for it is reported.</summary>
    private ForStatementSyntax? _outermostLoop;

    /// <summary>
    /// A vector while the body is read: the nodes of <see cref="Length"/> values from <see cref="Offset"/>
    /// of a storage that its slices share, so that writing through a slice of a local vector writes the vector.
    /// </summary>
    private readonly struct VectorValue
    {
        private readonly int[] _storage;

        public VectorValue(int[] storage, int offset, int length, bool writable)
        {
            _storage = storage;
            Offset = offset;
            Length = length;
            Writable = writable;
        }

        public int Offset { get; }

        public int Length { get; }

        /// <summary>A local vector (or a slice of one) held in a <c>Span&lt;double&gt;</c>: its values can be assigned.</summary>
        public bool Writable { get; }

        public int this[int index]
        {
            get => _storage[Offset + index];
            set => _storage[Offset + index] = value;
        }

        public VectorValue Slice(int start, int length) => new(_storage, Offset + start, length, Writable);

        /// <summary>Whether this vector and <paramref name="other"/> are views of one storage (a vector and its slices).</summary>
        public bool Shares(VectorValue other) => ReferenceEquals(_storage, other._storage);

        public int[] Elements()
        {
            var elements = new int[Length];
            Array.Copy(_storage, Offset, elements, 0, Length);
            return elements;
        }
    }

    private static bool IsIntegerLocal(ILocalSymbol local) => local.Type.SpecialType == SpecialType.System_Int32;

    private bool IsIntegerValued(SemanticModel model, ExpressionSyntax expression)
        => model.GetTypeInfo(expression, _cancellationToken).Type?.SpecialType == SpecialType.System_Int32;

    private void DeclareInteger(Frame frame, ILocalSymbol local, ExpressionSyntax? initializer)
    {
        if (initializer is null)
        {
            return;
        }

        if (_rolling is not null && frame == _rolling.Frame)
        {
            // In a rolled loop's body an int may follow the iteration: 'int k = 2 * i + 1;'.
            if (ParseAffine(frame, initializer) is { } affine)
            {
                if (affine.Stride != 0)
                {
                    _rolling.Symbolic[local] = affine;
                }
                else
                {
                    frame.Integers[local] = affine.Offset;
                }
            }

            return;
        }

        frame.Integers[local] = ParseInteger(frame, initializer, inValue: false);
    }

    private void DeclareVector(Frame frame, ILocalSymbol local, ExpressionSyntax? initializer)
    {
        if (initializer is not null)
        {
            frame.Vectors[local] = ParseVector(frame, initializer);
        }
    }

    /// <summary><c>h[k] = …</c>, <c>h[k] += …</c>: writes one value of a local vector.</summary>
    private void AssignElement(Frame frame, AssignmentExpressionSyntax assignment, ElementAccessExpressionSyntax element)
    {
        if (!AssignmentOperation(frame, assignment, out var operation))
        {
            return;
        }

        if (_rolling is not null && !WritesOwnVector(frame, element))
        {
            WriteMap(frame, assignment, element, operation);
            return;
        }

        if (ParseVector(frame, element.Expression) is not { } vector || ElementIndex(frame, element, vector) is not { } index)
        {
            return;
        }

        if (!vector.Writable)
        {
            Unexplained(frame, element, $"Assignment to '{element}'", $": only local vectors ('Span<{ElementKeyword}> h = stackalloc {ElementKeyword}[N];') can be written");
            return;
        }

        var value = ParseExpression(frame, assignment.Right);
        if (operation is { } compound)
        {
            value = Combine(compound, vector[index], value);
        }

        vector[index] = value;
        if (value != Invalid && !frame.IsInlined && element.Expression is IdentifierNameSyntax name
            && !_builder[value].Operation.IsLeaf() && _hintedNodes.Add(value))
        {
            _hints.Add(new NameHint(value, name.Identifier.ValueText + index.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>An assignment to an <c>int</c> local (<c>=</c>, <c>+=</c>, <c>-=</c>, <c>*=</c>, <c>/=</c>, <c>%=</c>) or a vector local (<c>=</c>).</summary>
    private void AssignIntegerOrVector(Frame frame, AssignmentExpressionSyntax assignment, ILocalSymbol target)
    {
        if (_rolling is not null && (frame != _rolling.Frame || !_rolling.DeclaredInside.Contains(target) || _rolling.Symbolic.ContainsKey(target)))
        {
            RollFails(); // the ints a rolled loop's body changes are its own, and fixed
            return;
        }

        if (frame.LoopVariables.Contains(target))
        {
            Report(frame, assignment.Left, $"Assignment to loop variable '{target.Name}'", ": a loop's variable changes only in its step; use an int local of its own");
            return;
        }

        if (!IsIntegerLocal(target))
        {
            if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
            {
                Unexplained(frame, assignment, $"The '{assignment.OperatorToken.Text}' operator on a vector", string.Empty);
                return;
            }

            frame.Vectors[target] = ParseVector(frame, assignment.Right);
            return;
        }

        var value = ParseInteger(frame, assignment.Right, inValue: false);
        if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            frame.Integers[target] = value;
            return;
        }

        var current = ReadInteger(frame, target, assignment.Left);
        var operation = assignment.Kind() switch
        {
            SyntaxKind.AddAssignmentExpression => SyntaxKind.AddExpression,
            SyntaxKind.SubtractAssignmentExpression => SyntaxKind.SubtractExpression,
            SyntaxKind.MultiplyAssignmentExpression => SyntaxKind.MultiplyExpression,
            SyntaxKind.DivideAssignmentExpression => SyntaxKind.DivideExpression,
            SyntaxKind.ModuloAssignmentExpression => SyntaxKind.ModuloExpression,
            _ => SyntaxKind.None,
        };
        if (operation == SyntaxKind.None)
        {
            Report(frame, assignment, $"The '{assignment.OperatorToken.Text}' operator on an int", ": use =, +=, -=, *=, /= or %=");
            frame.Integers[target] = null;
            return;
        }

        frame.Integers[target] = current is { } left && value is { } right ? Arithmetic(frame, assignment, operation, left, right) : null;
    }

    private void IncrementInteger(Frame frame, ExpressionSyntax at, ILocalSymbol local, int delta)
    {
        if (_rolling is not null && (frame != _rolling.Frame || !_rolling.DeclaredInside.Contains(local) || _rolling.Symbolic.ContainsKey(local)))
        {
            RollFails();
            return;
        }

        if (frame.LoopVariables.Contains(local))
        {
            Report(frame, at, $"Assignment to loop variable '{local.Name}'", ": a loop's variable changes only in its step; use an int local of its own");
            return;
        }

        frame.Integers[local] = ReadInteger(frame, local, at) is { } current ? Arithmetic(frame, at, SyntaxKind.AddExpression, current, delta) : null;
    }

    private int? ReadInteger(Frame frame, ILocalSymbol local, SyntaxNode at)
    {
        if (_rolling is not null && frame == _rolling.Frame && (SymbolEqualityComparer.Default.Equals(local, _rolling.Counter) || _rolling.Symbolic.ContainsKey(local)))
        {
            RollFails(); // follows the iteration: not a compile-time integer here
            return null;
        }

        if (frame.Integers.TryGetValue(local, out var value))
        {
            frame.Failed |= value is null;
            return value;
        }

        Unexplained(frame, at, $"Reading '{local.Name}' before it is assigned", ": assign it first");
        return null;
    }

    /// <summary>
    /// The value of a compile-time integer (README, Vectors and loops), or null when it is not one
    /// (reported). <paramref name="inValue"/>: the integer is used as a double, where a division that
    /// truncates is OPTDSL011.
    /// </summary>
    private int? ParseInteger(Frame frame, ExpressionSyntax expression, bool inValue)
    {
        expression = Unparenthesized(expression);
        var model = frame.Model;
        var constant = model.GetConstantValue(expression, _cancellationToken);
        if (constant.HasValue)
        {
            if (inValue && !frame.IsInlined)
            {
                ReportTruncatingDivisions(model, expression);
            }

            if (constant.Value is int or short or sbyte or byte or ushort or long or uint or ulong
                && Convert.ToDecimal(constant.Value, CultureInfo.InvariantCulture) is var wide && wide >= int.MinValue && wide <= int.MaxValue)
            {
                return (int)wide;
            }

            Report(frame, expression, $"The constant '{expression}'", ": it is not an int");
            return null;
        }

        switch (expression)
        {
            case IdentifierNameSyntax when model.GetSymbolInfo(expression, _cancellationToken).Symbol is ILocalSymbol local && IsIntegerLocal(local):
                return ReadInteger(frame, local, expression);

            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" } access
                when model.GetSymbolInfo(access, _cancellationToken).Symbol is IPropertySymbol { ContainingType: var span } && IsElementSpan(span, orSpan: true):
                return ParseVector(frame, access.Expression)?.Length;

            case BinaryExpressionSyntax binary when binary.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression
                or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression
                && IsIntegerValued(model, binary):
                if (!EnterNesting(frame, binary))
                {
                    return null;
                }

                var left = ParseInteger(frame, binary.Left, inValue);
                var right = ParseInteger(frame, binary.Right, inValue);
                _depth--;
                if (left is not { } l || right is not { } r)
                {
                    return null;
                }

                if (inValue && binary.IsKind(SyntaxKind.DivideExpression) && r != 0 && l % r != 0 && !frame.IsInlined)
                {
                    AddOnce(Diagnostic.Create(
                        DiagnosticDescriptors.TruncatingIntegerDivision,
                        binary.GetLocation(),
                        binary.ToString(),
                        (l / r).ToString(CultureInfo.InvariantCulture),
                        ((double)l / r).ToString("R", CultureInfo.InvariantCulture),
                        DoubleDivision(binary)));
                }

                return Arithmetic(frame, binary, binary.Kind(), l, r);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression) || unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return ParseInteger(frame, unary.Operand, inValue) is { } operand
                    ? unary.IsKind(SyntaxKind.UnaryMinusExpression) ? Arithmetic(frame, unary, SyntaxKind.SubtractExpression, 0, operand) : operand
                    : null;

            case CastExpressionSyntax cast when IsIntegerValued(model, cast) && IsIntegerValued(model, cast.Expression):
                return ParseInteger(frame, cast.Expression, inValue);

            case IdentifierNameSyntax when model.GetSymbolInfo(expression, _cancellationToken).Symbol is null:
                Unexplained(frame, expression, $"'{expression}'", ": it does not name a local or constant");
                return null;

            default:
                Report(frame, expression, $"'{expression}', which is not a compile-time integer,", IntegerAdvice);
                return null;
        }
    }

    /// <summary>Integer arithmetic as C# does it, or null (reported) on a division by zero or an overflow.</summary>
    private int? Arithmetic(Frame frame, SyntaxNode at, SyntaxKind operation, int left, int right)
    {
        if (operation is SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression && right == 0)
        {
            Report(frame, at, $"'{at}', a division by zero,", string.Empty);
            return null;
        }

        long result = operation switch
        {
            SyntaxKind.AddExpression => (long)left + right,
            SyntaxKind.SubtractExpression => (long)left - right,
            SyntaxKind.MultiplyExpression => (long)left * right,
            SyntaxKind.DivideExpression => (long)left / right,
            _ => (long)left % right,
        };
        if (result is < int.MinValue or > int.MaxValue)
        {
            Report(frame, at, $"'{at}', whose value overflows an int,", string.Empty);
            return null;
        }

        return (int)result;
    }

    /// <summary>A comparison of two compile-time integers, <c>i &lt; 2</c>: a constant condition (1 or 0), or null when it is not one.</summary>
    private int? ParseIntegerComparison(Frame frame, BinaryExpressionSyntax binary)
    {
        if (!IsIntegerValued(frame.Model, binary.Left) || !IsIntegerValued(frame.Model, binary.Right))
        {
            return null;
        }

        if (ParseInteger(frame, binary.Left, inValue: false) is not { } left || ParseInteger(frame, binary.Right, inValue: false) is not { } right)
        {
            return Invalid;
        }

        var holds = binary.Kind() switch
        {
            SyntaxKind.LessThanExpression => left < right,
            SyntaxKind.LessThanOrEqualExpression => left <= right,
            SyntaxKind.GreaterThanExpression => left > right,
            SyntaxKind.GreaterThanOrEqualExpression => left >= right,
            SyntaxKind.EqualsExpression => left == right,
            _ => left != right,
        };
        return _builder.Constant(holds ? 1 : 0);
    }

    /// <summary><c>v[k]</c>: the node of one value of a vector.</summary>
    private int ParseElement(Frame frame, ElementAccessExpressionSyntax element)
    {
        if (element.ArgumentList.Arguments is not [{ NameColon: null, RefKindKeyword.RawKind: 0, Expression: not RangeExpressionSyntax }])
        {
            return ReportExpression(frame, element);
        }

        if (_rolling is not null && frame == _rolling.Frame && RolledElement(frame, element) is { } rolled)
        {
            return rolled;
        }

        if (ParseVector(frame, element.Expression) is not { } vector || ElementIndex(frame, element, vector) is not { } index)
        {
            return Invalid;
        }

        var node = vector[index];
        frame.Failed |= node == Invalid;
        return node;
    }

    /// <summary>The index of <c>v[k]</c> or <c>v[^k]</c> in [0, N), or null (OPTDSL008 at the index when it is outside).</summary>
    private int? ElementIndex(Frame frame, ElementAccessExpressionSyntax element, VectorValue vector)
    {
        var argument = element.ArgumentList.Arguments[0].Expression;
        var fromEnd = argument is PrefixUnaryExpressionSyntax hat && hat.IsKind(SyntaxKind.IndexExpression);
        if (ParseInteger(frame, fromEnd ? ((PrefixUnaryExpressionSyntax)argument).Operand : argument, inValue: false) is not { } value)
        {
            return null;
        }

        var index = fromEnd ? vector.Length - value : value;
        if (index < 0 || index >= vector.Length)
        {
            ReportLength(frame, argument, $"Index {(fromEnd ? "^" + value.ToString(CultureInfo.InvariantCulture) + " (" + index.ToString(CultureInfo.InvariantCulture) + ")" : index.ToString(CultureInfo.InvariantCulture))} is outside [0, {vector.Length}) of '{element.Expression}'");
            return null;
        }

        return index;
    }

    /// <summary>
    /// A vector: a <c>[Length(N)]</c> parameter, a local vector, <c>stackalloc double[N]</c>, or a slice of one
    /// (<c>v.Slice(a, n)</c>, <c>v[a..b]</c>); null when it is not one (reported).
    /// </summary>
    private VectorValue? ParseVector(Frame frame, ExpressionSyntax expression)
    {
        var vector = ReadVector(frame, expression);
        if (vector is { } read && _rolling is not null && frame == _rolling.Frame && _rolling.Written.Any(written => written.Shares(read)))
        {
            RollFails(); // the body reads a vector it writes: another iteration's value, or this one's
            return null;
        }

        return vector;
    }

    private VectorValue? ReadVector(Frame frame, ExpressionSyntax expression)
    {
        expression = Unparenthesized(expression);
        var model = frame.Model;
        switch (expression)
        {
            case IdentifierNameSyntax:
                switch (model.GetSymbolInfo(expression, _cancellationToken).Symbol)
                {
                    case IParameterSymbol parameter when frame.VectorParameters.TryGetValue(parameter, out var vector):
                        return vector;
                    case ILocalSymbol local when frame.Vectors.TryGetValue(local, out var value):
                        frame.Failed |= value is null;
                        return value;
                    case ILocalSymbol local when IsElementSpan(local.Type, orSpan: true):
                        Unexplained(frame, expression, $"Reading '{local.Name}' before it is assigned", ": assign it first");
                        return null;
                    case null:
                        Unexplained(frame, expression, $"'{expression}'", ": it does not name a parameter or local");
                        return null;
                }

                break;

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Slice" } access } slice
                when model.GetSymbolInfo(slice, _cancellationToken).Symbol is IMethodSymbol { ContainingType: var type } && IsElementSpan(type, orSpan: true):
                return ParseSlice(frame, slice, access.Expression, slice.ArgumentList.Arguments);

            case ElementAccessExpressionSyntax { ArgumentList.Arguments: [{ Expression: RangeExpressionSyntax range }] } element:
                return ParseRange(frame, element, range);

            case StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax { RankSpecifiers: [{ Sizes: [var size] }] } } explicitSize:
                return NewLocalVector(frame, size is OmittedArraySizeExpressionSyntax ? null : size, explicitSize.Initializer);

            case ImplicitStackAllocArrayCreationExpressionSyntax implicitStackalloc:
                return NewLocalVector(frame, null, implicitStackalloc.Initializer);
        }

        Report(frame, expression, $"'{expression}' as a vector", $": a vector is a [Length(N)] parameter, a local 'Span<{ElementKeyword}> h = stackalloc {ElementKeyword}[N];', or a slice of one with compile-time bounds");
        return null;
    }

    /// <summary><c>stackalloc double[N]</c> (every value 0) or <c>stackalloc double[] { … }</c>.</summary>
    private VectorValue? NewLocalVector(Frame frame, ExpressionSyntax? size, InitializerExpressionSyntax? initializer)
    {
        int length;
        if (size is not null)
        {
            if (ParseInteger(frame, size, inValue: false) is not { } n)
            {
                return null;
            }

            if (n < 1)
            {
                ReportLength(frame, size, $"A local vector of {n} values: a vector has a length of at least 1");
                return null;
            }

            length = n;
        }
        else
        {
            length = initializer?.Expressions.Count ?? 0;
        }

        if (_builder.Count + length > MaxNodes)
        {
            // Each value of a local vector is an operation of the body: reported here, at its size, and nothing after it.
            Report(frame, size ?? (SyntaxNode?)initializer ?? throw new InvalidOperationException("A local vector without a size."),
                $"A local vector of {length:N0} values, which takes the body past {MaxNodes:N0} operations",
                ": an objective's values are computed at compile time, each one an operation; use a smaller vector, or [Data] parameters for sums over samples (see the README, Limits)");
            _tooLarge = true;
            return null;
        }

        var storage = new int[length];
        for (var k = 0; k < length; k++)
        {
            storage[k] = initializer is null ? _builder.Zero : ParseExpression(frame, initializer.Expressions[k]);
        }

        return new VectorValue(storage, 0, length, writable: true);
    }

    /// <summary><c>v.Slice(start)</c> and <c>v.Slice(start, length)</c>.</summary>
    private VectorValue? ParseSlice(Frame frame, ExpressionSyntax at, ExpressionSyntax receiver, SeparatedSyntaxList<ArgumentSyntax> arguments)
    {
        if (ParseVector(frame, receiver) is not { } vector || ParseInteger(frame, arguments[0].Expression, inValue: false) is not { } start)
        {
            return null;
        }

        int? length = arguments.Count > 1 ? ParseInteger(frame, arguments[1].Expression, inValue: false) : vector.Length - start;
        if (length is not { } n)
        {
            return null;
        }

        return CheckedSlice(frame, at, receiver, vector, start, n);
    }

    /// <summary><c>v[a..b]</c>, <c>v[..b]</c>, <c>v[a..]</c>, <c>v[^k..]</c>, <c>v[..]</c>.</summary>
    private VectorValue? ParseRange(Frame frame, ElementAccessExpressionSyntax element, RangeExpressionSyntax range)
    {
        if (ParseVector(frame, element.Expression) is not { } vector)
        {
            return null;
        }

        int? End(ExpressionSyntax? bound, int whenOmitted)
        {
            if (bound is null)
            {
                return whenOmitted;
            }

            if (bound is PrefixUnaryExpressionSyntax hat && hat.IsKind(SyntaxKind.IndexExpression))
            {
                return vector.Length - ParseInteger(frame, hat.Operand, inValue: false);
            }

            return ParseInteger(frame, bound, inValue: false);
        }

        if (End(range.LeftOperand, 0) is not { } start || End(range.RightOperand, vector.Length) is not { } end)
        {
            return null;
        }

        return CheckedSlice(frame, range, element.Expression, vector, start, end - start);
    }

    private VectorValue? CheckedSlice(Frame frame, SyntaxNode at, ExpressionSyntax receiver, VectorValue vector, int start, int length)
    {
        if (start < 0 || length < 0 || start > vector.Length - length)
        {
            ReportLength(frame, at, $"The slice [{start}, {(long)start + length}) is outside [0, {vector.Length}) of '{receiver}'");
            return null;
        }

        return vector.Slice(start, length);
    }

    /// <summary>A vector passed to a <c>[Length(N)]</c> parameter of an objective it calls: OPTDSL008 at the argument unless it has N values.</summary>
    private VectorValue? BindVector(Frame frame, ExpressionSyntax argument, string callee, string parameter, int length)
    {
        if (ParseVector(frame, argument) is not { } vector)
        {
            return null;
        }

        if (vector.Length != length)
        {
            ReportLength(frame, argument, $"'{argument}' has {vector.Length} values, but parameter '{parameter}' of '{callee}' has [Length({length})]");
            return null;
        }

        return new VectorValue(vector.Elements(), 0, length, writable: false);
    }

    /// <summary>
    /// <c>for (int i = a; i &lt; b; i++)</c> and the other forms of the README, Vectors and loops: the body is
    /// read once per iteration, with <c>i</c> a compile-time integer.
    /// </summary>
    private void ParseFor(Frame frame, ForStatementSyntax loop)
    {
        var forKeyword = loop.ForKeyword.GetLocation();
        if (loop.Initializers.Count > 0 || loop.Declaration is not { Variables: [{ Initializer: { } initializer } variable] }
            || frame.Model.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol counter || !IsIntegerLocal(counter))
        {
            Report(frame, loop, "A 'for' loop that does not declare one int variable", ": write 'for (int i = a; i < b; i++)'", forKeyword);
            return;
        }

        if (loop.Condition is null)
        {
            Report(frame, loop, "A 'for' loop without a condition", LoopAdvice, forKeyword);
            return;
        }

        var bound = Unparenthesized(loop.Condition) is BinaryExpressionSyntax
        {
            Left: IdentifierNameSyntax left,
            RawKind: (int)SyntaxKind.LessThanExpression or (int)SyntaxKind.LessThanOrEqualExpression
                or (int)SyntaxKind.GreaterThanExpression or (int)SyntaxKind.GreaterThanOrEqualExpression,
        } condition && SymbolEqualityComparer.Default.Equals(frame.Model.GetSymbolInfo(left, _cancellationToken).Symbol, counter)
            ? condition
            : null;
        if (bound is null)
        {
            Report(frame, loop.Condition, $"The loop condition '{loop.Condition}'", $": write '{counter.Name} < b', '{counter.Name} <= b', '{counter.Name} > b' or '{counter.Name} >= b' with b a compile-time integer");
            return;
        }

        if (!IsIntegerValued(frame.Model, bound.Right))
        {
            Report(frame, loop.Condition, $"The loop condition '{loop.Condition}'", $": its bound is not a compile-time integer (a loop's trip count is known at compile time); {IntegerAdvice.Substring(2)}");
            return;
        }

        var upwards = bound.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression;
        if (loop.Incrementors is not [var incrementor] || StepForm(frame, incrementor, counter) is not { } step)
        {
            Report(frame, loop.Incrementors.Count > 0 ? loop.Incrementors[0] : loop, "This loop step", $": write {(upwards ? $"'{counter.Name}++' or '{counter.Name} += c'" : $"'{counter.Name}--' or '{counter.Name} -= c'")} with c a positive compile-time integer", loop.Incrementors.Count > 0 ? null : forKeyword);
            return;
        }

        if (ParseInteger(frame, initializer.Value, inValue: false) is not { } value)
        {
            return;
        }

        if (TryRoll(frame, loop, counter, value, bound, step, upwards))
        {
            return;
        }

        frame.LoopVariables.Add(counter);
        var failedBefore = frame.Failed;
        var outermost = _outermostLoop is null && !frame.IsInlined;
        if (outermost)
        {
            _outermostLoop = loop;
        }

        while (!_tooLarge)
        {
            frame.Integers[counter] = value;
            if (ParseInteger(frame, bound.Right, inValue: false) is not { } limit)
            {
                break;
            }

            var holds = bound.Kind() switch
            {
                SyntaxKind.LessThanExpression => value < limit,
                SyntaxKind.LessThanOrEqualExpression => value <= limit,
                SyntaxKind.GreaterThanExpression => value > limit,
                _ => value >= limit,
            };
            if (!holds)
            {
                break;
            }

            if (++_loopIterations > MaxLoopIterations)
            {
                Report(frame, loop, $"Loops of more than {MaxLoopIterations:N0} iterations in all", ": an objective's loops are unrolled at compile time; use [Data] parameters for sums over samples (see the README, Limits)", forKeyword);
                break;
            }

            ParseStatement(frame, loop.Statement, isLast: false);
            if (frame.Failed && !failedBefore)
            {
                break; // reported; the other iterations would report the same
            }

            if ((step.Amount is null ? 1 : ParseInteger(frame, step.Amount, inValue: false)) is not { } amount)
            {
                break;
            }

            if (amount <= 0)
            {
                Report(frame, step.At, "This loop step", $": it must move '{counter.Name}' towards the bound by a positive compile-time integer");
                break;
            }

            if (step.Upwards != upwards)
            {
                Report(frame, step.At, "This loop step", $": it moves '{counter.Name}' away from the bound, so the loop would not end; write {(upwards ? $"'{counter.Name}++' or '{counter.Name} += c'" : $"'{counter.Name}--' or '{counter.Name} -= c'")}");
                break;
            }

            if (Arithmetic(frame, step.At, upwards ? SyntaxKind.AddExpression : SyntaxKind.SubtractExpression, value, amount) is not { } next)
            {
                break;
            }

            value = next;
        }

        frame.LoopVariables.Remove(counter);
        frame.Integers.Remove(counter);
        if (outermost)
        {
            _outermostLoop = null;
        }
    }

    /// <summary>A loop step: its direction and the amount it moves by (null for 1: <c>i++</c>), or null when it has another form.</summary>
    private (bool Upwards, ExpressionSyntax? Amount, ExpressionSyntax At)? StepForm(Frame frame, ExpressionSyntax incrementor, ILocalSymbol counter)
    {
        bool IsCounter(ExpressionSyntax e) => e is IdentifierNameSyntax && SymbolEqualityComparer.Default.Equals(frame.Model.GetSymbolInfo(e, _cancellationToken).Symbol, counter);
        ExpressionSyntax? one = null;
        return incrementor switch
        {
            PostfixUnaryExpressionSyntax postfix when IsCounter(postfix.Operand)
                => (postfix.IsKind(SyntaxKind.PostIncrementExpression), one, incrementor),
            PrefixUnaryExpressionSyntax prefix when IsCounter(prefix.Operand) && (prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression))
                => (prefix.IsKind(SyntaxKind.PreIncrementExpression), one, incrementor),
            AssignmentExpressionSyntax assignment when IsCounter(assignment.Left)
                && (assignment.IsKind(SyntaxKind.AddAssignmentExpression) || assignment.IsKind(SyntaxKind.SubtractAssignmentExpression))
                => (assignment.IsKind(SyntaxKind.AddAssignmentExpression), assignment.Right, incrementor),
            _ => null,
        };
    }
}
