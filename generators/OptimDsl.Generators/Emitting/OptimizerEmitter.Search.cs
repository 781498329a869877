using System.Linq;
using OptimDsl.Generators.Catalogue;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

internal static partial class OptimizerEmitter
{
    private sealed partial class StructWriter
    {
        private const string Engine = "global::OptimDsl.HyperparameterSearch";

        /// <summary>The hyperparameters a search may set: the settable ones, not <c>Seed</c> (README, Choosing hyperparameters).</summary>
        private HyperparameterDefinition[] Searchable
            => Hyperparameters.Where(h => !h.FixedAtCompileTime && h.Name != "Seed").ToArray();

        /// <summary>
        /// The nested <c>SearchSpace</c> and <c>Hyperparameters</c> types and the static <c>Search</c> methods:
        /// the optimizer-specific parts of the runtime library's <c>HyperparameterSearch</c>.
        /// </summary>
        private void WriteSearch()
        {
            var searchable = Searchable;
            var result = $"global::OptimDsl.SearchResult<{_name}, {_name}.Hyperparameters>";

            _w.WriteLine("/// <summary>The ranges of a hyperparameter search: one per settable hyperparameter; one left null keeps the start's value.</summary>");
            using (_w.Block("public sealed class SearchSpace"))
            {
                for (var k = 0; k < searchable.Length; k++)
                {
                    if (k > 0)
                    {
                        _w.WriteLine();
                    }

                    _w.WriteLine($"/// <summary>The values to try for <see cref=\"{_name}.{searchable[k].Name}\"/>, or null.</summary>");
                    _w.WriteLine($"public global::OptimDsl.SearchRange {searchable[k].Name} {{ get; set; }}");
                }
            }

            _w.WriteLine();
            _w.WriteLine("/// <summary>The values of the settable hyperparameters, as one search trial had them.</summary>");
            _w.WriteLine($"public readonly record struct Hyperparameters({string.Join(", ", searchable.Select(h => $"{h.TypeKeyword} {h.Name}"))});");
            _w.WriteLine();

            var integers = $"new[] {{ {string.Join(", ", searchable.Select(h => h.Type == HyperparameterType.Int ? "true" : "false"))} }}";
            var memories = string.Concat(_data.Select(p => $"global::System.ReadOnlyMemory<{Element}> {Naming.Identifier(p.Name)}, "));

            // What both Search overloads pass the runtime library's search: the ranges in the search space's order,
            // which of them are integers, and the data; the optimizer's own parts are the interface members below.
            var ranges = $"new global::OptimDsl.SearchRange[] {{ {string.Join(", ", searchable.Select(h => "space." + h.Name))} }}";
            var exception = "/// <exception cref=\"global::System.ArgumentOutOfRangeException\">A range reaches outside its hyperparameter's valid values (ParamName names the hyperparameter), or an option is out of range.</exception>";
            void WriteOverload(string summary, string validationParameters, string[] validation, params ParameterModel[][] checkedData)
            {
                _w.WriteLines(summary);
                _w.WriteLine(exception);
                using (_w.Block($"public static {result} Search({_name} start, {memories}{validationParameters}SearchSpace space, global::OptimDsl.SearchOptions options = null)"))
                {
                    _w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(space);");
                    // The data's shape, checked here so that the exception names the argument (validationY, not y).
                    var locals = new NameScope(checkedData.SelectMany(d => d.Select(p => p.Name)).Concat(new[] { "start", "space", "options" }));
                    foreach (var data in checkedData)
                    {
                        GradientEmitter.EmitDataChecks(_w, data, locals.Reserve("samples"));
                    }

                    _w.WriteLine($"return {Engine}.Search<{_name}, Hyperparameters, {Element}>(start, {ranges}, {integers}, options, {Memories(_data.Select(p => Naming.Identifier(p.Name)))}, {Memories(validation)});");
                }

                _w.WriteLine();
            }

            WriteOverload(
                $"""
                /// <summary>
                /// Runs <c>Minimize</c> from a copy of <paramref name="start"/> at each point of <paramref name="space"/>{(HasData ? " on the data" : string.Empty)} and scores it by
                /// the loss it returns (README, Choosing hyperparameters); the result is the same for every degree of parallelism.
                /// </summary>
                """,
                string.Empty,
                System.Array.Empty<string>(),
                HasData ? new[] { _data } : System.Array.Empty<ParameterModel[]>());
            if (HasData)
            {
                var validation = _data.Select(p => "validation" + Naming.PascalCase(p.Name)).ToArray();
                var validationData = _data.Select((p, k) => p with { Name = validation[k] }).ToArray();
                WriteOverload(
                    "/// <summary>Like <c>Search</c> on the training data, scoring each trial by its mean loss on the validation data.</summary>",
                    string.Concat(validation.Select(v => $"global::System.ReadOnlyMemory<{Element}> {v}, ")),
                    validation,
                    _data,
                    validationData);
            }

            // The interface's members, explicit: a trial's point, its hyperparameters, its run and its validation loss.
            _w.WriteLine("// What OptimDsl.HyperparameterSearch calls for each trial.");
            using (_w.Block($"void {SearchMember}.SetSearchPoint(global::System.ReadOnlySpan<double> point)"))
            {
                for (var k = 0; k < searchable.Length; k++)
                {
                    var value = (searchable[k].Type == HyperparameterType.Int ? "(int)" : string.Empty) + $"point[{k}]";
                    _w.WriteLine($"if (!double.IsNaN(point[{k}])) this.{searchable[k].Name} = {value};");
                }
            }

            _w.WriteLine();
            _w.WriteLine($"Hyperparameters {SearchMember}.SearchHyperparameters() => new Hyperparameters({string.Join(", ", searchable.Select(h => "this." + h.Name))});");
            _w.WriteLine();
            var data = string.Concat(_data.Select((p, k) => $"data[{k}].Span, "));
            _w.WriteLine($"global::OptimDsl.OptimizationResult {SearchMember}.MinimizeTrial(global::System.ReadOnlyMemory<{Element}>[] data, int maxIterations, double tolerance) => this.Minimize({data}maxIterations, tolerance);");
            _w.WriteLine();
            if (HasData)
            {
                var validationSpans = string.Concat(_data.Select((p, k) => $"validation[{k}].Span, "));
                _w.WriteLine($"double {SearchMember}.ValidationLoss(global::System.ReadOnlyMemory<{Element}>[] validation) => {_gradientMethod}(this.Parameters, {validationSpans}new {Element}[{_count}]);");
                _w.WriteLine();
            }
        }

