using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace OptimDsl.Generators.Model;

/// <summary>
/// The hint name (file name) of every objective's generated file: readable, valid and unique for
/// every legal program.
/// </summary>
/// <remarks>
/// <para>
/// Roslyn rejects, by throwing from <c>AddSource</c>, a hint name with a character other than an
/// identifier character or one of <c>. , - _ ( ) [ ] { } + `</c> and space, and a hint name equal to
/// another one compared with <see cref="StringComparison.OrdinalIgnoreCase"/>. A readable name
/// (namespace, types and method, <see cref="ReadableName"/>) can break both rules: <c>Loss</c> and
/// <c>loss</c> in one type, <c>A.B</c> (namespace) and <c>A</c>.<c>B</c> (nested type), names
/// whose characters are outside that set. So the readable names of all objectives are collected, and
/// those that are equal ignoring case get a deterministic disambiguator, <c>-2</c>, <c>-3</c>… in the
/// ordinal order of the objectives' exact identities; a readable name never contains <c>-</c>, so a
/// disambiguated name cannot equal another objective's name.
/// </para>
/// <para>
/// Pipeline model: equal when the same objectives get the same names, so that an edit which adds,
/// removes or renames no objective leaves every generated file cached.
/// </para>
/// </remarks>
internal sealed class GeneratedFileNames : IEquatable<GeneratedFileNames>
{
    private const string Extension = ".g.cs";

    private readonly EquatableArray<FileName> _names;
    private readonly Dictionary<string, string> _byIdentity;

    private GeneratedFileNames(EquatableArray<FileName> names)
    {
        _names = names;
        _byIdentity = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            _byIdentity[name.Identity] = name.HintName;
        }
    }

    /// <summary>One objective's exact identity and the hint name it is given.</summary>
    private readonly record struct FileName(string Identity, string HintName);

    /// <summary>Names the files of the objectives with these identities (see <see cref="TypeLocation.Identity"/>); the order of the input does not matter.</summary>
    public static GeneratedFileNames Assign(IEnumerable<(string Identity, string ReadableName)> objectives)
    {
        var names = new List<FileName>();
        var distinct = objectives
            .GroupBy(o => o.Identity, StringComparer.Ordinal)
            .Select(g => g.First());
        foreach (var group in distinct.GroupBy(o => o.ReadableName, StringComparer.OrdinalIgnoreCase))
        {
            var k = 1;
            foreach (var objective in group.OrderBy(o => o.Identity, StringComparer.Ordinal))
            {
                var suffix = k == 1 ? string.Empty : "-" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
                names.Add(new FileName(objective.Identity, objective.ReadableName + suffix + Extension));
                k++;
            }
        }

        return new GeneratedFileNames(names.OrderBy(n => n.Identity, StringComparer.Ordinal).ToEquatableArray());
    }

    /// <summary>The hint name of the objective with this identity.</summary>
    public string For(string identity) => _byIdentity[identity];

    /// <summary>
    /// The dotted names as a hint name: every character Roslyn does not accept (and <c>-</c>, kept
    /// for the disambiguator) becomes <c>_</c>. Letters and digits of any script stay, so a
    /// Unicode identifier keeps a readable file name; a surrogate pair (outside what Roslyn checks
    /// char by char) becomes <c>__</c>.
    /// </summary>
    public static string ReadableName(IEnumerable<string> parts)
    {
        var name = new StringBuilder();
        foreach (var part in parts)
        {
            if (name.Length > 0)
            {
                name.Append('.');
            }

            foreach (var c in part)
            {
                name.Append(char.IsLetterOrDigit(c) || c == '_' || c == '`' ? c : '_');
            }
        }

        return name.ToString();
    }

    public bool Equals(GeneratedFileNames? other) => other is not null && _names.Equals(other._names);

    public override bool Equals(object? obj) => Equals(obj as GeneratedFileNames);

    public override int GetHashCode() => _names.GetHashCode();
}
