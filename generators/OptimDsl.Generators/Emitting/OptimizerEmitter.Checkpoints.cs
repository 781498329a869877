using System.Linq;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

internal static partial class OptimizerEmitter
{
    private sealed partial class StructWriter
    {
        private const string Checkpoint = "global::OptimDsl.Checkpoint";

        /// <summary>
        /// <c>SaveState</c> and <c>LoadState</c> (README, Checkpoints): the runtime library's header, then the
        /// vectors and the rule, clipping and minibatch structs, in the order of the fields.
        /// </summary>
        private void WriteCheckpoints()
        {
            var objective = _objective.Location.FullyQualifiedTypeName.Replace("global::", string.Empty) + "." + _objective.MethodName;
            var layout = GradientEmitter.Names(_trainable) + (HasData ? "; data " + GradientEmitter.Names(_data) : string.Empty);
            if (!_definition.IsFirstOrder)
            {
                // L-BFGS: the history's capacity is part of the layout; a float solver's doubles, then its floats.
                layout += $"; solver state {SolverStateLength}" + (SolverElementLength > 0 ? $" + {SolverElementLength}" : string.Empty);
            }

            if (IsFloat)
            {
                layout += "; float"; // the element type: a double checkpoint of the same name and parameters is refused (README, Float objectives)
            }

            var header = $"stream, \"{objective}\", \"{_optimizer.Name}\", \"{layout}\", {_count}";
            var parts = !_definition.IsFirstOrder ? new[] { "rule" }
                : HasMinibatches ? new[] { "rule", "clipping", "batches" }
                : new[] { "rule", "clipping" };

            _w.WriteLine("/// <summary>");
            _w.WriteLine(HasMinibatches
                ? "/// Writes everything this optimizer holds (parameters, gradient, state, hyperparameters, iteration,"
                : "/// Writes everything this optimizer holds (parameters, gradient, state, hyperparameters and iteration)");
            _w.WriteLine(HasMinibatches
                ? "/// minibatch position) to <paramref name=\"stream\"/> as a checkpoint that <c>LoadState</c> reads (README, Checkpoints)."
                : "/// to <paramref name=\"stream\"/> as a checkpoint that <c>LoadState</c> reads (README, Checkpoints).");
            _w.WriteLine("/// </summary>");
            using (_w.Block("public readonly void SaveState(global::System.IO.Stream stream)"))
            {
                _w.WriteLine(EnsureConstructed);
                _w.WriteLine($"{Checkpoint}.WriteHeader({header});");
                foreach (var vector in Vectors)
                {
                    _w.WriteLine($"{Checkpoint}.Write(stream, {VectorSpan("this", vector, "ReadOnlySpan")});");
                }

                foreach (var part in parts)
                {
                    _w.WriteLine($"{Checkpoint}.Write(stream, in this.{part});");
                }
            }

            _w.WriteLine();
            _w.WriteLine("/// <summary>");
            _w.WriteLine("/// Reads one checkpoint that <c>SaveState</c> wrote and returns the optimizer it describes, which continues");
            _w.WriteLine("/// bit-identically; leaves the stream open, after the checkpoint.");
            _w.WriteLine("/// </summary>");
            _w.WriteLine("/// <exception cref=\"global::System.IO.InvalidDataException\">The stream holds no checkpoint of this objective, optimizer, layout and format version, or is truncated.</exception>");
            using (_w.Block($"public static {_name} LoadState(global::System.IO.Stream stream)"))
            {
                _w.WriteLine($"{Checkpoint}.ReadHeader({header});");
                _w.WriteLine($"var optimizer = new {_name}(new {Element}[{_count}]); // the storage, filled below");
                foreach (var vector in Vectors)
                {
                    _w.WriteLine($"{Checkpoint}.Read(stream, {VectorSpan("optimizer", vector, "Span")});");
                }

                foreach (var part in parts)
                {
                    _w.WriteLine($"{Checkpoint}.Read(stream, ref optimizer.{part});");
                }

                _w.WriteLine("return optimizer;");
            }

            _w.WriteLine();
        }

        private string VectorSpan(string owner, string vector, string span)
            => OnHeap ? $"{owner}.{vector}" : $"(global::System.{span}<{ElementOf(vector)}>){owner}.{vector}";
    }
}
