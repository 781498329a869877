using System;
using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Writes the value-and-gradient methods of README, What is generated: the named overload (an <c>out</c>
/// parameter per scalar, a span per vector), which holds the straight-line adjoint code, and the span
/// overloads, which run the same code through a private core over contiguous values.
/// </summary>
internal static class GradientEmitter
{
    private const int MaxCommentLength = 160;

    /// <summary>The most partial derivatives the file's opening comment shows.</summary>
    private const int MaxCommentDerivatives = 24;

    public const string ArgumentChecks = "global::OptimDsl.ArgumentChecks";

    /// <summary>The gradient span of an objective: <c>Span&lt;double&gt;</c>, or <c>Span&lt;float&gt;</c> for a float objective.</summary>
    private static string SpanOf(ObjectiveModel objective) => $"global::System.Span<{objective.Element.Keyword()}>";
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    public static void Emit(SourceWriter writer, GradientModel model)
    {
        var objective = model.Objective;
        EmitParameterCount(writer, objective);
        if (HasNamedOverload(objective))
        {
            EmitNamedOverload(writer, model);
            writer.WriteLine();
        }

        if (objective.Parameters.Any(p => p.IsData))
        {
            DataGradientEmitter.Emit(writer, model);
            writer.WriteLine();
            EmitSampleCore(writer, model);
        }
        else
        {
            EmitSpanOverload(writer, objective);
            writer.WriteLine();
            EmitCore(writer, model, byValue: false);
            if (HasVectorCore(model))
            {
                writer.WriteLine();
                EmitCore(writer, model, byValue: true);
            }
        }
    }

    /// <summary>
    /// Whether the objective gets the core overload that takes θ by value as one vector, <c>MGradient(Vector128&lt;double&gt;
    /// parameters, ref double gradient)</c>: θ is one vector (<see cref="SingleChunkWidth"/>), the body has no rolled loop,
    /// and a first-order optimizer's <c>Minimize</c> runs in registers with it (README, Performance).
    /// </summary>
    public static bool HasVectorCore(GradientModel model)
        => SingleChunkWidth(model.Objective) > 0 && !model.IsRolled && model.Objective.Optimizers.Any(o => o.Definition.IsFirstOrder);

    /// <summary>
    /// Whether the named overload is generated: not where it would have the parameter types of the flat or
    /// data overload (one trained vector and nothing else, or with data vectors only; README, What is generated).
    /// </summary>
    public static bool HasNamedOverload(ObjectiveModel objective)
    {
        var named = objective.Parameters.Select(p => p.IsVector ? "ReadOnlySpan" : "double")
            .Concat(objective.Trained().Select(p => p.IsVector ? "Span" : "out double"));
        var flat = new[] { "ReadOnlySpan" }.Concat(objective.DataParameters().Select(_ => "ReadOnlySpan")).Concat(new[] { "Span" });
        return !named.SequenceEqual(flat);
    }

    /// <summary><c>const int MParameterCount</c>: the number of trained values, the length of every flat span.</summary>
    private static void EmitParameterCount(SourceWriter writer, ObjectiveModel objective)
    {
        writer.WriteLine($"/// <summary>The number of trained values of <see cref=\"{Cref(objective)}\"/> ({Names(objective.Trained())}): the length of its flat parameter and gradient spans.</summary>");
        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        writer.WriteLine($"{objective.Accessibility} const int {Naming.ParameterCount(objective.MethodName)} = {objective.TrainedCount()};");
        writer.WriteLine();
    }

    /// <summary>The parameters' names in declaration order, a vector with its length: <c>w[10], b</c>.</summary>
    public static string Names(IEnumerable<ParameterModel> parameters)
        => string.Join(", ", parameters.Select(p => p.IsVector ? $"{p.Name}[{p.Length}]" : p.Name));

    /// <summary>The comment at the top of the generated file: the objective and its derivatives.</summary>
    public static void EmitDerivationComment(SourceWriter writer, GradientModel model)
    {
        var objective = model.Objective;
        writer.WriteLine($"// Objective {objective.MethodName}({string.Join(", ", objective.Parameters.Select(p => (p.IsData ? "[Data] " : string.Empty) + (p.IsVector ? $"{p.Name}[{p.Length}]" : p.Name)))}):");
        foreach (var line in objective.SourceLines)
        {
            writer.WriteLine(("//     " + line).TrimEnd());
        }

        writer.WriteLine("//");
        writer.WriteLine("// Its derivatives, computed symbolically at compile time (before sharing subexpressions):");
        var values = objective.TrainedValues();
        var data = objective.DataValues();
        // A map's value as its loop computes it, by the buffer that keeps it: h[t].
        var mapValues = new Dictionary<int, string>();
        foreach (var loop in objective.Loops)
        {
            for (var k = 0; k < loop.Maps.Count; k++)
            {
                mapValues[loop.Maps[k]] = Naming.Identifier(loop.MapNames[k]) + "[t]";
            }
        }

        string? NameOf(int id)
        {
            if (mapValues.TryGetValue(id, out var map))
            {
                return map;
            }

            // A rolled loop's leaf by its own vector's index: u[2t + 3], not θ's.
            var node = model.Graph[id];
            if (node.Operation is Operation.LoopSum or Operation.SumAdjoint)
            {
                // Σs: the sum the loop adds to s; ∂Σs: the value's derivative by it.
                return (node.Operation == Operation.LoopSum ? "Σ" : "∂Σ") + objective.Loops[node.Loop].Names[node.Index];
            }

            var parameter = node.Operation switch
            {
                Operation.ParameterAt => values[node.Index].Parameter,
                Operation.DataAt => data[node.Index].Parameter,
                _ => default,
            };
            return parameter.Name is null ? null : $"{Naming.Identifier(parameter.Name)}[{RolledCode.Index(node.Stride, "t", node.Index - parameter.Offset)}]";
        }

        var printer = new ExpressionPrinter(model.Graph, NameOf, qualified: false);
        var shown = 0;
        var tooLong = 0;
        foreach (var (parameter, element) in values)
        {
            var gradient = model.Gradient[parameter.Offset + element];
            if (model.IsRolled && model.Graph[gradient].IsConstantValue(0))
            {
                continue; // the loops' terms follow
            }

            if (shown++ == MaxCommentDerivatives)
            {
                writer.WriteLine("//     … and more (see the adjoint sweep below).");
                break;
            }

            if (printer.TryPrint(gradient, MaxCommentLength) is not { } text)
            {
                tooLong++;
                continue;
            }

            writer.WriteLine($"//     ∂{objective.MethodName}/∂{parameter.ElementName(element)} {(model.IsRolled ? "+=" : "=")} {text}");
        }

        if (tooLong > 0)
        {
            writer.WriteLine($"//     ({GradientEmitter.Count(tooLong, "derivative")} too long to show here: see the adjoint sweep below.)");
        }

        foreach (var term in model.MapAdjoints.Take(MaxCommentDerivatives))
        {
            var text = printer.TryPrint(term.Adjoint, MaxCommentLength) ?? "(too long to show here)";
            writer.WriteLine($"//     ∂{objective.MethodName}/∂{printer.TryPrint(term.Leaf, MaxCommentLength)} += {text} (a map's value, read after its loop)");
        }

        for (var l = model.Loops.Count - 1; l >= 0; l--)
        {
            var loop = model.Loops[l];
            var count = objective.Loops[l].Count;
            foreach (var term in loop.Scatters.Concat(loop.FixedValues).Take(MaxCommentDerivatives))
            {
                var leaf = model.Graph[term.Leaf];
                var name = leaf.Operation == Operation.Parameter ? leaf.Name : NameOf(term.Leaf) ?? printer.TryPrint(term.Leaf, MaxCommentLength);
                var text = printer.TryPrint(term.Adjoint, MaxCommentLength) ?? "(too long to show here)";
                writer.WriteLine($"//     ∂{objective.MethodName}/∂{name} += {text}, for t = 0 … {count - 1} (rolled loop {l + 1})");
            }
        }
    }

    /// <summary>The named overload: the user's parameters, then per trained parameter an <c>out double</c> or a <c>Span&lt;double&gt;</c>.</summary>
    private static void EmitNamedOverload(SourceWriter writer, GradientModel model)
    {
        var objective = model.Objective;
        var trainable = objective.Trained();
        var number = objective.Element.Keyword();
        var signature = string.Join(", ", objective.Parameters.Select(p => p.Type + " " + Naming.Identifier(p.Name))
            .Concat(trainable.Select(p => (p.IsVector ? SpanOf(objective) : "out " + number) + " " + Naming.Identifier(p.GradientName))));

        writer.WriteLine($"/// <summary>The value of <see cref=\"{Cref(objective)}\"/> and its gradient, computed in one forward pass and one adjoint sweep.</summary>");
        foreach (var parameter in objective.Parameters)
        {
            var what = parameter.IsVector
                ? (parameter.IsData ? $"A sample's {parameter.Length} values of" : $"The {parameter.Length} values of parameter")
                : (parameter.IsData ? "A sample's value of" : "The value of parameter");
            writer.WriteLine($"/// <param name=\"{parameter.Name}\">{what} {parameter.Name}.</param>");
        }

        foreach (var parameter in trainable)
        {
            writer.WriteLine(parameter.IsVector
                ? $"/// <param name=\"{parameter.GradientName}\">Receives ∂{Xml(objective.MethodName)}/∂{parameter.Name}, {Count(parameter.Length, "value")}.</param>"
                : $"/// <param name=\"{parameter.GradientName}\">∂{Xml(objective.MethodName)}/∂{parameter.Name}.</param>");
        }

        writer.WriteLine($"/// <returns>The value of {Xml(objective.MethodName)}.</returns>");
        if (objective.HasVectors())
        {
            writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span does not have its parameter's length.</exception>");
        }

        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        using (writer.Block($"{objective.Accessibility} static {number} {Naming.GradientMethod(objective.MethodName)}({signature})"))
        {
            foreach (var vector in objective.Parameters.Where(p => p.IsVector))
            {
                writer.WriteLine($"{ArgumentChecks}.ParameterCount({Naming.Identifier(vector.Name)}.Length, {vector.Length}, \"{vector.Name}\", \"{vector.Name}\");");
            }

            foreach (var vector in trainable.Where(p => p.IsVector))
            {
                writer.WriteLine($"{ArgumentChecks}.ParameterCount({vector.GradientName}.Length, {vector.Length}, \"{vector.GradientName}\", \"{vector.GradientName}\");");
            }

            var scope = new NameScope(objective.Parameters.Select(p => p.Name).Concat(trainable.Select(p => p.GradientName)));
            if (model.IsRolled)
            {
                writer.WriteLine($"return {RolledCode.Write(writer, model, scope, new NamedAccess(objective))};");
                return;
            }

            var code = WriteSweeps(writer, model, scope);
            foreach (var (parameter, element) in objective.TrainedValues())
            {
                var target = parameter.IsVector ? $"{Naming.Identifier(parameter.GradientName)}[{element}]" : Naming.Identifier(parameter.GradientName);
                writer.WriteLine($"{target} = {code.Reference(model.Gradient[parameter.Offset + element])};");
            }

            writer.WriteLine($"return {code.Reference(model.Value)};");
        }
    }

    /// <summary>The value and the partial derivatives as straight-line code over the leaves, named by <paramref name="leafNames"/> (by default, as the user does: <c>w[3]</c>, <c>b</c>).</summary>
    private static StraightLineCode BuildCode(GradientModel model, NameScope scope, IReadOnlyDictionary<int, string>? leafNames = null)
    {
        if (leafNames is null)
        {
            var names = new Dictionary<int, string>();
            for (var id = 0; id < model.Graph.Count; id++)
            {
                var node = model.Graph[id];
                if (node.Operation is Operation.Parameter or Operation.Data)
                {
                    names[id] = Naming.Identifier(node.Name!);
                }
            }

            leafNames = names;
        }

        var outputs = new[] { model.Value }.Concat(model.Gradient).ToArray();
        return new StraightLineCode(model.Graph, outputs, leafNames, model.Objective.NameHints.Concat(model.AdjointNames), scope);
    }

    /// <summary>
    /// Writes the forward pass and the adjoint sweep as locals, over the parameters by their own
    /// names; returns the code that names the value and the partial derivatives.
    /// </summary>
    private static StraightLineCode WriteSweeps(SourceWriter writer, GradientModel model, NameScope scope)
    {
        var objective = model.Objective;
        var code = BuildCode(model, scope);
        var forward = code.Locals.Where(l => l.Node < objective.Body.Count).ToArray();
        var reverse = code.Locals.Where(l => l.Node >= objective.Body.Count).ToArray();
        if (forward.Length > 0)
        {
            writer.WriteLine("// Forward pass: the objective's shared subexpressions.");
            foreach (var local in forward)
            {
                writer.WriteLine($"{local.Type} {local.Name} = {code.Definition(local.Node)};");
            }

            writer.WriteLine();
        }

        if (reverse.Length > 0)
        {
            writer.WriteLine("// Adjoint sweep: ∂" + objective.MethodName + "/∂node for the shared nodes, from the result back to the parameters.");
            foreach (var local in reverse)
            {
                writer.WriteLine($"{local.Type} {local.Name} = {code.Definition(local.Node)};");
            }

            writer.WriteLine();
        }

        return code;
    }

    private static void EmitSpanOverload(SourceWriter writer, ObjectiveModel objective)
    {
        var trainable = objective.Trained();
        var n = objective.TrainedCount();
        writer.WriteLines($$"""
            /// <summary>
            /// The value of <see cref="{{Cref(objective)}}"/> and its gradient, with the parameters
            /// in declaration order: {{Names(trainable)}}.
            /// </summary>
            /// <param name="parameters">{{Count(n, "value")}}: {{Names(trainable)}}.</param>
            /// <param name="gradient">Receives the partial derivatives, {{Count(n, "value")}}.</param>
            /// <returns>The value of {{Xml(objective.MethodName)}}.</returns>
            /// <exception cref="global::System.ArgumentException">A span does not hold exactly {{Count(n, "value")}}.</exception>
            """);
        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        var number = objective.Element.Keyword();
        using (writer.Block($"{objective.Accessibility} static {number} {Naming.GradientMethod(objective.MethodName)}(global::System.ReadOnlySpan<{number}> parameters, {SpanOf(objective)} gradient)"))
        {
            EmitLengthChecks(writer, objective);
            writer.WriteLine($"return {CoreCall(objective, $"{MemoryMarshal}.GetReference(parameters)", $"{MemoryMarshal}.GetReference(gradient)")};");
        }
    }

    /// <summary>A call of the gradient core (see <see cref="EmitCore"/>) on the given <c>ref double</c> locations.</summary>
    public static string CoreCall(ObjectiveModel objective, string parameters, string gradient)
        => $"{objective.Location.FullyQualifiedTypeName}.{Naming.GradientMethod(objective.MethodName)}(ref {parameters}, ref {gradient})";

    /// <summary>
    /// A call of the per-sample core (see <see cref="EmitSampleCore"/>): <paramref name="data"/> gives, per data
    /// parameter in order, the argument (<c>ref</c> to the row's first value for a vector, the value for a scalar).
    /// </summary>
    public static string SampleCoreCall(ObjectiveModel objective, string parameters, IEnumerable<string> data, string gradient)
        => $"{objective.Location.FullyQualifiedTypeName}.{Naming.GradientMethod(objective.MethodName)}(ref {parameters}, {string.Concat(data.Select(d => d + ", "))}ref {gradient})";

    /// <summary>Local names for the leaves of the cores: a scalar's own name, <c>w3</c> for <c>w[3]</c>.</summary>
    private static Dictionary<int, string> CoreLeafNames(GradientModel model, NameScope scope)
    {
        var names = new Dictionary<int, string>();
        var objective = model.Objective;
        var trained = objective.TrainedValues();
        var data = objective.DataValues();
        for (var id = 0; id < model.Graph.Count; id++)
        {
            var node = model.Graph[id];
            var (parameter, element) = node.Operation switch
            {
                Operation.Parameter => trained[node.Index],
                Operation.Data => data[node.Index],
                _ => (default(ParameterModel), -1),
            };
            if (element < 0)
            {
                continue;
            }

            names[id] = parameter.IsVector ? scope.Reserve(parameter.ElementLocal(element)) : parameter.ElementLocal(element);
        }

        return names;
    }

    /// <summary>
    /// The private overload <c>MGradient(ref double parameters, ref double gradient)</c>: the named
    /// overload's body over n contiguous values, which the span overload and the optimizers call. It
    /// passes two references instead of 2n arguments (most of them on the stack for large n), and
    /// stores the gradient in the SIMD chunks the optimizers' updates load (see <see cref="VectorChunks"/>).
    /// </summary>
    /// <param name="byValue">
    /// The overload for the optimizers' <c>Minimize</c> in registers (see <see cref="HasVectorCore"/>): θ by value, each
    /// value read from the vector, so that the optimizer's copy of θ stays in a register; the span overload keeps the core
    /// that reads θ value by value, which a caller that has just written θ value by value reads without a stall.
    /// </param>
    private static void EmitCore(SourceWriter writer, GradientModel model, bool byValue)
    {
        var objective = model.Objective;
        var trainable = objective.Trained();
        var scope = new NameScope(trainable.Select(p => p.Name).Concat(trainable.Select(p => p.GradientName)));
        var parameters = scope.Reserve("parameters");
        var gradient = scope.Reserve("gradient");
        var n = objective.TrainedCount();
        var number = objective.Element.Keyword();

        var vectorType = $"global::System.Runtime.Intrinsics.Vector{(n == 2 ? "128" : "256")}";
        writer.WriteLines(byValue
            ? $$"""
            /// <summary>
            /// The core above with θ ({{Names(trainable)}}) by value, as one vector: what an optimizer's <c>Minimize</c> calls,
            /// keeping its copy of θ in a register (README, Performance).
            /// </summary>
            """
            : $$"""
            /// <summary>
            /// The value and gradient over contiguous values, for the span overload and the optimizers:
            /// reads {{Names(trainable)}} from <paramref name="{{parameters}}"/> on and writes the partial derivatives
            /// from <paramref name="{{gradient}}"/> on. The caller guarantees {{Count(n, "value")}} on each side.
            /// </summary>
            """);
        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        // Inlined where the caller's budget allows; otherwise compiled fully optimised on its first call,
        // not at tier 0, where a large gradient ran several times slower for the first seconds (issue 10).
        writer.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        using (writer.Block($"private static {number} {Naming.GradientMethod(objective.MethodName)}({(byValue ? vectorType + "<" + number + ">" : "ref " + number)} {parameters}, ref {number} {gradient})"))
        {
            if (model.IsRolled)
            {
                writer.WriteLine($"return {RolledCode.Write(writer, model, scope, new CoreAccess(objective, parameters, gradient, clears: true))};");
                return;
            }

            var leafNames = CoreLeafNames(model, scope);
            if (!byValue)
            {
                writer.WriteLine("// The named overload's locals, each computed just before its first use: the JIT keeps the");
                writer.WriteLine("// statement order, and a live value for every parameter would spill most of them for large n.");
            }

            var code = BuildCode(model, scope, leafNames);
            var schedule = new DemandOrder(model.Graph, code);
            void Define(int output)
            {
                foreach (var node in schedule.Take(output))
                {
                    var leaf = model.Graph[node];
                    writer.WriteLine(leaf.Operation == Operation.Parameter
                        ? $"{number} {leafNames[node]} = {(byValue ? $"{vectorType}.GetElement({parameters}, {leaf.Index})" : Element(parameters, leaf.Index))};"
                        : $"{code.TypeOf(node)} {code.Reference(node)} = {code.Definition(node)};");
                }
            }

            // Gradient chunks in the widths the optimizers' updates load them (see VectorChunks), each
            // stored as soon as it is complete.
            var values = objective.TrainedValues();
            foreach (var (width, offset) in VectorChunks.Plan(n, objective.Element))
            {
                var chunk = new List<string>();
                for (var k = offset; k < offset + width; k++)
                {
                    var (parameter, element) = values[k];
                    Define(model.Gradient[k]);
                    var name = parameter.IsVector ? scope.Reserve(parameter.GradientElementLocal(element)) : parameter.GradientElementLocal(element);
                    writer.WriteLine($"{number} {name} = {code.Reference(model.Gradient[k])};");
                    chunk.Add(name);
                }

                writer.WriteLine(width == 1
                    ? $"{Element(gradient, offset)} = {chunk[0]};"
                    : $"global::OptimDsl.GradientStore.Store{width}(ref {Element(gradient, offset)}, {string.Join(", ", chunk)});");
            }

            Define(model.Value);
            writer.WriteLine($"return {code.Reference(model.Value)};");
        }
    }

    /// <summary>
    /// The private overload <c>MGradient(ref double parameters, &lt;one sample&gt;, ref double gradient)</c> of an
    /// objective with data: one sample's loss, its gradient added to the n values from <c>gradient</c> on.
    /// The data overload's last samples and the optimizers' minibatches add their samples' gradients with it.
    /// A data vector is passed as a reference to its row's first value, a data scalar by value.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="model">The objective, or (for <c>[LevenbergMarquardt]</c>) one of its residuals as an objective that returns it.</param>
    /// <param name="residual">The residual's method name, or null for the objective's own core.</param>
    public static void EmitSampleCore(SourceWriter writer, GradientModel model, string? residual = null)
    {
        var objective = model.Objective;
        var scope = new NameScope(objective.Parameters.Select(p => p.Name));
        var parameters = scope.Reserve("parameters");
        var gradient = scope.Reserve("gradient");
        var data = objective.DataParameters();
        var dataValues = objective.DataValues();
        var n = objective.TrainedCount();
        var number = objective.Element.Keyword();
        var signature = string.Concat(data.Select(p => (p.IsVector ? $"ref {number} " : number + " ") + Naming.Identifier(p.Name) + ", "));

        writer.WriteLine("/// <summary>");
        writer.WriteLine(residual is null
            ? $"/// One sample's loss; adds its gradient to the {Count(n, "value")} from <paramref name=\"{gradient}\"/> on. Reads {Names(objective.Trained())}"
            : $"/// {(data.Length > 0 ? "One sample's value" : "The value")} of {Xml(residual)}, a residual of the sum of squares; adds its gradient (a row of the Jacobian) to the {Count(n, "value")} from <paramref name=\"{gradient}\"/> on. Reads {Names(objective.Trained())}");
        writer.WriteLine($"/// from <paramref name=\"{parameters}\"/> on{(data.Any(p => p.IsVector) ? ", and each data vector from its row's first value on" : string.Empty)}. The caller guarantees the lengths.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        writer.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        using (writer.Block($"private static {number} {residual ?? Naming.GradientMethod(objective.MethodName)}(ref {number} {parameters}, {signature}ref {number} {gradient})"))
        {
            if (model.IsRolled)
            {
                writer.WriteLine($"return {RolledCode.Write(writer, model, scope, new CoreAccess(objective, parameters, gradient, clears: false))};");
                return;
            }

            var leafNames = CoreLeafNames(model, scope);
            var code = BuildCode(model, scope, leafNames);
            var schedule = new DemandOrder(model.Graph, code);
            void Define(int output)
            {
                foreach (var node in schedule.Take(output))
                {
                    var leaf = model.Graph[node];
                    if (leaf.Operation == Operation.Parameter)
                    {
                        writer.WriteLine($"{number} {leafNames[node]} = {Element(parameters, leaf.Index)};");
                    }
                    else if (leaf.Operation == Operation.Data)
                    {
                        var (parameter, element) = dataValues[leaf.Index];
                        if (parameter.IsVector)
                        {
                            writer.WriteLine($"{number} {leafNames[node]} = {Element(Naming.Identifier(parameter.Name), element)};");
                        }
                    }
                    else
                    {
                        writer.WriteLine($"{code.TypeOf(node)} {code.Reference(node)} = {code.Definition(node)};");
                    }
                }
            }

            for (var k = 0; k < n; k++)
            {
                if (model.Graph[model.Gradient[k]].IsConstantValue(0))
                {
                    continue;
                }

                Define(model.Gradient[k]);
                writer.WriteLine($"{Element(gradient, k)} += {code.Reference(model.Gradient[k])};");
            }

            Define(model.Value);
            writer.WriteLine($"return {code.Reference(model.Value)};");
        }
    }

    /// <summary>
    /// 2 or 4 when a double objective without data has its trained values in exactly one chunk of <see cref="VectorChunks"/>,
    /// one <c>Vector128</c> or <c>Vector256</c>; else 0. Its first-order optimizers implement <c>IRegisterOptimizer</c>
    /// (README, Performance).
    /// </summary>
    public static int SingleChunkWidth(ObjectiveModel objective)
    {
        var n = objective.TrainedCount();
        return objective.Element == ElementType.Double && objective.DataParameters().Length == 0 && (n == 2 || n == 4) ? n : 0;
    }

    /// <summary>The double at <paramref name="offset"/> from a <c>ref double</c>.</summary>
    public static string Element(string reference, int offset)
        => offset == 0 ? reference : $"{Unsafe}.Add(ref {reference}, {offset})";

    /// <summary>
    /// The parameter and gradient spans hold one value per trained value: one call each of the
    /// runtime library's <c>OptimDsl.ArgumentChecks</c>, which builds the message only when it throws.
    /// </summary>
    public static void EmitLengthChecks(SourceWriter writer, ObjectiveModel objective, string gradient = "gradient")
    {
        var names = Literal(Names(objective.Trained()));
        foreach (var span in new[] { "parameters", gradient })
        {
            writer.WriteLine($"{ArgumentChecks}.ParameterCount({span}.Length, {objective.TrainedCount()}, {names}, \"{span}\");");
        }
    }

    /// <summary>
    /// Every data span non-empty and describing as many samples as the first, through
    /// <c>OptimDsl.ArgumentChecks</c>; returns the expression of the number of samples (a local
    /// <paramref name="samples"/> when the first data parameter is a vector, whose span holds rows).
    /// </summary>
    public static string EmitDataChecks(SourceWriter writer, ParameterModel[] data, string samples, bool allowEmpty = false)
    {
        string Samples(ParameterModel p) => p.IsVector
            ? $"{ArgumentChecks}.Rows({Naming.Identifier(p.Name)}.Length, {p.Length}, {Literal(p.Name)})"
            : $"{Naming.Identifier(p.Name)}.Length";
        var count = Samples(data[0]);
        if (data[0].IsVector)
        {
            writer.WriteLine($"int {samples} = {count};");
            count = samples;
        }

        var firstName = Literal(data[0].Name);
        if (!allowEmpty)
        {
            writer.WriteLine($"{ArgumentChecks}.NotEmpty({count}, {firstName});");
        }

        foreach (var other in data.Skip(1))
        {
            writer.WriteLine($"{ArgumentChecks}.SameSamples({count}, {firstName}, {Samples(other)}, {Literal(other.Name)});");
        }

        return count;
    }

    /// <summary>A C# string literal of a parameter's name or a list of names (identifier characters, brackets, digits, commas and spaces).</summary>
    private static string Literal(string text) => "\"" + text + "\"";

    /// <summary>"1 value", "3 values".</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static string Cref(ObjectiveModel objective)
        => $"{Naming.Identifier(objective.MethodName)}({string.Join(", ", objective.Parameters.Select(p => p.IsVector ? $"global::System.ReadOnlySpan{{{objective.Element.Keyword()}}}" : objective.Element.Keyword()))})";

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>How the cores read values through <c>ref double</c> and add to the gradient (README, Vectors and loops).</summary>
    private sealed class CoreAccess : RolledCode.Access
    {
        private readonly string _parameters;
        private readonly string _gradient;
        private readonly int _count;
        private readonly (ParameterModel Parameter, int Element)[] _data;
        private readonly bool _clears;

        public CoreAccess(ObjectiveModel objective, string parameters, string gradient, bool clears)
        {
            Objective = objective;
            _parameters = parameters;
            _gradient = gradient;
            _count = objective.TrainedCount();
            _data = objective.DataValues();
            _clears = clears;
        }

        public override string Fixed(ExpressionNode leaf)
        {
            if (leaf.Operation == Operation.Parameter)
            {
                return Element(_parameters, leaf.Index);
            }

            var (parameter, element) = _data[leaf.Index];
            return parameter.IsVector ? Element(Naming.Identifier(parameter.Name), element) : Naming.Identifier(parameter.Name);
        }

        public override string At(ExpressionNode leaf, string t)
        {
            if (leaf.Operation == Operation.ParameterAt)
            {
                return RolledCode.ElementAt(_parameters, leaf.Stride, t, leaf.Index);
            }

            var (parameter, _) = _data[leaf.Index];
            return RolledCode.ElementAt(Naming.Identifier(parameter.Name), leaf.Stride, t, leaf.Index - parameter.Offset);
        }

        public override string Add(int flat, string value) => $"{Element(_gradient, flat)} += {value};";

        public override string AddAt(ExpressionNode leaf, string t, string value) => $"{RolledCode.ElementAt(_gradient, leaf.Stride, t, leaf.Index)} += {value};";

        public override (string Reference, int Offset) ValuesOf(ExpressionNode leaf)
        {
            if (leaf.Operation == Operation.ParameterAt)
            {
                return (_parameters, leaf.Index);
            }

            var (parameter, _) = _data[leaf.Index];
            return (Naming.Identifier(parameter.Name), leaf.Index - parameter.Offset);
        }

        public override (string Reference, int Offset) GradientOf(ExpressionNode leaf) => (_gradient, leaf.Index);

        protected internal override ObjectiveModel Objective { get; }

        public override IEnumerable<string> Clear()
            => _clears ? new[] { $"{MemoryMarshal}.CreateSpan(ref {_gradient}, {_count}).Clear();" } : Array.Empty<string>();
    }

    /// <summary>How the named overload reads its parameters by name and writes <c>dW</c> and <c>dB</c>.</summary>
    private sealed class NamedAccess : RolledCode.Access
    {
        private readonly ObjectiveModel _objective;
        private readonly (ParameterModel Parameter, int Element)[] _trained;
        private readonly (ParameterModel Parameter, int Element)[] _data;

        public NamedAccess(ObjectiveModel objective)
        {
            _objective = objective;
            _trained = objective.TrainedValues();
            _data = objective.DataValues();
        }

        public override string Fixed(ExpressionNode leaf) => Naming.Identifier(leaf.Name!);

        public override string At(ExpressionNode leaf, string t)
        {
            var parameter = leaf.Operation == Operation.ParameterAt ? _trained[leaf.Index].Parameter : _data[leaf.Index].Parameter;
            return $"{Naming.Identifier(parameter.Name)}[{RolledCode.Index(leaf.Stride, t, leaf.Index - parameter.Offset)}]";
        }

        public override string Add(int flat, string value)
        {
            var (parameter, element) = _trained[flat];
            return parameter.IsVector
                ? $"{Naming.Identifier(parameter.GradientName)}[{element}] += {value};"
                : $"{Naming.Identifier(parameter.GradientName)} += {value};";
        }

        public override string AddAt(ExpressionNode leaf, string t, string value)
        {
            var parameter = _trained[leaf.Index].Parameter;
            return $"{Naming.Identifier(parameter.GradientName)}[{RolledCode.Index(leaf.Stride, t, leaf.Index - parameter.Offset)}] += {value};";
        }

        protected internal override ObjectiveModel Objective => _objective;

        public override (string Reference, int Offset) ValuesOf(ExpressionNode leaf)
        {
            var parameter = leaf.Operation == Operation.ParameterAt ? _trained[leaf.Index].Parameter : _data[leaf.Index].Parameter;
            return ($"{MemoryMarshal}.GetReference({Naming.Identifier(parameter.Name)})", leaf.Index - parameter.Offset);
        }

        public override (string Reference, int Offset) GradientOf(ExpressionNode leaf)
        {
            var parameter = _trained[leaf.Index].Parameter;
            return ($"{MemoryMarshal}.GetReference({Naming.Identifier(parameter.GradientName)})", leaf.Index - parameter.Offset);
        }

        public override IEnumerable<string> Clear()
            => _objective.Trained().Select(p => p.IsVector ? $"{Naming.Identifier(p.GradientName)}.Clear();" : $"{Naming.Identifier(p.GradientName)} = 0;");
    }
}
