using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Writes the value-and-gradient methods of SPEC §4.1: the scalar overload with <c>out</c> parameters,
/// which holds the straight-line adjoint code, and the span overloads built on it.
/// </summary>
internal static class GradientEmitter
{
    private const int MaxCommentLength = 160;

    public static void Emit(SourceWriter writer, GradientModel model, VectorMathHelpers helpers)
    {
        EmitScalarOverload(writer, model);
        writer.WriteLine();
        if (model.Objective.Parameters.Any(p => p.IsData))
        {
            DataGradientEmitter.Emit(writer, model, helpers);
        }
        else
        {
            EmitSpanOverload(writer, model.Objective);
        }
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
            var leafNames = new Dictionary<int, string>();
            for (var id = 0; id < model.Graph.Count; id++)
            {
                var node = model.Graph[id];
                if (node.Operation is Operation.Parameter or Operation.Data)
                {
                    leafNames[id] = Naming.Identifier(node.Name!);
                }
            }

            var scope = new NameScope(objective.Parameters.Select(p => p.Name).Concat(trainable.Select(p => p.GradientName)));
            var outputs = new[] { model.Value }.Concat(model.Gradient).ToArray();
            var code = new StraightLineCode(model.Graph, outputs, leafNames, objective.NameHints.Concat(model.AdjointNames), scope);

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

            foreach (var parameter in trainable)
            {
                writer.WriteLine($"{Naming.Identifier(parameter.GradientName)} = {code.Reference(model.Gradient[parameter.Index])};");
            }

            writer.WriteLine($"return {code.Reference(model.Value)};");
        }
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
            var outs = trainable.Select(p => "d" + p.Index).ToArray();
            var arguments = trainable.Select(p => $"parameters[{p.Index}]").Concat(outs.Select(o => "out double " + o));
            writer.WriteLine($"double value = {objective.Location.FullyQualifiedTypeName}.{Naming.GradientMethod(objective.MethodName)}({string.Join(", ", arguments)});");
            foreach (var parameter in trainable)
            {
                writer.WriteLine($"gradient[{parameter.Index}] = {outs[parameter.Index]};");
            }

            writer.WriteLine("return value;");
        }
    }

    public static void EmitLengthChecks(SourceWriter writer, ParameterModel[] trainable)
    {
        var names = string.Join(", ", trainable.Select(p => p.Name));
        foreach (var span in new[] { "parameters", "gradient" })
        {
            using (writer.Block($"if ({span}.Length != {trainable.Length})"))
            {
                writer.WriteLine($"throw new global::System.ArgumentException(\"Expected {Count(trainable.Length, "value")} ({names}) but the span holds \" + {span}.Length + \".\", \"{span}\");");
            }
        }
    }

    /// <summary>Every data span non-empty and as long as the first.</summary>
    public static void EmitDataChecks(SourceWriter writer, ParameterModel[] data)
    {
        var first = Naming.Identifier(data[0].Name);
        using (writer.Block($"if ({first}.Length == 0)"))
        {
            writer.WriteLine($"throw new global::System.ArgumentException(\"The data set is empty: '{data[0].Name}' holds no samples.\", \"{data[0].Name}\");");
        }

        foreach (var other in data.Skip(1))
        {
            var name = Naming.Identifier(other.Name);
            using (writer.Block($"if ({name}.Length != {first}.Length)"))
            {
                writer.WriteLine($"throw new global::System.ArgumentException(\"Every data span must hold as many samples as '{data[0].Name}' (\" + {first}.Length + \") but '{other.Name}' holds \" + {name}.Length + \".\", \"{other.Name}\");");
            }
        }
    }

    /// <summary>"1 value", "3 values".</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static string Cref(ObjectiveModel objective)
        => $"{Naming.Identifier(objective.MethodName)}({string.Join(", ", objective.Parameters.Select(_ => "double"))})";

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
