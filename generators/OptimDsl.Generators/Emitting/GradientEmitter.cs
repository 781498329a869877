using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Writes the value-and-gradient methods of README, What is generated: the scalar overload with <c>out</c> parameters,
/// which holds the straight-line adjoint code, and the span overloads, which run the same code
/// through a private core over contiguous values.
/// </summary>
internal static class GradientEmitter
{
    private const int MaxCommentLength = 160;
    private const string ArgumentChecks = "global::OptimDsl.ArgumentChecks";

    public static void Emit(SourceWriter writer, GradientModel model)
    {
        EmitParameterCount(writer, model.Objective);
        EmitScalarOverload(writer, model);
        writer.WriteLine();
        if (model.Objective.Parameters.Any(p => p.IsData))
        {
            DataGradientEmitter.Emit(writer, model);
        }
        else
        {
            EmitSpanOverload(writer, model.Objective);
            writer.WriteLine();
            EmitCore(writer, model);
        }
    }

    /// <summary><c>const int MParameterCount</c>: the number of trained values, the length of every flat span.</summary>
    private static void EmitParameterCount(SourceWriter writer, ObjectiveModel objective)
    {
        var trainable = objective.Parameters.Where(p => !p.IsData).ToArray();
        writer.WriteLine($"/// <summary>The number of trained values of <see cref=\"{Cref(objective)}\"/> ({string.Join(", ", trainable.Select(p => p.Name))}): the length of its flat parameter and gradient spans.</summary>");
        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        writer.WriteLine($"{objective.Accessibility} const int {Naming.ParameterCount(objective.MethodName)} = {trainable.Length};");
        writer.WriteLine();
    }

    /// <summary>The comment at the top of the generated file: the objective and its derivatives.</summary>
    public static void EmitDerivationComment(SourceWriter writer, GradientModel model)
    {
        var objective = model.Objective;
        writer.WriteLine($"// Objective {objective.MethodName}({string.Join(", ", objective.Parameters.Select(p => p.IsData ? "[Data] " + p.Name : p.Name))}):");
        foreach (var line in objective.SourceLines)
        {
            writer.WriteLine(("//     " + line).TrimEnd());
        }

        writer.WriteLine("//");
        writer.WriteLine("// Its derivatives, computed symbolically at compile time (before sharing subexpressions):");
        var printer = new ExpressionPrinter(model.Graph, _ => null, qualified: false);
        foreach (var parameter in objective.Parameters.Where(p => !p.IsData))
        {
            var text = printer.TryPrint(model.Gradient[parameter.Index], MaxCommentLength) ?? "(too long to show here: see the adjoint sweep below)";
            writer.WriteLine($"//     ∂{objective.MethodName}/∂{parameter.Name} = {text}");
        }
    }

