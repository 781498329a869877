using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Parsing;

/// <summary>
/// Turns an objective's body into an expression graph: locals become the nodes they hold,
/// <c>Math</c> calls become operations, calls to other objectives are inlined.
/// </summary>
/// <remarks>
/// This is the one definition of what an objective may contain: the generator builds from it and
/// the analyzer reports from it, so they cannot disagree. Unsupported constructs are reported
/// (OPTDSL001) and parsing carries on, so the user sees every problem at once; a failed
/// sub-expression yields <see cref="Invalid"/>, which its parents pass on silently.
/// </remarks>
internal sealed partial class BodyParser
{
    public const int Invalid = -1;

    /// <summary>
    /// How deeply expressions and blocks may nest (a chain of one binary operator, <c>a + b + c</c>,
    /// and a chain of conditionals in the else branches count as one level): see the README, "Limits".
    /// </summary>
    public const int MaxNestingDepth = 256;

    /// <summary>How many operations an objective's body may have after inlining: see the README, "Limits".</summary>
    public const int MaxNodes = 250_000;

    /// <summary>
    /// How many operators one chain (<c>a + b + c …</c>) may have. Roslyn answers a question about an
    /// inner link of a chain by walking up through every link above it, so reading a chain costs time
    /// quadratic in its length, and its own recursion can exhaust a small stack; past this length the
    /// chain is refused at once, before any question is asked: see the README, "Limits".
    /// </summary>
    public const int MaxChainLength = 1_000;

    private readonly ExpressionBuilder _builder;
    private readonly ElementType _element;
    private readonly List<NameHint> _hints = new();
    private readonly HashSet<int> _hintedNodes = new();

    // Inlined objectives by callee and argument nodes: the graph is hash-consed, so a callee called
    // again with the same arguments has the same result, and inlining costs time linear in the DAG
    // (README, "Calling other objectives") however often a callee is called.
    private readonly Dictionary<(IMethodSymbol Callee, string Arguments), int> _inlined = new(new InlineKeyComparer());
    private readonly Dictionary<SyntaxTree, SemanticModel> _models = new();
    private int _depth;
    private Location? _objectiveLocation;
    private bool _tooLarge;
    private readonly List<Diagnostic> _diagnostics;
    private readonly INamedTypeSymbol _objectiveType;
    private readonly Stack<IMethodSymbol> _callStack = new();
    private readonly List<UnexplainedConstruct> _unexplained = new();

    /// <summary>The cycle of calls found inside an inlined objective ("A → B → A"), until its outermost call reports it.</summary>
    private string? _recursion;
    private readonly CancellationToken _cancellationToken;

    public BodyParser(INamedTypeSymbol objectiveType, ElementType element, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        _element = element;
        _builder = new ExpressionBuilder(element);
        _objectiveType = objectiveType;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
    }

    public ExpressionBuilder Builder => _builder;

    /// <summary>The objective's number type as C# writes it: <c>double</c> or <c>float</c> (README, Float objectives).</summary>
    private string ElementKeyword => _element.Keyword();

    private SpecialType ElementSpecialType => KnownNames.SpecialTypeOf(_element);

    /// <summary>A span (with <paramref name="orSpan"/>, or a read-only span) of the objective's number type.</summary>
    private bool IsElementSpan(ITypeSymbol? type, bool orSpan = false) => KnownNames.IsElementSpan(type, _element, orSpan);

    public IReadOnlyList<NameHint> Hints => _hints;

    /// <summary>Parses the objective itself; its parameters are already mapped to nodes.</summary>
    public int ParseObjective(
        IMethodSymbol method,
        MethodDeclarationSyntax syntax,
        SemanticModel model,
        Dictionary<IParameterSymbol, int> parameters,
        Dictionary<IParameterSymbol, int[]> vectors)
    {
        _objectiveLocation = syntax.Identifier.GetLocation();
        _callStack.Push(WithBody(method));
        var frame = new Frame(model, parameters, isInlined: false);
        foreach (var pair in vectors)
        {
            frame.VectorParameters[pair.Key] = new VectorValue(pair.Value, 0, pair.Value.Length, writable: false);
        }

        int root;
        try
        {
            root = ParseMethodBody(frame, syntax);
        }
        catch (InsufficientExecutionStackException)
        {
            // Roslyn's own stack guard, from a semantic-model query on a very long chain.
            frame.Failed = true;
            root = Invalid;
            _diagnostics.Add(Diagnostic.Create(
                DiagnosticDescriptors.UnsupportedConstruct,
                _objectiveLocation,
                "An expression too long or too deeply nested for the compiler to analyse",
                ": split it with locals (see the README, Limits)"));
        }

        _callStack.Pop();
        ExplainSilentFailures();
        return frame.Failed ? Invalid : root;
    }

    /// <summary>One method being parsed: the objective, or an objective inlined into it.</summary>
    private sealed class Frame
    {
        public Frame(SemanticModel model, Dictionary<IParameterSymbol, int> parameters, bool isInlined)
        {
            Model = model;
            Parameters = parameters;
            IsInlined = isInlined;
        }

        public SemanticModel Model { get; }

        public Dictionary<IParameterSymbol, int> Parameters { get; }

