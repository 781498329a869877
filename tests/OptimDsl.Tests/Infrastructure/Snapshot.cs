using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace OptimDsl.Tests.Infrastructure;

/// <summary>
/// Snapshot (golden-file) assertions following Verify's conventions, without Verify:
/// <list type="bullet">
/// <item><description>files live in <c>Snapshots/</c> next to the test's source file and are named
/// <c>{Class}.{Method}#{HintName}.verified.cs</c> (hint name without its <c>.cs</c>), where
/// <c>{Class}</c> is the test source file's name;</description></item>
/// <item><description>on a mismatch, or when no <c>.verified.cs</c> exists yet, the actual text is
/// written to <c>.received.cs</c> (git-ignored) and the test fails with the first difference;</description></item>
/// <item><description>text is compared and written with LF line endings, UTF-8 without BOM, and
/// the generator's version scrubbed to <c>VERSION</c>;</description></item>
/// <item><description>accepting is explicit: with <c>OPTIMDSL_ACCEPT_SNAPSHOTS=1</c> the helper writes
/// the <c>.verified.cs</c> files instead of failing and deletes the stale ones of the same test
/// (hint names no longer produced). Run <c>OPTIMDSL_ACCEPT_SNAPSHOTS=1 dotnet test</c> or
/// <c>dotnet msbuild tests/OptimDsl.Tests -t:AcceptSnapshots</c>, then review <c>git diff</c>.</description></item>
/// </list>
/// </summary>
internal static class Snapshot
{
    /// <summary>The environment variable that turns failing into accepting.</summary>
    public const string AcceptVariable = "OPTIMDSL_ACCEPT_SNAPSHOTS";

    private const string VerifiedSuffix = ".verified.cs";
    private const string ReceivedSuffix = ".received.cs";

    private static readonly Regex[] VersionPatterns =
    [
        // [GeneratedCode("OptimDsl.Generators", "0.1.0.0")]
        new(@"(?<prefix>""OptimDsl\.Generators"",\s*"")[^""]*(?="")", RegexOptions.CultureInvariant),
        // "OptimDsl.Generators 0.1.0" or "OptimDsl.Generators/0.1.0+abc" in a header comment
        new(@"(?<prefix>OptimDsl\.Generators[ /]v?)\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.+-]*)?", RegexOptions.CultureInvariant),
    ];

    /// <summary>Whether this test run accepts snapshots (<c>OPTIMDSL_ACCEPT_SNAPSHOTS</c> is <c>1</c> or <c>true</c>).</summary>
    public static bool Accepting =>
        Environment.GetEnvironmentVariable(AcceptVariable) is { } value
        && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Matches every source generated in <paramref name="run"/> against
    /// <c>Snapshots/{Class}.{Method}#{HintName}.verified.cs</c>. A verified file of this test whose
    /// hint name was not generated is stale: it fails the test, or is deleted when accepting.
    /// </summary>
    /// <param name="run">The generator run whose sources are matched.</param>
    /// <param name="variant">For theories: a suffix telling the cases apart (<c>{Method}_{variant}</c>).</param>
    /// <param name="sourceFile">Filled in by the compiler.</param>
    /// <param name="testMethod">Filled in by the compiler.</param>
    public static void Match(
        GeneratorRun run,
        string? variant = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string testMethod = "")
    {
        var files = run.GeneratedSources
            .Select(s => new SnapshotFile(s.HintName, s.SourceText.ToString()))
            .ToList();
        Match(files, variant, sourceFile, testMethod);
    }

    /// <summary>
    /// Matches named texts (for example hand-made emitter output) as one set, like
    /// <see cref="Match(GeneratorRun, string?, string, string)"/>, stale files included.
    /// </summary>
    public static void Match(
        IReadOnlyList<SnapshotFile> files,
        string? variant = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string testMethod = "")
    {
        var outcome = Compare(SnapshotDirectory(sourceFile), BaseName(sourceFile, testMethod, variant), files, Accepting, matchWholeSet: true);
        outcome.ThrowIfFailed();
    }

    /// <summary>
    /// Matches one text against <c>Snapshots/{Class}.{Method}#{name}.verified.cs</c>, or
    /// <c>Snapshots/{Class}.{Method}.verified.cs</c> when <paramref name="name"/> is null. No stale-file
    /// check: a test may call this several times with different names.
    /// </summary>
    public static void MatchText(
        string actual,
        string? name = null,
        string? variant = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string testMethod = "")
    {
        var baseName = BaseName(sourceFile, testMethod, variant);
        var outcome = name is null
            ? Compare(SnapshotDirectory(sourceFile), baseName, [new SnapshotFile(null, actual)], Accepting, matchWholeSet: false)
            : Compare(SnapshotDirectory(sourceFile), baseName, [new SnapshotFile(name, actual)], Accepting, matchWholeSet: false);
        outcome.ThrowIfFailed();
    }

    /// <summary>LF line endings and the generator version replaced by <c>VERSION</c>.</summary>
    public static string Normalize(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        foreach (var pattern in VersionPatterns)
        {
            text = pattern.Replace(text, "${prefix}VERSION");
        }

        return text;
    }

