using System;
using System.IO;
using Xunit;

namespace OptimDsl.Tests.Infrastructure;

/// <summary>Tests of the snapshot helper on a temporary Snapshots folder.</summary>
public sealed class SnapshotTests : IDisposable
{
    private const string BaseName = "ExampleTests.Emits";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "optimdsl-snapshots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_missing_verified_file_fails_and_writes_the_received_file()
    {
        var outcome = Compare(accept: false, new SnapshotFile("A.g.cs", "class A {}\n"));

        var failure = Assert.Single(outcome.Failures);
        Assert.Contains("New snapshot", failure, StringComparison.Ordinal);
        Assert.Equal("class A {}\n", File.ReadAllText(PathOf("ExampleTests.Emits#A.g.received.cs")));
        Assert.False(File.Exists(PathOf("ExampleTests.Emits#A.g.verified.cs")));
    }

    [Fact]
    public void A_match_passes_and_removes_an_old_received_file()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(PathOf("ExampleTests.Emits#A.g.verified.cs"), "class A {}\r\n");
        File.WriteAllText(PathOf("ExampleTests.Emits#A.g.received.cs"), "old");

        var outcome = Compare(accept: false, new SnapshotFile("A.g.cs", "class A {}\n"));

        Assert.Empty(outcome.Failures);
        Assert.False(File.Exists(PathOf("ExampleTests.Emits#A.g.received.cs")));
    }

    [Fact]
    public void A_mismatch_fails_naming_the_first_differing_line()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(PathOf("ExampleTests.Emits#A.g.verified.cs"), "line 1\nline 2\nline 3\n");

        var outcome = Compare(accept: false, new SnapshotFile("A.g.cs", "line 1\nline two\nline 3\n"));

        var failure = Assert.Single(outcome.Failures);
        Assert.Contains("line 2 ", failure, StringComparison.Ordinal);
        Assert.Contains("- line 2", failure, StringComparison.Ordinal);
        Assert.Contains("+ line two", failure, StringComparison.Ordinal);
        Assert.Equal("line 1\nline two\nline 3\n", File.ReadAllText(PathOf("ExampleTests.Emits#A.g.received.cs")));
        var thrown = Assert.ThrowsAny<Exception>(outcome.ThrowIfFailed);
        Assert.Contains(Snapshot.AcceptVariable, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verified_file_whose_hint_name_is_no_longer_produced_is_stale()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(PathOf("ExampleTests.Emits#A.g.verified.cs"), "class A {}\n");
        File.WriteAllText(PathOf("ExampleTests.Emits#Gone.g.verified.cs"), "class Gone {}\n");
        File.WriteAllText(PathOf("ExampleTests.EmitsMore#Other.g.verified.cs"), "another test's\n");

        var outcome = Compare(accept: false, new SnapshotFile("A.g.cs", "class A {}\n"));

        var failure = Assert.Single(outcome.Failures);
        Assert.Contains("Stale snapshot", failure, StringComparison.Ordinal);
        Assert.Contains("'Gone.g'", failure, StringComparison.Ordinal);
        Assert.True(File.Exists(PathOf("ExampleTests.Emits#Gone.g.verified.cs")));
    }

    [Fact]
    public void Accepting_writes_verified_files_and_deletes_only_this_tests_stale_ones()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(PathOf("ExampleTests.Emits#A.g.verified.cs"), "class Old {}\n");
        File.WriteAllText(PathOf("ExampleTests.Emits#A.g.received.cs"), "class A {}\n");
        File.WriteAllText(PathOf("ExampleTests.Emits#Gone.g.verified.cs"), "class Gone {}\n");
        File.WriteAllText(PathOf("ExampleTests.EmitsMore#Other.g.verified.cs"), "another test's\n");
        File.WriteAllText(PathOf("ExampleTests.Emits.verified.cs"), "this test's single snapshot\n");

        var outcome = Compare(accept: true, new SnapshotFile("A.g.cs", "class A {}\r\n"), new SnapshotFile("B.g.cs", "class B {}\n"));

        Assert.Empty(outcome.Failures);
        Assert.Equal("class A {}\n", File.ReadAllText(PathOf("ExampleTests.Emits#A.g.verified.cs")));
        Assert.Equal("class B {}\n", File.ReadAllText(PathOf("ExampleTests.Emits#B.g.verified.cs")));
        Assert.False(File.Exists(PathOf("ExampleTests.Emits#A.g.received.cs")));
        Assert.False(File.Exists(PathOf("ExampleTests.Emits#Gone.g.verified.cs")));
        Assert.True(File.Exists(PathOf("ExampleTests.EmitsMore#Other.g.verified.cs")));
        Assert.True(File.Exists(PathOf("ExampleTests.Emits.verified.cs")));
    }

    [Fact]
    public void A_single_unnamed_snapshot_uses_the_test_name_alone()
    {
        var outcome = Snapshot.Compare(_directory, BaseName, [new SnapshotFile(null, "text\n")], accept: true, matchWholeSet: false);

        Assert.Empty(outcome.Failures);
        Assert.True(File.Exists(PathOf("ExampleTests.Emits.verified.cs")));
    }

    [Theory]
    [InlineData("[GeneratedCode(\"OptimDsl.Generators\", \"0.1.0.0\")]", "[GeneratedCode(\"OptimDsl.Generators\", \"VERSION\")]")]
    [InlineData("[global::System.CodeDom.Compiler.GeneratedCode(\"OptimDsl.Generators\",\"1.2.3-beta.4+abc\")]", "[global::System.CodeDom.Compiler.GeneratedCode(\"OptimDsl.Generators\",\"VERSION\")]")]
    [InlineData("// Generated by OptimDsl.Generators 0.1.0+4f2e9a1", "// Generated by OptimDsl.Generators VERSION")]
    [InlineData("a\r\nb\rc\n", "a\nb\nc\n")]
    [InlineData("double x = 0.1;", "double x = 0.1;")]
    public void Normalize_uses_LF_and_scrubs_the_generator_version(string text, string expected)
    {
        Assert.Equal(expected, Snapshot.Normalize(text));
    }

    private SnapshotOutcome Compare(bool accept, params SnapshotFile[] files) =>
        Snapshot.Compare(_directory, BaseName, files, accept, matchWholeSet: true);

    private string PathOf(string fileName) => Path.Combine(_directory, fileName);
}