        public Dictionary<ILocalSymbol, int> Locals { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>The <c>[Length(N)]</c> parameters: their values' nodes.</summary>
        public Dictionary<IParameterSymbol, VectorValue> VectorParameters { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>The compile-time integers: <c>int</c> locals and loop variables with their current values.</summary>
        public Dictionary<ILocalSymbol, int?> Integers { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>Local vectors (<c>stackalloc</c>, slices): their current values, or null once reported.</summary>
        public Dictionary<ILocalSymbol, VectorValue?> Vectors { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>The variables of the loops being unrolled, which the loops' bodies may not assign.</summary>
        public HashSet<ILocalSymbol> LoopVariables { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>Inlined objectives report their own errors where they are declared, not at each call.</summary>
        public bool IsInlined { get; }

        public bool Failed { get; set; }
    }

    private int ParseMethodBody(Frame frame, MethodDeclarationSyntax syntax)
    {
        if (syntax.ExpressionBody is { } arrow)
        {
            return ParseExpression(frame, arrow.Expression);
        }

        if (syntax.Body is null)
        {
            return Unexplained(frame, syntax, "A method without a body", string.Empty);
        }

        var reported = _diagnostics.Count;
        var root = ParseBlock(frame, syntax.Body, isOutermost: true);
        if (root == Invalid && _diagnostics.Count == reported)
        {
            // Usually CS0161 (not all code paths return a value), reported at the method's name.
            Unexplained(frame, syntax, "A body that does not end with 'return'", ": end it with 'return <value>;'");
        }

        return root;
    }

    private int ParseBlock(Frame frame, BlockSyntax block, bool isOutermost)
    {
        var root = Invalid;
        var statements = block.Statements;

        // The return ends the body; local functions (refused on their own) may follow it.
        var last = statements.Count - 1;
        while (last > 0 && statements[last] is LocalFunctionStatementSyntax or EmptyStatementSyntax)
        {
            last--;
        }

        for (var i = 0; i < statements.Count; i++)
        {
            var value = ParseStatement(frame, statements[i], isLast: isOutermost && i == last);
            if (isOutermost && i == last)
            {
                root = value;
            }
        }

        return root;
    }

    /// <summary>One statement; the value of the objective for its last statement, the <c>return</c>.</summary>
    private int ParseStatement(Frame frame, StatementSyntax statement, bool isLast)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        switch (statement)
        {
            case LocalDeclarationStatementSyntax declaration:
                ParseLocalDeclaration(frame, declaration);
                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                ParseAssignment(frame, assignment);
                break;
            case ExpressionStatementSyntax { Expression: PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax } increment:
                ParseIncrement(frame, increment.Expression);
                break;
            case ReturnStatementSyntax { Expression: { } value } when isLast:
                return ParseExpression(frame, value);
            case ReturnStatementSyntax { Expression: null }:
                Unexplained(frame, statement, "A 'return' without a value", ": return the objective's value"); // CS0126
                break;
            case ReturnStatementSyntax when frame.LoopVariables.Count > 0:
                Report(frame, statement, "A 'return' in a loop", LoopAdvice);
                break;
            case ReturnStatementSyntax:
                Report(frame, statement, "A 'return' before the end of the body", ": an objective returns once, as its last statement; use a conditional expression 'c ? a : b' for piecewise definitions");
                break;
            case BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax:
                Report(frame, statement, $"A '{statement.GetFirstToken().Text}' statement", LoopAdvice);
                break;
            case ForStatementSyntax loop when EnterNesting(frame, loop):
                ParseFor(frame, loop);
                _depth--;
                break;
            case BlockSyntax nested when EnterNesting(frame, nested):
                ParseBlock(frame, nested, isOutermost: false);
                _depth--;
                break;
            case BlockSyntax or ForStatementSyntax:
                break;
            case EmptyStatementSyntax:
                break;
            default:
                ReportStatement(frame, statement);
                break;
        }

        return Invalid;
    }

    private void ParseLocalDeclaration(Frame frame, LocalDeclarationStatementSyntax declaration)
    {
        if (declaration.UsingKeyword != default(SyntaxToken) || declaration.AwaitKeyword != default(SyntaxToken))
        {
            Report(frame, declaration, "A 'using' declaration", string.Empty);
            return;
        }

        foreach (var variable in declaration.Declaration.Variables)
        {
            if (frame.Model.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol local)
            {
                Unexplained(frame, variable, "This declaration", string.Empty);
                continue;
            }

            DeclaredInRolledLoop(frame, local);

            if (local.IsConst)
            {
                continue; // its uses are compile-time constants
            }

            if (IsIntegerLocal(local))
            {
                DeclareInteger(frame, local, variable.Initializer?.Value);
                continue;
            }

            if (IsElementSpan(local.Type, orSpan: true))
            {
                DeclareVector(frame, local, variable.Initializer?.Value);
                continue;
            }

            if (!IsDoubleLocal(frame, local, variable))
            {
                continue;
            }

            if (variable.Initializer is { } initializer)
            {
                Assign(frame, local, ParseExpression(frame, initializer.Value));
            }
        }
    }

    private void ParseAssignment(Frame frame, AssignmentExpressionSyntax assignment)
    {
        if (assignment.Left is ElementAccessExpressionSyntax element)
        {
            AssignElement(frame, assignment, element);
            return;
        }

        if (assignment.Left is IdentifierNameSyntax && frame.Model.GetSymbolInfo(assignment.Left, _cancellationToken).Symbol is ILocalSymbol target
            && (IsIntegerLocal(target) || IsElementSpan(target.Type, orSpan: true)))
        {
            AssignIntegerOrVector(frame, assignment, target);
            return;
        }

        if (!AssignmentOperation(frame, assignment, out var operation))
        {
            return;
        }

        if (assignment.Left is TupleExpressionSyntax or DeclarationExpressionSyntax)
        {
            ParseDeconstruction(frame, assignment);
            return;
        }

        if (TargetLocal(frame, assignment.Left) is not { } local)
        {
            return;
        }

        if (IsRolledAccumulator(frame, local))
        {
            Accumulate(frame, local, operation, assignment.Right);
            return;
        }

        var value = ParseExpression(frame, assignment.Right);
        if (operation is { } compound)
        {
            value = Combine(compound, Read(frame, local, assignment.Left), value);
        }

        Assign(frame, local, value);
    }

    /// <summary>
    /// The operation of an assignment to a double: null for <c>=</c>, the arithmetic of <c>+=</c>,
    /// <c>-=</c>, <c>*=</c>, <c>/=</c>; false (reported) for any other compound operator.
    /// </summary>
    private bool AssignmentOperation(Frame frame, AssignmentExpressionSyntax assignment, out Operation? operation)
    {
        operation = assignment.Kind() switch
        {
            SyntaxKind.SimpleAssignmentExpression => null,
            SyntaxKind.AddAssignmentExpression => Operation.Add,
            SyntaxKind.SubtractAssignmentExpression => Operation.Subtract,
            SyntaxKind.MultiplyAssignmentExpression => Operation.Multiply,
            SyntaxKind.DivideAssignmentExpression => Operation.Divide,
            _ => Operation.Not, // marks an unsupported compound operator
        };

        if (operation != Operation.Not)
        {
            return true;
        }

        Report(frame, assignment, $"The '{assignment.OperatorToken.Text}' operator", ": use =, +=, -=, *= or /=");
        return false;
    }

    /// <summary>
    /// <c>var (a, b) = (x, y);</c> and <c>(a, b) = (b, a);</c>: every value on the right is read before
    /// any local on the left is written, as C# does, so the second one swaps.
    /// </summary>
    private void ParseDeconstruction(Frame frame, AssignmentExpressionSyntax assignment)
    {
        var targets = new List<ILocalSymbol?>();
        var values = new List<ExpressionSyntax>();
        if (!PairDeconstruction(frame, assignment.Left, assignment.Right, targets, values))
        {
            return;
        }

        var nodes = values.Select(value => ParseExpression(frame, value)).ToList();
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i] is { } local)
            {
                Assign(frame, local, nodes[i]);
            }
        }
    }

    /// <summary>Pairs each target of a deconstruction (a local, or null for a discard) with its value; false when refused.</summary>
    private bool PairDeconstruction(Frame frame, SyntaxNode left, ExpressionSyntax right, List<ILocalSymbol?> targets, List<ExpressionSyntax> values)
    {
        var elements = left switch
        {
            TupleExpressionSyntax tuple => tuple.Arguments.Select(a => (SyntaxNode)a.Expression).ToList(),
            DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax designation } => designation.Variables.Select(v => (SyntaxNode)v).ToList(),
            ParenthesizedVariableDesignationSyntax designation => designation.Variables.Select(v => (SyntaxNode)v).ToList(),
            _ => null,
        };

        right = Unparenthesized(right);
        if (elements is null)
        {
            Report(frame, left, "This deconstruction", ": write (a, b) = (x, y) or var (a, b) = (x, y)");
            return false;
        }

        if (right is not TupleExpressionSyntax rightTuple)
        {
            Report(frame, right, "Deconstructing a value that is not a tuple literal", ": write the values out, as in (a, b) = (x, y)");
            return false;
        }

        if (rightTuple.Arguments.Count != elements.Count)
        {
            Unexplained(frame, right, "A tuple of another length", ": both sides of a deconstruction have one element each");
            return false;
        }

