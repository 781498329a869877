using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace OptimDsl.Tests.Infrastructure;

/// <summary>
/// Compiles test sources the way a consumer's build would (C# latest, nullable enabled, .NET 10
/// reference assemblies plus the OptimDsl runtime library) and runs an incremental generator on them.
/// </summary>
/// <remarks>
/// Generic over the generator so that it serves the real <c>OptimDsl.Generators.ObjectiveGenerator</c>
/// and small generators written to test the harness itself.
/// </remarks>
internal static class GeneratorHarness
{
    /// <summary>The parse options of every test compilation: the latest C# the compiler knows.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>A library with nullable reference types on and unsafe code off, as in a typical consumer.</summary>
    public static CSharpCompilationOptions CompilationOptions { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        allowUnsafe: false);

    /// <summary>.NET 10 reference assemblies and the OptimDsl runtime library (attributes, result types).</summary>
    public static ImmutableArray<MetadataReference> References { get; } =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ObjectiveAttribute).Assembly.Location),
    ];

    /// <summary>Creates a compilation of <paramref name="sources"/>, one syntax tree per source, named Source0.cs, Source1.cs, ….</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateNamedCompilation("TestAssembly", sources);

    /// <summary>Creates a compilation named <paramref name="assemblyName"/> of <paramref name="sources"/>.</summary>
    public static CSharpCompilation CreateNamedCompilation(string assemblyName, params string[] sources)
    {
        var trees = sources.Select((source, i) =>
            CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs"));
        return CSharpCompilation.Create(assemblyName, trees, References, CompilationOptions);
    }

    /// <summary>Compiles <paramref name="sources"/> and runs <paramref name="generator"/> on them.</summary>
    public static GeneratorRun Run(IIncrementalGenerator generator, params string[] sources) =>
        Run(generator, CreateCompilation(sources));

    /// <summary>Runs <paramref name="generator"/> on <paramref name="compilation"/>, tracking incremental steps.</summary>
    public static GeneratorRun Run(IIncrementalGenerator generator, CSharpCompilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            generators: [generator.AsSourceGenerator()],
            additionalTexts: null,
            parseOptions: ParseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(
                IncrementalGeneratorOutputKind.None,
                trackIncrementalGeneratorSteps: true));
        return GeneratorRun.Start(driver, compilation);
    }
}

/// <summary>
/// One run of a generator driver: what it produced, the compilation with the generated sources
/// added, and every diagnostic. <see cref="RunAgain"/> feeds the same driver a new compilation, for
/// incremental-caching tests.
/// </summary>
internal sealed class GeneratorRun
{
    private GeneratorRun(
        GeneratorDriver driver,
        Compilation inputCompilation,
        Compilation outputCompilation,
        ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        Driver = driver;
        InputCompilation = inputCompilation;
        OutputCompilation = outputCompilation;
        GeneratorDiagnostics = generatorDiagnostics;
        RunResult = driver.GetRunResult();
    }

    /// <summary>The driver after this run; it holds the incremental state for the next run.</summary>
    public GeneratorDriver Driver { get; }

    /// <summary>The compilation the generator saw.</summary>
    public Compilation InputCompilation { get; }

    /// <summary>The input compilation with the generated sources added.</summary>
    public Compilation OutputCompilation { get; }

    /// <summary>Diagnostics the generator reported (including exceptions it threw, as CS8785).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>Generated trees, diagnostics and tracked incremental steps.</summary>
    public GeneratorDriverRunResult RunResult { get; }

    /// <summary>The result of the single generator of this run.</summary>
    public GeneratorRunResult Result => RunResult.Results.Single();

    /// <summary>Generated sources, ordered by hint name.</summary>
    public ImmutableArray<GeneratedSourceResult> GeneratedSources =>
        [.. Result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal)];

    /// <summary>The generator's diagnostics followed by those of compiling the output, ordered by location.</summary>
    public ImmutableArray<Diagnostic> Diagnostics =>
    [
        .. GeneratorDiagnostics,
        .. OutputCompilation.GetDiagnostics()
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start),
    ];

    /// <summary>Diagnostics of severity warning or error, from the generator and from the output compilation.</summary>
    public ImmutableArray<Diagnostic> WarningsAndErrors =>
        [.. Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    /// <summary>The text of the generated source with hint name <paramref name="hintName"/>.</summary>
    public string SourceOf(string hintName)
    {
        foreach (var source in Result.GeneratedSources)
        {
            if (source.HintName == hintName)
            {
                return source.SourceText.ToString();
            }
        }

        var produced = string.Join(", ", Result.GeneratedSources.Select(s => s.HintName));
        throw new InvalidOperationException($"No generated source named '{hintName}'. Produced: [{produced}].");
    }

    /// <summary>Runs the same driver on <paramref name="compilation"/> (for example an edited copy of <see cref="InputCompilation"/>).</summary>
    public GeneratorRun RunAgain(Compilation compilation) => Start(Driver, compilation);

    /// <summary>
    /// Emits <see cref="OutputCompilation"/> and loads it into a collectible load context. Fails
    /// with the compiler's diagnostics when the output does not compile.
    /// </summary>
    public LoadedAssembly Load() => LoadedAssembly.Emit(OutputCompilation);

    internal static GeneratorRun Start(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(
            compilation, out var outputCompilation, out var generatorDiagnostics);
        return new GeneratorRun(driver, compilation, outputCompilation, generatorDiagnostics);
    }

    /// <summary>Formats diagnostics one per line, for assertion messages.</summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
}
