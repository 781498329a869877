using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OptimDsl.Generators;
using OptimDsl.Tests.Infrastructure;
using Xunit;

namespace OptimDsl.Tests.Generation;

/// <summary>Running the generator on test sources and reading what it produced, for the tests of this folder.</summary>
internal static class GenerationSupport
{
    /// <summary>Runs a fresh <see cref="ObjectiveGenerator"/> on a fresh compilation of <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(params string[] sources) =>
        GeneratorHarness.Run(new ObjectiveGenerator(), sources);

    /// <summary>The generated files by hint name.</summary>
    public static IReadOnlyDictionary<string, string> Files(GeneratorRun run) =>
        run.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>The hint names of the generated files, in ordinal order.</summary>
    public static string[] HintNames(GeneratorRun run) =>
        [.. run.GeneratedSources.Select(s => s.HintName)];

    /// <summary>Asserts that the generator neither threw nor reported anything, and that the whole output compiles without warnings.</summary>
    public static void AssertCleanRun(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.RunResult.Diagnostics);
        Assert.True(run.WarningsAndErrors.IsEmpty, GeneratorRun.Format(run.WarningsAndErrors));
    }
}

/// <summary>
/// Test sources with expected spans marked <c>[|…|]</c>: the markup is stripped before compiling
/// and the spans are kept to compare with the diagnostics' <see cref="Location.SourceSpan"/>.
/// </summary>
internal sealed record MarkedSource(string Source, ImmutableArray<TextSpan> Spans)
{
    private const string Open = "[|";
    private const string Close = "|]";

    public static MarkedSource Parse(string markup)
    {
        var text = new System.Text.StringBuilder(markup.Length);
        var spans = ImmutableArray.CreateBuilder<TextSpan>();
        var open = new Stack<int>();
        var i = 0;
        while (i < markup.Length)
        {
            if (string.CompareOrdinal(markup, i, Open, 0, Open.Length) == 0)
            {
                open.Push(text.Length);
                i += Open.Length;
            }
            else if (open.Count > 0 && string.CompareOrdinal(markup, i, Close, 0, Close.Length) == 0)
            {
                var start = open.Pop();
                spans.Add(TextSpan.FromBounds(start, text.Length));
                i += Close.Length;
            }
            else
            {
                text.Append(markup[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw new ArgumentException("Unclosed [| in markup.", nameof(markup));
        }

        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Length.CompareTo(b.Length));
        return new MarkedSource(text.ToString(), spans.ToImmutable());
    }
}
