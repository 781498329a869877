using System.Collections.Generic;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Expressions;

/// <summary>
/// Builds an <see cref="ExpressionGraph"/>. Every node is simplified by <see cref="Simplifier"/> and
/// then hash-consed: building a node equal to an existing one returns the existing id, which is what
/// makes common subexpressions shared (CSE) by construction.
/// </summary>
internal sealed class ExpressionBuilder
{
    private readonly List<ExpressionNode> _nodes = new();
    private readonly Dictionary<ExpressionNode, int> _ids = new();

    /// <summary>An empty graph whose values are of type <paramref name="element"/>.</summary>
    public ExpressionBuilder(ElementType element = ElementType.Double)
    {
        Element = element;
    }

    /// <summary>Starts from an existing graph; its node ids stay valid.</summary>
    public ExpressionBuilder(ExpressionGraph graph)
    {
        Element = graph.Element;
        foreach (var node in graph.Nodes)
        {
            Intern(node);
        }
    }

    public ExpressionNode this[int id] => _nodes[id];

    public int Count => _nodes.Count;

    /// <summary>The type of every value of the graph.</summary>
    public ElementType Element { get; }

    public ExpressionGraph ToGraph() => new(_nodes.ToEquatableArray(), Element);

    /// <summary>
    /// The constant <paramref name="value"/>, rounded to the element type: a float graph's constants (a derivative rule's
    /// ln 10, a folded sum) are the floats its code computes with.
    /// </summary>
    public int Constant(double value) => Intern(ExpressionNode.Constant(Element.Round(value)));

    public int Zero => Constant(0);

    public int One => Constant(1);

    public int Parameter(int index, string name) => Intern(ExpressionNode.Parameter(index, name));

    public int Data(int index, string name) => Intern(ExpressionNode.Data(index, name));

    public int Field(string fullyQualifiedName) => Intern(ExpressionNode.Field(fullyQualifiedName));

    public int Iteration(int loop) => Intern(ExpressionNode.Iteration(loop));

    public int ParameterAt(int loop, int index, int stride, string name) => Intern(ExpressionNode.ParameterAt(loop, index, stride, name));

    public int DataAt(int loop, int index, int stride, string name) => Intern(ExpressionNode.DataAt(loop, index, stride, name));

    public int LoopSum(int loop, int output) => Intern(ExpressionNode.LoopSum(loop, output));

    public int SumAdjoint(int loop, int output) => Intern(ExpressionNode.SumAdjoint(loop, output));

    public int MapValue(int mapLoop, int output, int iteration, string name) => Intern(ExpressionNode.MapValue(mapLoop, output, iteration, name));

    public int MapAt(int loop, int mapLoop, int output, int iteration, int stride, string name) => Intern(ExpressionNode.MapAt(loop, mapLoop, output, iteration, stride, name));

    public int MapAdjoint(int mapLoop, int output, string name) => Intern(ExpressionNode.MapAdjoint(mapLoop, output, name));

    public int Negate(int operand) => Apply(Operation.Negate, operand);

    public int Add(int left, int right) => Apply(Operation.Add, left, right);

    public int Subtract(int left, int right) => Apply(Operation.Subtract, left, right);

    public int Multiply(int left, int right) => Apply(Operation.Multiply, left, right);

    public int Divide(int left, int right) => Apply(Operation.Divide, left, right);

    public int Conditional(int condition, int whenTrue, int whenFalse)
        => Apply(Operation.Conditional, condition, whenTrue, whenFalse);

    /// <summary>Builds <paramref name="operation"/> over the given operands, simplified and shared.</summary>
    public int Apply(Operation operation, int first = -1, int second = -1, int third = -1)
    {
        // Commutative operations get a canonical operand order (constants first, then by id) so that
        // x*y and y*x are one node. IEEE addition and multiplication are commutative, so this is exact.
        if (operation.IsCommutative() && ShouldSwap(first, second))
        {
            (first, second) = (second, first);
        }

        return Simplifier.TrySimplify(this, operation, first, second, third)
            ?? Intern(new ExpressionNode(operation, first, second, third));
    }

    private bool ShouldSwap(int first, int second)
    {
        var firstIsConstant = _nodes[first].IsConstant;
        var secondIsConstant = _nodes[second].IsConstant;
        return firstIsConstant == secondIsConstant ? first > second : secondIsConstant;
    }

    private int Intern(ExpressionNode node)
    {
        if (!_ids.TryGetValue(node, out var id))
        {
            id = _nodes.Count;
            _nodes.Add(node);
            _ids.Add(node, id);
        }

        return id;
    }
}
