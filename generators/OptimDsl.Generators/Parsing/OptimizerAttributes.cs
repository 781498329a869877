using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimDsl.Generators.Catalogue;
using OptimDsl.Generators.Diagnostics;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Parsing;

/// <summary>Reads the optimizer attributes of the catalogue and checks their hyperparameters (OPTDSL003).</summary>
internal static class OptimizerAttributes
{
    /// <summary>The catalogue row of an optimizer attribute, or null for any other attribute.</summary>
    public static OptimizerDefinition? DefinitionOf(AttributeData attribute)
        => attribute.AttributeClass is { } type && KnownNames.IsOptimDslType(type, type.Name)
            ? OptimizerCatalogue.ByAttribute(type.Name)
            : null;

    /// <summary>The optimizer an attribute asks for, or null when it is not an optimizer attribute or a hyperparameter is invalid.</summary>
    public static OptimizerModel? Read(AttributeData attribute, List<Diagnostic> diagnostics)
    {
        if (DefinitionOf(attribute) is not { } definition)
        {
            return null;
        }

        var values = definition.All.ToDictionary(h => h.Name, h => h.Default, StringComparer.Ordinal);
        var valid = true;
        foreach (var argument in attribute.NamedArguments)
        {
            if (definition.All.FirstOrDefault(h => h.Name == argument.Key) is not { } hyperparameter)
            {
                continue; // not settable: the compiler reports it
            }

            var number = argument.Value.Value switch
            {
                bool flag => flag ? 1 : 0,
                null => double.NaN,
                var value => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            };
            values[hyperparameter.Name] = number;
            if (!hyperparameter.Range.Contains(number))
            {
                valid = false;
                var shown = number.ToString(CultureInfo.InvariantCulture);
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidHyperparameter, LocationOf(attribute, argument.Key),
                    $"{hyperparameter.Name} {hyperparameter.Range.Requirement()}, not {shown}"));
            }
        }

        if (valid && definition.CrossCheck?.Invoke(values) is var (at, problem))
        {
            valid = false;
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidHyperparameter, LocationOf(attribute, at), problem));
        }

        return valid ? new OptimizerModel(definition.Name, definition.All.Select(h => values[h.Name]).ToEquatableArray()) : null;
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