        var paired = true;
        for (var i = 0; i < elements.Count; i++)
        {
            var value = rightTuple.Arguments[i].Expression;
            switch (elements[i])
            {
                case TupleExpressionSyntax or ParenthesizedVariableDesignationSyntax
                    or DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax }:
                    paired &= PairDeconstruction(frame, elements[i], value, targets, values);
                    continue;
                case DiscardDesignationSyntax or DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax }:
                    targets.Add(null);
                    break;
                case SingleVariableDesignationSyntax or DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax }:
                    var designation = elements[i] is DeclarationExpressionSyntax declaration ? declaration.Designation : elements[i];
                    var local = DeclaredDoubleLocal(frame, designation);
                    paired &= local is not null;
                    targets.Add(local);
                    break;
                case IdentifierNameSyntax identifier when frame.Model.GetSymbolInfo(identifier, _cancellationToken).Symbol is IDiscardSymbol:
                    targets.Add(null);
                    break;
                case ExpressionSyntax target:
                    var assigned = TargetLocal(frame, target);
                    paired &= assigned is not null;
                    targets.Add(assigned);
                    break;
                default:
                    paired = false;
                    Unexplained(frame, elements[i], "This element of a deconstruction", string.Empty);
                    break;
            }

            values.Add(value);
        }

        return paired;
    }

    private ILocalSymbol? DeclaredDoubleLocal(Frame frame, SyntaxNode designation)
    {
        if (frame.Model.GetDeclaredSymbol(designation, _cancellationToken) is not ILocalSymbol local)
        {
            Unexplained(frame, designation, "This declaration", string.Empty);
            return null;
        }

        return IsDoubleLocal(frame, local, designation) ? local : null;
    }

    /// <summary>Whether a declared local is a double; otherwise reported once, here, and its reads pass the failure on silently.</summary>
    private bool IsDoubleLocal(Frame frame, ILocalSymbol local, SyntaxNode declaration)
    {
        if (local.Type.SpecialType == ElementSpecialType)
        {
            return true;
        }

        Report(frame, declaration, $"A local of type '{local.Type.ToDisplayString()}'", $": declare locals as '{ElementKeyword}' (or 'var' with a {ElementKeyword} value), 'int' for indexes, or 'Span<{ElementKeyword}>' for a local vector");
        frame.Locals[local] = Invalid;
        return false;
    }

    private void ParseIncrement(Frame frame, ExpressionSyntax increment)
    {
        var (operand, isIncrement) = increment switch
        {
            PostfixUnaryExpressionSyntax postfix => (postfix.Operand, postfix.IsKind(SyntaxKind.PostIncrementExpression)),
            PrefixUnaryExpressionSyntax prefix => (prefix.Operand, prefix.IsKind(SyntaxKind.PreIncrementExpression)),
            _ => throw new InvalidOperationException("Not an increment."),
        };

        if (!increment.IsKind(SyntaxKind.PostIncrementExpression) && !increment.IsKind(SyntaxKind.PostDecrementExpression)
            && !increment.IsKind(SyntaxKind.PreIncrementExpression) && !increment.IsKind(SyntaxKind.PreDecrementExpression))
        {
            ReportExpression(frame, increment);
            return;
        }

        if (operand is IdentifierNameSyntax && frame.Model.GetSymbolInfo(operand, _cancellationToken).Symbol is ILocalSymbol integer && IsIntegerLocal(integer))
        {
            IncrementInteger(frame, operand, integer, isIncrement ? 1 : -1);
            return;
        }

        if (TargetLocal(frame, operand) is not { } local)
        {
            return;
        }

        var current = Read(frame, local, operand);
        Assign(frame, local, Combine(isIncrement ? Operation.Add : Operation.Subtract, current, _builder.One));
    }

    /// <summary>The local an assignment writes to; assignments to anything else are refused.</summary>
    private ILocalSymbol? TargetLocal(Frame frame, ExpressionSyntax target)
    {
        var symbol = frame.Model.GetSymbolInfo(target, _cancellationToken).Symbol;
        switch (symbol)
        {
            case ILocalSymbol local when target is IdentifierNameSyntax:
                return local;
            case IParameterSymbol parameter:
                Report(frame, target, $"Assignment to parameter '{parameter.Name}'", ": copy it into a local first ('var v = " + parameter.Name + ";')");
                return null;
            case null:
                Unexplained(frame, target, $"Assignment to '{target}'", ": an objective may only assign its own locals");
                return null;
            default:
                Report(frame, target, $"Assignment to '{symbol.Name}'", ": an objective may only assign its own locals");
                return null;
        }
    }

    private int Read(Frame frame, ILocalSymbol local, SyntaxNode at)
    {
        if (IsRolledAccumulator(frame, local) && _rolling!.Assigned.Contains(local))
        {
            return RollFails(); // a value carried from one iteration to the next
        }

        if (frame.Locals.TryGetValue(local, out var node))
        {
            return node;
        }

        // Read before assignment: the compiler reports CS0165.
        return Unexplained(frame, at, $"Reading '{local.Name}' before it is assigned", ": assign it first");
    }

    private void Assign(Frame frame, ILocalSymbol local, int node)
    {
        if (IsRolledAccumulator(frame, local))
        {
            RollFails(); // only += and -= can carry a value out of a rolled loop
            return;
        }

        frame.Locals[local] = node;
        if (node != Invalid && !frame.IsInlined && !_builder[node].Operation.IsLeaf() && _hintedNodes.Add(node))
        {
            _hints.Add(new NameHint(node, local.Name));
        }
    }

    private int Combine(Operation operation, int first, int second, int third = Invalid)
    {
        if (first == Invalid || (operation.Arity() > 1 && second == Invalid) || (operation.Arity() > 2 && third == Invalid))
        {
            return Invalid;
        }

        return _builder.Apply(operation, first, second, third);
    }

    /// <summary>Parses a double-valued expression (<paramref name="condition"/> false) or a condition.</summary>
    private int ParseExpression(Frame frame, ExpressionSyntax expression, bool condition = false)
    {
        if (!EnterNesting(frame, expression))
        {
            return Invalid;
        }

        var node = ParseAnyExpression(frame, expression);
        _depth--;
        return CheckKind(frame, expression, node, condition);
    }

    /// <summary>
    /// Enters one level of nesting, or reports that the expression nests too deeply. The parser
    /// recurses only into nested expressions (chains are iterated), so this bounds its stack.
    /// </summary>
    private bool EnterNesting(Frame frame, SyntaxNode at)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (_tooLarge)
        {
            frame.Failed = true;
            return false;
        }

        if (_builder.Count > MaxNodes)
        {
            _tooLarge = true;
            frame.Failed = true;
            _diagnostics.Add(_outermostLoop is { } loop
                ? Diagnostic.Create(
                    DiagnosticDescriptors.UnsupportedConstruct,
                    loop.ForKeyword.GetLocation(),
                    $"A loop that unrolls to more than {MaxNodes:N0} operations (with the rest of the body)",
                    ": an objective's loops are unrolled at compile time; use [Data] parameters for sums over samples (see the README, Limits)")
                : Diagnostic.Create(
                    DiagnosticDescriptors.UnsupportedConstruct,
                    _objectiveLocation ?? at.GetLocation(),
                    $"A body of more than {MaxNodes:N0} operations (after inlining the objectives it calls)",
                    ": split the objective into smaller ones, or use [Data] parameters for sums over samples (see the README, Limits)"));
            return false;
        }

        // A name or a literal nests nothing, so the limit falls on the expression that nests too deeply.
        var nestsNothing = at is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax;
        if ((_depth >= MaxNestingDepth && !nestsNothing) || !HasSufficientStack())
        {
            Report(frame, at, $"An expression or block nested more than {MaxNestingDepth} levels deep", ": give inner parts locals of their own (see the README, Limits)");
            return false;
        }

        _depth++;
        return true;
    }

    /// <summary>A double where a double belongs and a condition where a condition does; otherwise the compiler reports it.</summary>
    private int CheckKind(Frame frame, ExpressionSyntax expression, int node, bool condition)
    {
        var isCondition = node != Invalid && (_builder[node].IsConstant
            ? frame.Model.GetTypeInfo(expression, _cancellationToken).Type?.SpecialType == SpecialType.System_Boolean
            : _builder[node].Operation.IsBoolean());
        if (node != Invalid && isCondition != condition)
        {
            // A bool where a double belongs, or the other way round: the compiler reports it.
            return condition
                ? Unexplained(frame, expression, $"The value '{expression}' where a condition belongs", ": compare it, as in 'x > 0'")
                : Unexplained(frame, expression, $"The condition '{expression}' where a value belongs", ": choose a value with 'c ? a : b'");
        }

        return node;
    }

    private int ParseAnyExpression(Frame frame, ExpressionSyntax expression)
    {
        var model = frame.Model;
        expression = Unparenthesized(expression); // iterated: ((((x)))) nests no deeper than x

        var constant = model.GetConstantValue(expression, _cancellationToken);
        if (constant.HasValue)
        {
            if (!frame.IsInlined)
            {
                ReportTruncatingDivisions(model, expression);
            }

            return constant.Value switch
            {
                // A constant condition folds away with its conditional (see Simplifier).
                bool flag => _builder.Constant(flag ? 1 : 0),
                double or float or decimal or int or long or short or sbyte or byte or uint or ulong or ushort
                    => _builder.Constant(Convert.ToDouble(constant.Value, CultureInfo.InvariantCulture)),
                _ => Report(frame, expression, $"The constant '{expression}'", $": an objective computes with {ElementKeyword} values"),
            };
        }

        if (IsIntegerValued(model, expression) && expression is not InvocationExpressionSyntax)
        {
            // A compile-time integer where a double belongs, converted exactly: 'w[i] - 0.5 * i'.
            if (_rolling is not null && frame == _rolling.Frame)
            {
                return RolledInteger(frame, expression);
            }

            return ParseInteger(frame, expression, inValue: true) is { } integer ? _builder.Constant(integer) : Invalid;
        }

        switch (expression)
        {
            case CastExpressionSyntax cast when IsElementValued(model, cast) && IsElementValued(model, cast.Expression):
                return ParseExpression(frame, cast.Expression);

            case CastExpressionSyntax cast when IsElementValued(model, cast) && IsIntegerValued(model, cast.Expression):
                return ParseInteger(frame, cast.Expression, inValue: true) is { } converted ? _builder.Constant(converted) : Invalid;

            case CastExpressionSyntax cast when ReportDoubleInFloat(frame, cast.Expression):
                return Invalid;

            case ElementAccessExpressionSyntax element:
                return ParseElement(frame, element);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return Combine(Operation.Negate, ParseExpression(frame, unary.Operand), Invalid);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return ParseExpression(frame, unary.Operand);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.LogicalNotExpression):
                return Combine(Operation.Not, ParseExpression(frame, unary.Operand, condition: true), Invalid);

            case BinaryExpressionSyntax binary when ParseIntegerComparison(frame, binary) is { } folded:
                return folded;

            case BinaryExpressionSyntax binary when BinaryOperation(binary.Kind()) is { } operation:
                return ParseBinary(frame, binary, operation);

            case ConditionalExpressionSyntax conditional:
                return ParseConditional(frame, conditional);

            case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                return ParseName(frame, expression);

            case InvocationExpressionSyntax invocation:
                return ParseInvocation(frame, invocation);

            default:
                return ReportExpression(frame, expression);
        }
    }

    /// <summary>OPTDSL011 for each integer division in a constant that truncates (<c>1 / 2</c> is 0; <c>6 / 3</c> is exact).</summary>
    private void ReportTruncatingDivisions(SemanticModel model, ExpressionSyntax constant)
    {
        foreach (var division in constant.DescendantNodesAndSelf().OfType<BinaryExpressionSyntax>().Where(b => b.IsKind(SyntaxKind.DivideExpression)))
        {
            var type = model.GetTypeInfo(division, _cancellationToken).Type?.SpecialType;
            if (type is not (SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64)
                || model.GetConstantValue(division.Left, _cancellationToken) is not { HasValue: true, Value: { } left }
                || model.GetConstantValue(division.Right, _cancellationToken) is not { HasValue: true, Value: { } right })
            {
                continue;
            }

            var numerator = Convert.ToDecimal(left, CultureInfo.InvariantCulture);
            var denominator = Convert.ToDecimal(right, CultureInfo.InvariantCulture);
            if (denominator == 0 || numerator % denominator == 0)
            {
                continue;
            }

            var exact = ((double)numerator / (double)denominator).ToString("R", CultureInfo.InvariantCulture);
            var truncated = decimal.Truncate(numerator / denominator).ToString(CultureInfo.InvariantCulture);
            AddOnce(Diagnostic.Create(
                DiagnosticDescriptors.TruncatingIntegerDivision,
                division.GetLocation(),
                division.ToString(),
                truncated,
                exact,
                DoubleDivision(division)));
        }
    }

    /// <summary>The division with its left operand a double: <c>1.0 / 2</c>, or <c>(double)n / 2</c>.</summary>
    public static string DoubleDivision(BinaryExpressionSyntax division)
    {
        var left = division.Left is LiteralExpressionSyntax literal && literal.Token.Text.All(char.IsDigit)
            ? literal.Token.Text + ".0"
            : "(double)" + (division.Left is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax or ParenthesizedExpressionSyntax
                ? division.Left.ToString()
                : "(" + division.Left + ")");
        return left + " / " + division.Right;
    }

    /// <summary>
    /// A chain of binary operators, <c>a + b - c + d</c>, which C# nests to the left: iterated down
    /// its left spine and built back up, so a chain of any length costs no stack.
    /// </summary>
    private int ParseBinary(Frame frame, BinaryExpressionSyntax binary, Operation operation)
    {
        if (ChainLength(binary) > MaxChainLength)
        {
            return Report(
                frame,
                binary,
                $"A chain of more than {MaxChainLength:N0} operators",
                ": split it into locals of fewer terms each ('var s1 = …; var s2 = …; return s1 + s2;'), or use [Data] parameters for sums over samples (see the README, Limits)",
                binary.OperatorToken.GetLocation());
        }

        // Down the left spine: each link is checked (outermost first) until a left operand is not a
        // link of the chain (another kind of expression, a constant) or a check fails.
        var spine = new List<(BinaryExpressionSyntax Binary, Operation Operation)>();
        var left = Invalid;
        var link = binary;
        var linkOperation = operation;
        while (true)
        {
            if (!CheckBinaryOperands(frame, link, linkOperation))
            {
                break; // reported; the links above pass Invalid on
            }

            spine.Add((link, linkOperation));
            var operand = Unparenthesized(link.Left);
            // An int-valued operand ('i / 2' in 'i / 2 * w[i]') is not a link: it is integer arithmetic, computed as C#
            // computes it (ParseInteger), not a double operation on converted operands.
            if (operand is BinaryExpressionSyntax next && BinaryOperation(next.Kind()) is { } nextOperation
                && !frame.Model.GetConstantValue(next, _cancellationToken).HasValue
                && !IsIntegerValued(frame.Model, next))
            {
                link = next;
                linkOperation = nextOperation;
                continue;
            }

            left = ParseExpression(frame, link.Left, IsLogical(linkOperation));
            break;
        }

        // Back up: the innermost link's left operand is parsed; each link adds its right operand.
        for (var i = spine.Count - 1; i >= 0; i--)
        {
            var (current, currentOperation) = spine[i];
            if (i < spine.Count - 1)
            {
                left = CheckKind(frame, current.Left, left, IsLogical(currentOperation));
            }

            var right = ParseExpression(frame, current.Right, IsLogical(currentOperation));
            left = Combine(currentOperation, left, right);
        }

        return left;
    }

    /// <summary>The operand types of one binary operator: doubles for arithmetic and comparisons, bools for <c>&amp;&amp;</c> and <c>||</c>.</summary>
    private bool CheckBinaryOperands(Frame frame, BinaryExpressionSyntax binary, Operation operation)
    {
        var model = frame.Model;
        if (operation.IsBoolean())
        {
            var expected = IsLogical(operation) ? SpecialType.System_Boolean : ElementSpecialType;
            if (!HasType(model, binary.Left, expected) || !HasType(model, binary.Right, expected))
            {
                if (!IsLogical(operation) && ReportDoubleInFloat(frame, binary))
                {
                    return false;
                }

                Report(frame, binary, $"The comparison '{binary}'", $": compare {ElementKeyword} values");
                return false;
            }
        }
        else if (!IsElementValued(model, binary))
        {
            if (ReportDoubleInFloat(frame, binary))
            {
                return false;
            }

            var type = model.GetTypeInfo(binary, _cancellationToken).Type?.ToDisplayString() ?? "unknown";
            Report(frame, binary, $"Arithmetic on '{type}' values ('{binary}')", _element == ElementType.Float
                ? ": this objective computes with float values; cast to float"
                : ": an objective computes with double values; write the literals as 2.0 or cast to double");
            return false;
        }

        return true;
    }

    /// <summary>The number of binary operators down the left spine of <paramref name="binary"/>: syntax only, no semantic question.</summary>
    private static int ChainLength(BinaryExpressionSyntax binary)
    {
        var length = 0;
        for (ExpressionSyntax link = binary; link is BinaryExpressionSyntax current && length <= MaxChainLength; link = Unparenthesized(current.Left))
        {
            length++;
        }

        return length;
    }

    private static bool IsLogical(Operation operation) => operation is Operation.And or Operation.Or;

    private static ExpressionSyntax Unparenthesized(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary>
    /// A conditional, or a chain of them in the else branches (<c>c1 ? a : c2 ? b : d</c>, a
    /// piecewise definition): iterated along the chain, so its length costs no stack.
    /// </summary>
    private int ParseConditional(Frame frame, ConditionalExpressionSyntax conditional)
    {
        var links = new List<(int Condition, int WhenTrue)>();
        var whenFalse = Invalid;
        var link = conditional;
        while (true)
        {
            if (!IsElementValued(frame.Model, link))
            {
                whenFalse = ReportDoubleInFloat(frame, link) ? Invalid : ReportExpression(frame, link);
                break;
            }

            ReportPiecewise(frame, link, "The conditional expression", "the switch between its branches");
            var condition = ParseExpression(frame, link.Condition, condition: true);
            var whenTrue = ParseExpression(frame, link.WhenTrue);
            links.Add((condition, whenTrue));
            if (Unparenthesized(link.WhenFalse) is ConditionalExpressionSyntax next
                && !frame.Model.GetConstantValue(next, _cancellationToken).HasValue)
            {
                link = next;
                continue;
            }

            whenFalse = ParseExpression(frame, link.WhenFalse);
            break;
        }

        for (var i = links.Count - 1; i >= 0; i--)
        {
            whenFalse = Combine(Operation.Conditional, links[i].Condition, links[i].WhenTrue, whenFalse);
        }

        return whenFalse;
    }

    private int ParseName(Frame frame, ExpressionSyntax name)
    {
        var symbol = frame.Model.GetSymbolInfo(name, _cancellationToken).Symbol;
        switch (symbol)
        {
            case IParameterSymbol parameter when frame.Parameters.TryGetValue(parameter, out var node):
                return node;
            case ILocalSymbol local:
                return Read(frame, local, name);
            case IFieldSymbol field:
                return ParseField(frame, name, field);
            case IPropertySymbol property:
                return Report(frame, name, $"The property '{property.ToDisplayString()}'", $": store the value in a 'static readonly {ElementKeyword}' field");
            case null:
                return Unexplained(frame, name, $"'{name}'", ": it does not name a parameter, local or field");
            default:
                return Report(frame, name, $"'{symbol.ToDisplayString()}'", string.Empty);
        }
    }

    private int ParseField(Frame frame, ExpressionSyntax at, IFieldSymbol field)
    {
        // const fields were turned into constants already.
        if (!field.IsStatic || !field.IsReadOnly || field.Type.SpecialType != ElementSpecialType)
        {
            return Report(frame, at, $"The field '{field.ToDisplayString()}'", $": only 'const' and 'static readonly {ElementKeyword}' fields can be read");
        }

        // The generated code lives in the objective's type: an inlined objective's private field
        // from another type would not be accessible there.
        if (!frame.Model.Compilation.IsSymbolAccessibleWithin(field, _objectiveType))
        {
            return Report(frame, at, $"The field '{field.ToDisplayString()}'", $": it is not accessible from '{_objectiveType.Name}', where the gradient is generated");
        }

        // The generated code is in another file, which cannot see a file-local type.
        for (var type = field.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsFileLocal)
            {
                return Report(frame, at, $"The field '{field.ToDisplayString()}'", $": it belongs to the file-local type '{type.Name}', which the generated file cannot see; move the field to a type that is not file-local");
            }
        }

        var typeName = field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return _builder.Field(typeName + "." + Naming.Identifier(field.Name));
    }

    private int ParseInvocation(Frame frame, InvocationExpressionSyntax invocation)
    {
        var model = frame.Model;
        if (model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol method)
        {
            return Unexplained(frame, invocation, $"The call '{invocation.Expression}'", ": it does not name one method");
        }

        if (_element == ElementType.Float ? KnownNames.IsSystemMathF(method.ContainingType) : KnownNames.IsSystemMath(method.ContainingType))
        {
            return ParseMathCall(frame, invocation, method);
        }

        if (_element == ElementType.Float && KnownNames.IsSystemMath(method.ContainingType))
        {
            return ReportDoubleInFloat(frame, invocation) ? Invalid : Report(frame, invocation, $"'Math.{method.Name}' in a float objective", $": {MathFAdvice(method.Name)} (a float objective computes with float values and System.MathF)");
        }

        if (method.GetAttributes().Any(KnownNames.IsObjective))
        {
            return InlineObjective(frame, invocation, method);
        }

        return Report(frame, invocation, $"A call to '{method.ContainingType?.Name}.{method.Name}'", SupportedFunctions.AdviceForCall(method, frame.Model.Compilation, _element));
    }

    private int ParseMathCall(Frame frame, InvocationExpressionSyntax invocation, IMethodSymbol method)
    {
        var arguments = invocation.ArgumentList.Arguments;
        var mathClass = _element.MathClass();
        var allElement = method.Parameters.All(p => p.Type.SpecialType == ElementSpecialType)
            && method.ReturnType.SpecialType == ElementSpecialType;

        if (!allElement)
        {
            if (!SupportedFunctions.IsSupported(method.Name))
            {
                return Report(frame, invocation, $"'{mathClass}.{method.Name}'", SupportedFunctions.AdviceFor(method.Name));
            }

            // An overload of a supported function for other types: Math.Max(int, int), Math.Abs(decimal).
            var type = method.Parameters.FirstOrDefault(p => p.Type.SpecialType != ElementSpecialType)?.Type ?? method.ReturnType;
            return Report(frame, invocation, $"'{mathClass}.{method.Name}' on '{type.ToDisplayString()}' values", _element == ElementType.Float
                ? ": call it with float arguments (cast to float)"
                : ": call it with double arguments (write integer literals as 2.0, or cast to double)");
        }

        if (arguments.Any(a => a.NameColon is not null || a.RefKindKeyword != default(SyntaxToken)))
        {
            return Report(frame, invocation, $"Named or ref arguments to {mathClass} functions", ": pass the arguments in order");
        }

        // Math.Log(a, newBase) = ln a / ln newBase.
        if (method.Name == "Log" && arguments.Count == 2)
        {
            var value = ParseExpression(frame, arguments[0].Expression);
            var newBase = ParseExpression(frame, arguments[1].Expression);
            return Combine(Operation.Divide, Combine(Operation.Log, value, Invalid), Combine(Operation.Log, newBase, Invalid));
        }

        if (!SupportedFunctions.Math.TryGetValue((method.Name, arguments.Count), out var operation))
        {
            return Report(frame, invocation, $"'{mathClass}.{method.Name}'", SupportedFunctions.AdviceFor(method.Name));
        }

        if (operation.IsPiecewise())
        {
            var kink = operation switch
            {
                Operation.Abs => "0",
                Operation.Clamp => "the bounds",
                _ => "a tie",
            };
            ReportPiecewise(frame, invocation, $"'{mathClass}.{method.Name}'", kink);
        }

        var operands = arguments.Select(a => ParseExpression(frame, a.Expression)).ToArray();
        return Combine(
            operation,
            operands[0],
            operands.Length > 1 ? operands[1] : Invalid,
            operands.Length > 2 ? operands[2] : Invalid);
    }

    /// <summary>Differentiates through a call to another objective by parsing its body with the arguments bound to its parameters.</summary>
    private int InlineObjective(Frame frame, InvocationExpressionSyntax invocation, IMethodSymbol callee)
    {
        // A partial objective is read from the part with the body, whichever part has the attribute.
        var definition = WithBody(callee);
        if (_callStack.Contains(definition, SymbolEqualityComparer.Default))
        {
            // The cycle, from the first call of this objective to this one: "A → B → A".
            var cycle = string.Join(" → ", _callStack.Reverse()
                .SkipWhile(m => !SymbolEqualityComparer.Default.Equals(m, definition))
                .Select(m => m.Name).Concat(new[] { callee.Name }));
            if (frame.IsInlined)
            {
                _recursion ??= cycle; // reported at the outermost call, which the user sees
            }

            return Report(frame, invocation, $"The recursive call to objective '{callee.Name}' ({cycle})", ": objectives are inlined, so they cannot call themselves, directly or through other objectives");
        }

        if (IsInGenericType(definition) && !SymbolEqualityComparer.Default.Equals(definition.ContainingType, _objectiveType))
        {
            return Report(frame, invocation, $"The call to objective '{callee.Name}' of generic type '{callee.ContainingType.Name}'", ": objectives of generic types can only be inlined into objectives of the same type; move it to a non-generic type");
        }

        var syntax = definition.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(_cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);

        var validShape = syntax is not null && definition.IsStatic && !definition.IsGenericMethod
            && definition.ReturnType.SpecialType == ElementSpecialType
            && definition.Parameters.All(p => p.RefKind == RefKind.None
                && (p.Type.SpecialType == ElementSpecialType || (IsElementSpan(p.Type) && ObjectiveParser.LengthOf(p, out _) is >= 1)));
        if (!validShape)
        {
            return Report(frame, invocation, $"The call to objective '{callee.Name}'", $": '{callee.Name}' is not a valid objective (see its own errors)");
        }

        var bound = new Dictionary<IParameterSymbol, int>(SymbolEqualityComparer.Default);
        var boundVectors = new Dictionary<IParameterSymbol, VectorValue>(SymbolEqualityComparer.Default);
        var arguments = invocation.ArgumentList.Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            var parameter = argument.NameColon is { } nameColon
                ? definition.Parameters.FirstOrDefault(p => p.Name == nameColon.Name.Identifier.ValueText)
                : i < definition.Parameters.Length ? definition.Parameters[i] : null;
            if (parameter is null)
            {
                return Unexplained(frame, argument, $"The argument '{argument}'", $": '{callee.Name}' has no such parameter");
            }

            if (IsElementSpan(parameter.Type))
            {
                var length = ObjectiveParser.LengthOf(parameter, out _)!.Value;
                if (BindVector(frame, argument.Expression, callee.Name, parameter.Name, length) is not { } vector)
                {
                    return Invalid;
                }

                boundVectors[parameter] = vector;
                continue;
            }

            bound[parameter] = ParseExpression(frame, argument.Expression);
        }

        foreach (var parameter in definition.Parameters.Where(p => !bound.ContainsKey(p) && !boundVectors.ContainsKey(p)))
        {
            if (!parameter.HasExplicitDefaultValue)
            {
                return Unexplained(frame, invocation, $"The call to '{callee.Name}'", $": it passes no value for '{parameter.Name}'");
            }

            bound[parameter] = _builder.Constant(Convert.ToDouble(parameter.ExplicitDefaultValue, CultureInfo.InvariantCulture));
        }

        if (bound.Values.Contains(Invalid))
        {
            return Invalid;
        }

        var key = (definition, string.Join(",", definition.Parameters.Select(p => bound.TryGetValue(p, out var node)
            ? node.ToString(CultureInfo.InvariantCulture)
            : "[" + string.Join(",", boundVectors[p].Elements().Select(e => e.ToString(CultureInfo.InvariantCulture))) + "]")));
        if (!_inlined.TryGetValue(key, out var result))
        {
            result = ParseCallee(frame, definition, syntax!, bound, boundVectors);
            _inlined[key] = result;
        }

        if (_tooLarge)
        {
            frame.Failed = true;
            return Invalid;
        }

        if (result == Invalid)
        {
            if (_recursion is { } recursion)
            {
                if (!frame.IsInlined)
                {
                    _recursion = null;
                }

                return Report(frame, invocation, $"The call to objective '{callee.Name}'", $": it is recursive ({recursion}); objectives are inlined, so they cannot call themselves, directly or through other objectives");
            }

            return Report(frame, invocation, $"The call to objective '{callee.Name}'", $": '{callee.Name}' cannot be differentiated (see its own errors)");
        }

        return result;
    }

    /// <summary>The part of a (possibly partial) method that has its body, as declared (not constructed).</summary>
    private static IMethodSymbol WithBody(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        return definition.PartialImplementationPart ?? definition;
    }

    /// <summary>The node of a callee's value with its parameters bound to <paramref name="bound"/>, or <see cref="Invalid"/>.</summary>
    private int ParseCallee(
        Frame frame,
        IMethodSymbol definition,
        MethodDeclarationSyntax syntax,
        Dictionary<IParameterSymbol, int> bound,
        Dictionary<IParameterSymbol, VectorValue> boundVectors)
    {
        var calleeModel = ModelOf(frame, syntax.SyntaxTree);
        var calleeFrame = new Frame(calleeModel, bound, isInlined: true);
        foreach (var pair in boundVectors)
        {
            calleeFrame.VectorParameters[pair.Key] = pair.Value;
        }

        _callStack.Push(definition);
        var result = ParseMethodBody(calleeFrame, syntax);
        _callStack.Pop();
        return calleeFrame.Failed ? Invalid : result;
    }

    /// <summary>One semantic model per syntax tree: a model binds each method body once.</summary>
    private SemanticModel ModelOf(Frame frame, SyntaxTree tree)
    {
        if (tree == frame.Model.SyntaxTree)
        {
            return frame.Model;
        }

        if (!_models.TryGetValue(tree, out var model))
        {
            model = frame.Model.Compilation.GetSemanticModel(tree);
            _models[tree] = model;
        }

        return model;
    }

    /// <summary>Compares inlining keys: the callee by symbol, the argument nodes by text.</summary>
    private sealed class InlineKeyComparer : IEqualityComparer<(IMethodSymbol Callee, string Arguments)>
    {
        public bool Equals((IMethodSymbol Callee, string Arguments) x, (IMethodSymbol Callee, string Arguments) y)
            => SymbolEqualityComparer.Default.Equals(x.Callee, y.Callee) && string.Equals(x.Arguments, y.Arguments, StringComparison.Ordinal);

        public int GetHashCode((IMethodSymbol Callee, string Arguments) key)
            => (SymbolEqualityComparer.Default.GetHashCode(key.Callee) * 397) ^ StringComparer.Ordinal.GetHashCode(key.Arguments);
    }

    /// <summary>Whether the thread has stack left for another level (an IDE's analyzer host may give little).</summary>
    private static bool HasSufficientStack()
    {
        try
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            return true;
        }
        catch (InsufficientExecutionStackException)
        {
            return false;
        }
    }

    private static bool IsInGenericType(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    private static Operation? BinaryOperation(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddExpression => Operation.Add,
        SyntaxKind.SubtractExpression => Operation.Subtract,
        SyntaxKind.MultiplyExpression => Operation.Multiply,
        SyntaxKind.DivideExpression => Operation.Divide,
        SyntaxKind.LessThanExpression => Operation.Less,
        SyntaxKind.LessThanOrEqualExpression => Operation.LessOrEqual,
        SyntaxKind.GreaterThanExpression => Operation.Greater,
        SyntaxKind.GreaterThanOrEqualExpression => Operation.GreaterOrEqual,
        SyntaxKind.EqualsExpression => Operation.Equal,
        SyntaxKind.NotEqualsExpression => Operation.NotEqual,
        SyntaxKind.LogicalAndExpression => Operation.And,
        SyntaxKind.LogicalOrExpression => Operation.Or,
        _ => null,
    };

    /// <summary>Whether the expression has the objective's number type (double, or float in a float objective).</summary>
    private bool IsElementValued(SemanticModel model, ExpressionSyntax expression) => HasType(model, expression, ElementSpecialType);

    private bool HasType(SemanticModel model, ExpressionSyntax expression, SpecialType expected)
    {
        var info = model.GetTypeInfo(expression, _cancellationToken);
        if (info.Type?.SpecialType == expected)
        {
            return true;
        }

        // An integer constant used as a double (2 in 'x * 2') is fine, and so is a compile-time integer
        // ('w[i] * i', read by ParseInteger); any other int is not.
        return expected == ElementSpecialType
            && info.ConvertedType?.SpecialType == ElementSpecialType
            && (model.GetConstantValue(expression, _cancellationToken).HasValue || info.Type?.SpecialType == SpecialType.System_Int32);
    }

    /// <summary>What to call in a float objective instead of <c>Math.{name}</c>: MathF's method, or for Clamp, which MathF lacks, Min and Max.</summary>
    private static string MathFAdvice(string name) => name == "Clamp"
        ? "write MathF.Min(MathF.Max(x, lo), hi)"
        : $"call MathF.{name}";

    /// <summary>
    /// In a float objective, OPTDSL001 at the double value inside <paramref name="expression"/> that makes it double (a
    /// <c>Math</c> call, a double literal, a double cast), found by descending through the operators whose result it
    /// makes double; false (nothing reported) in a double objective, or when no operand is double.
    /// </summary>
    private bool ReportDoubleInFloat(Frame frame, ExpressionSyntax expression)
    {
        if (_element != ElementType.Float)
        {
            return false;
        }

        var model = frame.Model;
        bool IsDoubleValued(ExpressionSyntax e) => model.GetTypeInfo(e, _cancellationToken).Type?.SpecialType == SpecialType.System_Double;
        ExpressionSyntax? DoubleOperand(ExpressionSyntax e) => Unparenthesized(e) switch
        {
            BinaryExpressionSyntax binary => new[] { binary.Left, binary.Right }.Select(Unparenthesized).FirstOrDefault(IsDoubleValued),
            CastExpressionSyntax cast => IsDoubleValued(cast.Expression) ? Unparenthesized(cast.Expression) : null,
            PrefixUnaryExpressionSyntax unary => IsDoubleValued(unary.Operand) ? Unparenthesized(unary.Operand) : null,
            ConditionalExpressionSyntax conditional => new[] { conditional.WhenTrue, conditional.WhenFalse }.Select(Unparenthesized).FirstOrDefault(IsDoubleValued),
            _ => null,
        };

        var culprit = Unparenthesized(expression);
        while (DoubleOperand(culprit) is { } inner && IsDoubleValued(inner))
        {
            culprit = inner;
        }

        if (!IsDoubleValued(culprit) || HasCompilerError(frame, culprit))
        {
            return false;
        }

        var (construct, advice) = culprit switch
        {
            InvocationExpressionSyntax when model.GetSymbolInfo(culprit, _cancellationToken).Symbol is IMethodSymbol { Name: var name } method
                    && (KnownNames.IsSystemMath(method.ContainingType) || method.ContainingType.SpecialType == SpecialType.System_Double)
                => ($"'{(method.ContainingType.SpecialType == SpecialType.System_Double ? "double" : "Math")}.{name}' in a float objective", $": it computes in double; {MathFAdvice(name)}"),
            LiteralExpressionSyntax literal
                => ($"The double literal '{literal}' in a float objective", $": write {literal.Token.Text.TrimEnd('d', 'D')}f"),
            _ when model.GetConstantValue(culprit, _cancellationToken).HasValue
                => ($"The double constant '{culprit}' in a float objective", $": cast it, '(float){culprit}'"),
            _ => ($"The double value '{culprit}' in a float objective", ": a float objective computes in float throughout (README, Float objectives)"),
        };
        Report(frame, culprit, construct, advice);
        return true;
    }

    private void ReportPiecewise(Frame frame, SyntaxNode at, string construct, string kink)
    {
        if (!frame.IsInlined)
        {
            AddOnce(Diagnostic.Create(DiagnosticDescriptors.NotDifferentiableEverywhere, at.GetLocation(), construct, kink));
        }
    }

    private int ReportStatement(Frame frame, StatementSyntax statement)
    {
        var (construct, advice) = statement switch
        {
            IfStatementSyntax => ("An 'if' statement", ": write a conditional expression 'c ? a : b' instead"),
            ForEachStatementSyntax => ("A 'foreach' loop", LoopAdvice),
            WhileStatementSyntax => ("A 'while' loop", LoopAdvice),
            DoStatementSyntax => ("A 'do' loop", LoopAdvice),
            SwitchStatementSyntax => ("A 'switch' statement", ": write a conditional expression 'c ? a : b' instead"),
            TryStatementSyntax => ("A 'try' statement", string.Empty),
            ThrowStatementSyntax => ("A 'throw' statement", string.Empty),
            LocalFunctionStatementSyntax => ("A local function", ": make it a static method marked [Objective]"),
            _ => ($"A '{statement.Kind()}'", string.Empty),
        };
        return Report(frame, statement, construct, advice, statement.GetFirstToken().GetLocation());
    }

    private int ReportExpression(Frame frame, ExpressionSyntax expression)
    {
        var (construct, advice) = expression switch
        {
            BinaryExpressionSyntax binary => ($"The '{binary.OperatorToken.Text}' operator", binary.IsKind(SyntaxKind.ModuloExpression) ? ": the remainder is not supported" : string.Empty),
            AssignmentExpressionSyntax => ("An assignment inside an expression", ": assign in a statement of its own"),
            ElementAccessExpressionSyntax => ("Indexing", ": index a [Length(N)] parameter, a local vector or a slice of one with a compile-time integer"),
            ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax => ("Creating an object", string.Empty),
            LambdaExpressionSyntax or AnonymousMethodExpressionSyntax => ("A lambda", string.Empty),
            InterpolatedStringExpressionSyntax or LiteralExpressionSyntax => ($"The literal '{expression}'", string.Empty),
            SwitchExpressionSyntax => ("A switch expression", ": write a conditional expression 'c ? a : b' instead"),
            IsPatternExpressionSyntax => ("A pattern", ": compare with <, <=, >, >=, == or !="),
            PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax => ($"The '{expression}' operator", ": increment a local in a statement of its own"),
            ConditionalExpressionSyntax => ($"A conditional expression that is not a {ElementKeyword}", string.Empty),
            CastExpressionSyntax => ($"The cast '{expression}'", $": an objective computes with {ElementKeyword} values"),
            _ => ($"'{expression}'", string.Empty),
        };
        return Report(frame, expression, construct, advice);
    }

    /// <summary>
    /// A construct the parser cannot read where the compiler is expected to report an error (an
    /// unresolved name, a read before assignment, a bool where a double belongs). It fails the
    /// objective like <see cref="Report"/>; <see cref="ExplainSilentFailures"/> then reports OPTDSL001
    /// at it unless the compiler does report an error there, so an objective is never left
    /// ungenerated without a diagnostic saying why.
    /// </summary>
    private int Unexplained(Frame frame, SyntaxNode at, string construct, string advice)
    {
        frame.Failed = true;
        if (!frame.IsInlined)
        {
            _unexplained.Add(new UnexplainedConstruct(frame.Model, at, construct, advice));
        }

        return Invalid;
    }

    private readonly record struct UnexplainedConstruct(SemanticModel Model, SyntaxNode At, string Construct, string Advice);

    /// <summary>OPTDSL001 for every <see cref="Unexplained"/> construct at which the compiler reports no error.</summary>
    private void ExplainSilentFailures()
    {
        foreach (var construct in _unexplained)
        {
            var compilerErrors = construct.Model.GetDiagnostics(construct.At.Span, _cancellationToken)
                .Any(d => d.Severity == DiagnosticSeverity.Error);
            if (!compilerErrors)
            {
                AddOnce(Diagnostic.Create(DiagnosticDescriptors.UnsupportedConstruct, construct.At.GetLocation(), construct.Construct, construct.Advice));
            }
        }

        _unexplained.Clear();
    }

    private int Report(Frame frame, SyntaxNode at, string construct, string advice, Location? location = null)
    {
        frame.Failed = true;
        // Where the compiler reports an error (an unknown name, say), its error explains the construct: an
        // OPTDSL001 about the error type ('??') would only repeat it.
        if (!frame.IsInlined && !HasCompilerError(frame, at))
        {
            AddOnce(Diagnostic.Create(DiagnosticDescriptors.UnsupportedConstruct, location ?? at.GetLocation(), construct, advice));
        }

        return Invalid;
    }

    /// <summary>
    /// Whether <paramref name="at"/> or one of its operands has a type the compiler could not bind (its error, made there
    /// or elsewhere, explains it), or the compiler reports an error inside it. Only the node and its direct children are
    /// looked at: a report is made where a construct fails, and a deep walk per report would cost time quadratic in the
    /// size of a long expression.
    /// </summary>
    private bool HasCompilerError(Frame frame, SyntaxNode at)
        => new[] { at }.Concat(at.ChildNodes()).OfType<ExpressionSyntax>()
                .Any(e => frame.Model.GetTypeInfo(e, _cancellationToken).Type is { TypeKind: TypeKind.Error })
            || (at.Span.Length < 2000 && frame.Model.GetDiagnostics(at.Span, _cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error));

    /// <summary>OPTDSL008 at <paramref name="at"/>: an index, slice or length outside a vector's bounds.</summary>
    private int ReportLength(Frame frame, SyntaxNode at, string problem)
    {
        frame.Failed = true;
        if (!frame.IsInlined)
        {
            AddOnce(Diagnostic.Create(DiagnosticDescriptors.VectorLength, at.GetLocation(), problem));
        }

        return Invalid;
    }

    /// <summary>
    /// Adds a diagnostic unless one with its id is already at its place: a loop's body is read once per
    /// iteration, and a construct in it is reported once.
    /// </summary>
    private void AddOnce(Diagnostic diagnostic)
    {
        var key = (diagnostic.Id, diagnostic.Location.SourceTree?.FilePath, diagnostic.Location.SourceSpan);
        if (_reported.Add(key))
        {
            _reportedOrder.Add(key);
            _diagnostics.Add(diagnostic);
        }
    }

    private readonly List<(string Id, string? Path, Microsoft.CodeAnalysis.Text.TextSpan Span)> _reportedOrder = new();

    private readonly HashSet<(string Id, string? Path, Microsoft.CodeAnalysis.Text.TextSpan Span)> _reported = new();
}
