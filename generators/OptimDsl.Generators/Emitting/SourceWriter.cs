using System;
using System.Text;

namespace OptimDsl.Generators.Emitting;

/// <summary>A text writer that tracks indentation; lines end in '\n' whatever the host, so output is byte-identical everywhere.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            for (var i = 0; i < _indent; i++)
            {
                _text.Append(IndentUnit);
            }

            _text.Append(line);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes a block of lines (e.g. a raw string literal), each at the current indentation.</summary>
    public SourceWriter WriteLines(string lines)
    {
        foreach (var line in lines.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            WriteLine(line);
        }

        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned scope is disposed.</summary>
    public Scope Block(string header)
    {
        WriteLine(header);
        WriteLine("{");
        _indent++;
        return new Scope(this);
    }

    public override string ToString() => _text.ToString();

    public readonly struct Scope : IDisposable
    {
        private readonly SourceWriter _writer;

        public Scope(SourceWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._indent--;
            _writer.WriteLine("}");
        }
    }
}