        /// <summary>
        /// The interface through which the runtime library's search runs this optimizer's trials, as the struct's base list
        /// names it (where the nested Hyperparameters is not in scope); the struct's body names it with the shorter
        /// <see cref="SearchMember"/>.
        /// </summary>
        private string SearchInterface => $"global::OptimDsl.ISearchableOptimizer<{_name}, {_name}.Hyperparameters, {Element}>";

        private string SearchMember => $"global::OptimDsl.ISearchableOptimizer<{_name}, Hyperparameters, {Element}>";

        /// <summary>An array of the given memories, or null when there are none.</summary>
        private string Memories(System.Collections.Generic.IEnumerable<string> names)
        {
            var list = names.ToArray();
            return list.Length == 0 ? "null" : $"new global::System.ReadOnlyMemory<{Element}>[] {{ {string.Join(", ", list)} }}";
        }

        /// <summary>The learning-rate range test (README, Choosing hyperparameters): one update per rate, from a copy of the start.</summary>
        private void WriteFindLearningRate()
        {
            _w.WriteLine("/// <summary>");
            _w.WriteLine("/// The learning-rate range test (Smith 2017): from a copy of <paramref name=\"start\"/>, one update per rate,");
            _w.WriteLine("/// the rates rising geometrically from <paramref name=\"minRate\"/> to <paramref name=\"maxRate\"/>, until the smoothed");
            _w.WriteLine("/// loss exceeds 4× its best (README, Choosing hyperparameters).");
            _w.WriteLine("/// </summary>");
            _w.WriteLine("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">A rate is not positive and finite, maxRate is not above minRate, or steps is below 2.</exception>");
            using (_w.Block($"public static global::OptimDsl.LearningRateFinderResult FindLearningRate({_name} start, {DataParameters}double minRate = 1e-7, double maxRate = 10, int steps = 100)"))
            {
                _w.WriteLine("var finder = new global::OptimDsl.LearningRateFinder(minRate, maxRate, steps);");
                _w.WriteLine("var optimizer = start.Clone();");
                using (_w.Block("while (finder.Next(out double rate))"))
                {
                    _w.WriteLine("optimizer.LearningRate = rate;");
                    _w.WriteLine($"finder.Record(optimizer.Step({DataArgumentsOnly}));");
                }

                _w.WriteLine("return finder.Result();");
            }

            _w.WriteLine();
        }
    }
}
