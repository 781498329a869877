using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Parsing;

/// <summary>Reads <c>[GradientDescent]</c>, <c>[Sgd]</c> and <c>[Adam]</c> and checks their hyperparameters (OPTDSL003).</summary>
internal static class OptimizerAttributes
{
    public static OptimizerKind? KindOf(AttributeData attribute) => attribute.AttributeClass switch
    {
        var type when KnownNames.IsOptimDslType(type, "GradientDescentAttribute") => OptimizerKind.GradientDescent,
        var type when KnownNames.IsOptimDslType(type, "SgdAttribute") => OptimizerKind.Sgd,
        var type when KnownNames.IsOptimDslType(type, "AdamAttribute") => OptimizerKind.Adam,
        _ => null,
    };

    /// <summary>The optimizer an attribute asks for, or null when it is not an optimizer attribute or a hyperparameter is invalid.</summary>
    public static OptimizerModel? Read(AttributeData attribute, List<Diagnostic> diagnostics)
    {
        if (KindOf(attribute) is not { } kind)
        {
            return null;
        }

        var optimizer = new OptimizerModel(kind, OptimizerModel.DefaultLearningRate(kind));
        var valid = true;
        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value.Value;
            var number = value is null ? double.NaN : Convert.ToDouble(value, CultureInfo.InvariantCulture);
            var shown = number.ToString(CultureInfo.InvariantCulture);
            string? problem = null;
            switch (argument.Key)
            {
                case "LearningRate":
                    optimizer = optimizer with { LearningRate = number };
                    problem = number > 0 && !double.IsInfinity(number) ? null : $"LearningRate must be positive and finite, not {shown}";
                    break;
                case "Beta1":
                    optimizer = optimizer with { Beta1 = number };
                    problem = number is >= 0 and < 1 ? null : $"Beta1 must be in [0, 1), not {shown}";
                    break;
                case "Beta2":
                    optimizer = optimizer with { Beta2 = number };
                    problem = number is >= 0 and < 1 ? null : $"Beta2 must be in [0, 1), not {shown}";
                    break;
                case "Epsilon":
                    optimizer = optimizer with { Epsilon = number };
                    problem = number > 0 && !double.IsInfinity(number) ? null : $"Epsilon must be positive and finite, not {shown}";
                    break;
                case "BatchSize":
                    optimizer = optimizer with { BatchSize = (int)number };
                    problem = number >= 1 ? null : $"BatchSize must be at least 1, not {shown}";
                    break;
                case "Seed":
                    optimizer = optimizer with { Seed = (int)number };
                    break;
            }

            if (problem is not null)
            {
                valid = false;
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidHyperparameter, LocationOf(attribute, argument.Key), problem));
            }
        }

        return valid ? optimizer : null;
    }

    /// <summary>The attribute's location, or that of its named argument <paramref name="argumentName"/>.</summary>
    public static Location LocationOf(AttributeData attribute, string? argumentName = null)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax)
        {
            return Location.None;
        }

        var argument = syntax.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == argumentName);
        return (argument ?? (SyntaxNode)syntax).GetLocation();
    }
}