    private static void EmitScalarOverload(SourceWriter writer, GradientModel model)
    {
        var objective = model.Objective;
        var trainable = objective.Parameters.Where(p => !p.IsData).ToArray();
        var signature = string.Join(", ", objective.Parameters.Select(p => "double " + Naming.Identifier(p.Name))
            .Concat(trainable.Select(p => "out double " + Naming.Identifier(p.GradientName))));

        writer.WriteLine($"/// <summary>The value of <see cref=\"{Cref(objective)}\"/> and its gradient, computed in one forward pass and one adjoint sweep.</summary>");
        foreach (var parameter in objective.Parameters)
        {
            writer.WriteLine($"/// <param name=\"{parameter.Name}\">{(parameter.IsData ? "A sample's value of" : "The value of parameter")} {parameter.Name}.</param>");
        }

        foreach (var parameter in trainable)
        {
            writer.WriteLine($"/// <param name=\"{parameter.GradientName}\">∂{Xml(objective.MethodName)}/∂{parameter.Name}.</param>");
        }

        writer.WriteLine($"/// <returns>The value of {Xml(objective.MethodName)}.</returns>");
        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        using (writer.Block($"{objective.Accessibility} static double {Naming.GradientMethod(objective.MethodName)}({signature})"))
        {
            var scope = new NameScope(objective.Parameters.Select(p => p.Name).Concat(trainable.Select(p => p.GradientName)));
            var code = WriteSweeps(writer, model, scope);
            foreach (var parameter in trainable)
            {
                writer.WriteLine($"{Naming.Identifier(parameter.GradientName)} = {code.Reference(model.Gradient[parameter.Index])};");
            }

            writer.WriteLine($"return {code.Reference(model.Value)};");
        }
    }

    /// <summary>The value and the partial derivatives as straight-line code over the parameters, by their own names.</summary>
    private static StraightLineCode BuildCode(GradientModel model, NameScope scope)
    {
        var leafNames = new Dictionary<int, string>();
        for (var id = 0; id < model.Graph.Count; id++)
        {
            var node = model.Graph[id];
            if (node.Operation is Operation.Parameter or Operation.Data)
            {
                leafNames[id] = Naming.Identifier(node.Name!);
            }
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
        var trainable = objective.Parameters.Where(p => !p.IsData).ToArray();
        writer.WriteLines($$"""
            /// <summary>
            /// The value of <see cref="{{Cref(objective)}}"/> and its gradient, with the parameters
            /// in declaration order: {{string.Join(", ", trainable.Select(p => p.Name))}}.
            /// </summary>
            /// <param name="parameters">{{Count(trainable.Length, "parameter")}}: {{string.Join(", ", trainable.Select(p => p.Name))}}.</param>
            /// <param name="gradient">Receives the partial derivatives, {{Count(trainable.Length, "value")}}.</param>
            /// <returns>The value of {{Xml(objective.MethodName)}}.</returns>
            /// <exception cref="global::System.ArgumentException">A span does not hold exactly {{Count(trainable.Length, "value")}}.</exception>
            """);
        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        using (writer.Block($"{objective.Accessibility} static double {Naming.GradientMethod(objective.MethodName)}(global::System.ReadOnlySpan<double> parameters, global::System.Span<double> gradient)"))
        {
            EmitLengthChecks(writer, trainable);
            writer.WriteLine($"return {CoreCall(objective, "global::System.Runtime.InteropServices.MemoryMarshal.GetReference(parameters)", "global::System.Runtime.InteropServices.MemoryMarshal.GetReference(gradient)")};");
        }
    }

    /// <summary>A call of the gradient core (see <see cref="EmitCore"/>) on the given <c>ref double</c> locations.</summary>
    public static string CoreCall(ObjectiveModel objective, string parameters, string gradient)
        => $"{objective.Location.FullyQualifiedTypeName}.{Naming.GradientMethod(objective.MethodName)}(ref {parameters}, ref {gradient})";

    /// <summary>
    /// The private overload <c>MGradient(ref double parameters, ref double gradient)</c>: the scalar
    /// overload's body over n contiguous values, which the span overload and the optimizers call. It
    /// passes two references instead of 2n arguments (most of them on the stack for large n), and
    /// stores the gradient in the SIMD chunks the optimizers' updates load (see <see cref="VectorChunks"/>).
    /// </summary>
    private static void EmitCore(SourceWriter writer, GradientModel model)
    {
        var objective = model.Objective;
        var trainable = objective.Parameters.Where(p => !p.IsData).ToArray();
        var scope = new NameScope(trainable.Select(p => p.Name).Concat(trainable.Select(p => p.GradientName)));
        var parameters = scope.Reserve("parameters");
        var gradient = scope.Reserve("gradient");
        var n = trainable.Length;
        var names = string.Join(", ", trainable.Select(p => p.Name));
        var scalarCref = $"{Naming.Identifier(Naming.GradientMethod(objective.MethodName))}({string.Join(", ", trainable.Select(_ => "double").Concat(trainable.Select(_ => "out double")))})";

        writer.WriteLines($$"""
            /// <summary>
            /// <see cref="{{scalarCref}}"/> over contiguous values, for the span overload and the
            /// optimizers: reads {{names}} from <paramref name="{{parameters}}"/> on and writes the partial derivatives
            /// from <paramref name="{{gradient}}"/> on. The caller guarantees {{Count(n, "value")}} on each side.
            /// </summary>
            """);
        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        // Inlined where the caller's budget allows; otherwise compiled fully optimised on its first call,
        // not at tier 0, where a large gradient ran several times slower for the first seconds (issue 10).
        writer.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        using (writer.Block($"private static double {Naming.GradientMethod(objective.MethodName)}(ref double {parameters}, ref double {gradient})"))
        {
            writer.WriteLine("// The scalar overload's locals, each computed just before its first use: the JIT keeps the");
            writer.WriteLine("// statement order, and a live value for every parameter would spill most of them for large n.");
            var code = BuildCode(model, scope);
            var schedule = new DemandOrder(model.Graph, code);
            void Define(int output)
            {
                foreach (var node in schedule.Take(output))
                {
                    var leaf = model.Graph[node];
                    writer.WriteLine(leaf.Operation == Operation.Parameter
                        ? $"double {Naming.Identifier(leaf.Name!)} = {Element(parameters, leaf.Index)};"
                        : $"{code.TypeOf(node)} {code.Reference(node)} = {code.Definition(node)};");
                }
            }

            // Gradient chunks in the widths the optimizers' updates load them (see VectorChunks), each
            // stored as soon as it is complete.
            foreach (var (width, offset) in VectorChunks.Plan(n))
            {
                var chunk = trainable.Skip(offset).Take(width).ToArray();
                foreach (var parameter in chunk)
                {
                    Define(model.Gradient[parameter.Index]);
                    writer.WriteLine($"double {Naming.Identifier(parameter.GradientName)} = {code.Reference(model.Gradient[parameter.Index])};");
                }

                var values = string.Join(", ", chunk.Select(p => Naming.Identifier(p.GradientName)));
                writer.WriteLine(width == 1
                    ? $"{Element(gradient, offset)} = {values};"
                    : $"global::OptimDsl.GradientStore.Store{width}(ref {Element(gradient, offset)}, {values});");
            }

            Define(model.Value);
            writer.WriteLine($"return {code.Reference(model.Value)};");
        }
    }

    /// <summary>The double at <paramref name="offset"/> from a <c>ref double</c>.</summary>
    private static string Element(string reference, int offset)
        => offset == 0 ? reference : $"global::System.Runtime.CompilerServices.Unsafe.Add(ref {reference}, {offset})";

    /// <summary>
    /// The parameter and gradient spans hold one value per trainable parameter: one call each of the
    /// runtime library's <c>OptimDsl.ArgumentChecks</c>, which builds the message only when it throws.
    /// </summary>
    public static void EmitLengthChecks(SourceWriter writer, ParameterModel[] trainable)
    {
        var names = Literal(string.Join(", ", trainable.Select(p => p.Name)));
        foreach (var span in new[] { "parameters", "gradient" })
        {
            writer.WriteLine($"{ArgumentChecks}.ParameterCount({span}.Length, {trainable.Length}, {names}, \"{span}\");");
        }
    }

    /// <summary>Every data span non-empty and as long as the first, through <c>OptimDsl.ArgumentChecks</c>.</summary>
    public static void EmitDataChecks(SourceWriter writer, ParameterModel[] data)
    {
        var first = Naming.Identifier(data[0].Name);
        var firstName = Literal(data[0].Name);
        writer.WriteLine($"{ArgumentChecks}.NotEmpty({first}.Length, {firstName});");
        foreach (var other in data.Skip(1))
        {
            writer.WriteLine($"{ArgumentChecks}.SameSamples({first}.Length, {firstName}, {Naming.Identifier(other.Name)}.Length, {Literal(other.Name)});");
        }
    }

    /// <summary>A C# string literal of a parameter's name or a list of names (identifier characters, commas and spaces).</summary>
    private static string Literal(string text) => "\"" + text + "\"";

    /// <summary>"1 value", "3 values".</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static string Cref(ObjectiveModel objective)
        => $"{Naming.Identifier(objective.MethodName)}({string.Join(", ", objective.Parameters.Select(_ => "double"))})";

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