    /// <summary>
    /// The comparison itself, with the folder and the accept switch explicit (the helper's own tests
    /// run it on a temporary folder).
    /// </summary>
    /// <param name="directory">The Snapshots folder.</param>
    /// <param name="baseName"><c>{Class}.{Method}</c>, with <c>_{variant}</c> for theories.</param>
    /// <param name="files">The actual texts; a null name means the file <c>{baseName}.verified.cs</c>.</param>
    /// <param name="accept">Write verified files instead of failing.</param>
    /// <param name="matchWholeSet">Treat <c>{baseName}#*.verified.cs</c> files not in <paramref name="files"/> as stale.</param>
    internal static SnapshotOutcome Compare(
        string directory,
        string baseName,
        IReadOnlyList<SnapshotFile> files,
        bool accept,
        bool matchWholeSet)
    {
        var failures = new List<string>();
        var produced = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = files.GroupBy(f => f.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"Snapshot names must be unique; repeated: {string.Join(", ", duplicates)}", nameof(files));
        }

        foreach (var file in files)
        {
            var stem = Stem(baseName, file.Name);
            produced.Add(stem);
            var verifiedPath = Path.Combine(directory, stem + VerifiedSuffix);
            var receivedPath = Path.Combine(directory, stem + ReceivedSuffix);
            var actual = Normalize(file.Text);
            string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

            if (verified == actual)
            {
                File.Delete(receivedPath);
                continue;
            }

            Directory.CreateDirectory(directory);
            if (accept)
            {
                Write(verifiedPath, actual);
                File.Delete(receivedPath);
                continue;
            }

            Write(receivedPath, actual);
            failures.Add(verified is null
                ? $"New snapshot {Relative(verifiedPath)}: no verified file; received written to {Relative(receivedPath)}."
                : $"Snapshot {Relative(verifiedPath)} differs; received written to {Relative(receivedPath)}.{Environment.NewLine}{DescribeFirstDifference(verified, actual)}");
        }

        if (matchWholeSet && Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, baseName + "#*" + VerifiedSuffix).Order(StringComparer.Ordinal))
            {
                var stem = Path.GetFileName(path)[..^VerifiedSuffix.Length];
                if (produced.Contains(stem))
                {
                    continue;
                }

                if (accept)
                {
                    File.Delete(path);
                    File.Delete(Path.Combine(directory, stem + ReceivedSuffix));
                }
                else
                {
                    failures.Add($"Stale snapshot {Relative(path)}: the test no longer produces '{stem[(baseName.Length + 1)..]}'.");
                }
            }
        }

        return new SnapshotOutcome(failures);
    }

    private static string SnapshotDirectory(string sourceFile)
    {
        var testDirectory = Path.GetDirectoryName(sourceFile);
        if (string.IsNullOrEmpty(testDirectory) || !Directory.Exists(testDirectory))
        {
            throw new InvalidOperationException(
                $"The test source file's folder '{testDirectory}' is not on disk: snapshot tests need real source paths "
                + "(run from a source checkout; no PathMap or ContinuousIntegrationBuild).");
        }

        return Path.Combine(testDirectory, "Snapshots");
    }

    private static string BaseName(string sourceFile, string testMethod, string? variant)
    {
        var className = Path.GetFileNameWithoutExtension(sourceFile);
        return variant is null ? $"{className}.{testMethod}" : $"{className}.{testMethod}_{variant}";
    }

    private static string Stem(string baseName, string? name)
    {
        if (name is null)
        {
            return baseName;
        }

        if (name.EndsWith(".cs", StringComparison.Ordinal))
        {
            name = name[..^".cs".Length];
        }

        return $"{baseName}#{name.Replace('/', '_').Replace('\\', '_')}";
    }

    private static void Write(string path, string text) =>
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>The path relative to the repository root (the folder holding OptimDsl.sln), else as given.</summary>
    private static string Relative(string path)
    {
        for (var folder = Path.GetDirectoryName(path); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "OptimDsl.sln")))
            {
                return Path.GetRelativePath(folder, path);
            }
        }

        return path;
    }

    private static string DescribeFirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        var text = new StringBuilder();
        text.Append($"  first difference at line {line + 1} (verified {expectedLines.Length} lines, received {actualLines.Length}):\n");
        for (var i = Math.Max(0, line - 2); i < line; i++)
        {
            text.Append($"    {expectedLines[i]}\n");
        }

        text.Append($"  - {(line < expectedLines.Length ? expectedLines[line] : "<end of file>")}\n");
        text.Append($"  + {(line < actualLines.Length ? actualLines[line] : "<end of file>")}\n");
        return text.ToString();
    }
}

/// <summary>One text to match: <paramref name="Name"/> is its hint name (<c>null</c>: the test's single snapshot).</summary>
internal readonly record struct SnapshotFile(string? Name, string Text);

/// <summary>What a snapshot comparison found wrong; empty when everything matched or was accepted.</summary>
internal sealed record SnapshotOutcome(IReadOnlyList<string> Failures)
{
    /// <summary>Fails the test with every problem found and how to accept the new output.</summary>
    public void ThrowIfFailed()
    {
        if (Failures.Count == 0)
        {
            return;
        }

        var message = string.Join(Environment.NewLine, Failures)
            + Environment.NewLine
            + $"Compare with `diff -u <verified> <received>`. If the new output is right, accept it: "
            + $"{Snapshot.AcceptVariable}=1 dotnet test (or dotnet msbuild tests/OptimDsl.Tests -t:AcceptSnapshots), then review git diff.";
        Assert.Fail(message);
    }
}
