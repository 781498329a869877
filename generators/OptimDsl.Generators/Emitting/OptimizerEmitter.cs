using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Writes one optimizer struct (README, Optimizers): <c>MGradientDescent</c>, <c>MSgd</c> or <c>MAdam</c>.
/// </summary>
/// <remarks>
/// The struct holds the parameters, the gradient and the optimizer's state in inline arrays, so it
/// never allocates. The update is unrolled over the parameters in <c>Vector256</c> chunks, then
/// <c>Vector128</c>, then scalars; each chunk is a call to a small kernel that the JIT inlines. The
/// kernels of all widths perform the same IEEE operations in the same order (no fused
/// multiply-add), so the vector and scalar paths give bit-identical results.
/// <para>
/// Every private member of the struct (fields, methods, nested types) has a name that starts with a
/// lowercase ASCII letter, which no parameter property can take (a property is the PascalCase of a
/// parameter name, so it never starts with one): a parameter named <c>update</c> or <c>_m</c> cannot
/// clash with them. They are read as <c>this.x</c>, so no parameter shadows them; the locals of the
/// methods with data parameters come from a <see cref="NameScope"/> seeded with those parameters.
/// </para>
/// </remarks>
internal static class OptimizerEmitter
{
    private const string V256 = VectorChunks.V256;
    private const string V128 = VectorChunks.V128;
    private const string Result = "global::OptimDsl.OptimizationResult";
    private const string Status = "global::OptimDsl.OptimizationStatus";
    private const string Span = "global::System.ReadOnlySpan<double>";
    private const string OutOfRange = "global::System.ArgumentOutOfRangeException";
    private const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    public static void Emit(SourceWriter writer, GradientModel model, OptimizerModel optimizer)
        => new StructWriter(writer, model.Objective, optimizer).Write();

    private sealed class StructWriter
    {
        private readonly SourceWriter _w;
        private readonly ObjectiveModel _objective;
        private readonly OptimizerModel _optimizer;
        private readonly ParameterModel[] _trainable;
        private readonly ParameterModel[] _data;
        private readonly string _name;
        private readonly string _gradientMethod;
        private readonly int _n;

        public StructWriter(SourceWriter writer, ObjectiveModel objective, OptimizerModel optimizer)
        {
            _w = writer;
            _objective = objective;
            _optimizer = optimizer;
            _trainable = objective.Parameters.Where(p => !p.IsData).ToArray();
            _data = objective.Parameters.Where(p => p.IsData).ToArray();
            _name = Naming.OptimizerType(objective.MethodName, optimizer.Kind);
            _gradientMethod = $"{objective.Location.FullyQualifiedTypeName}.{Naming.GradientMethod(objective.MethodName)}";
            _n = _trainable.Length;
        }

        private OptimizerKind Kind => _optimizer.Kind;

        private bool HasData => _data.Length > 0;

        private bool SamplesMinibatches => Kind == OptimizerKind.Sgd && HasData;

        /// <summary>The data spans as parameters, with a trailing comma when there are any: "x, y, ".</summary>
        private string DataParameters => string.Concat(_data.Select(p => $"{Span} {Naming.Identifier(p.Name)}, "));

        private string DataArguments => string.Concat(_data.Select(p => Naming.Identifier(p.Name) + ", "));

        private string DataParametersOnly => string.Join(", ", _data.Select(p => $"{Span} {Naming.Identifier(p.Name)}"));

        private string DataArgumentsOnly => string.Join(", ", _data.Select(p => Naming.Identifier(p.Name)));

        public void Write()
        {
            WriteSummary();
            _w.WriteLine(Emitter.GeneratedCodeAttribute);
            using (_w.Block($"{_objective.Accessibility} struct {_name}"))
            {
                WriteFields();
                WriteConstructor();
                WriteParameterProperties();
                WriteHyperparameters();
                WriteStep();
                WriteMinimize();
                WriteEvaluation();
                WriteUpdate();
                WriteKernels();
                WriteNestedTypes();
            }
        }

        private void WriteSummary()
        {
            var cref = GradientEmitter.Cref(_objective);
            var (title, rule) = Kind switch
            {
                OptimizerKind.GradientDescent => ("Gradient descent", "θ ← θ − η g" + (HasData ? ", with g the mean gradient over the whole data set" : string.Empty)),
                OptimizerKind.Sgd => ("Stochastic gradient descent", HasData
                    ? "θ ← θ − η g, with g the mean gradient over a minibatch of BatchSize samples; each epoch visits every sample once, in an order shuffled by Seed (see global::OptimDsl.EpochOrder)"
                    : "θ ← θ − η g (the objective has no [Data] parameter, so this is plain gradient descent)"),
                _ => ("Adam (Kingma &amp; Ba 2015, Algorithm 1)", "m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ); θ ← θ − η m̂/(√v̂ + ε)" + (HasData ? ", with g the full-batch mean gradient" : string.Empty)),
            };
            _w.WriteLine("/// <summary>");
            _w.WriteLine($"/// {title} minimizing <see cref=\"{cref}\"/>:");
            _w.WriteLine($"/// {rule}.");
            _w.WriteLine("/// </summary>");
            _w.WriteLine("/// <remarks>");
            _w.WriteLine("/// A mutable struct holding the parameters and the optimizer's state: keep it in a local or a field and");
            _w.WriteLine("/// call its methods on that variable (a copy is an independent optimizer). It never allocates.");
            _w.WriteLine("/// </remarks>");
        }

        private void WriteFields()
        {
            _w.WriteLine("// Parameters θ, in declaration order, and the gradient at θ from the last evaluation.");
            _w.WriteLine("private parameterVector parameters;");
            _w.WriteLine("private parameterVector gradient;");
            if (Kind == OptimizerKind.Adam)
            {
                _w.WriteLine("// Adam's moment estimates m and v, and β₁ᵗ and β₂ᵗ as running products.");
                _w.WriteLine("private parameterVector m;");
                _w.WriteLine("private parameterVector v;");
                _w.WriteLine("private double beta1Power;");
                _w.WriteLine("private double beta2Power;");
            }

            _w.WriteLine("// False in default(T): only the constructor sets every hyperparameter to a valid value.");
            _w.WriteLine("private bool constructed;");
            _w.WriteLine("private long iteration;");
            _w.WriteLine("private double learningRate;");
            switch (Kind)
            {
                case OptimizerKind.Adam:
                    _w.WriteLine("private double beta1;");
                    _w.WriteLine("private double beta2;");
                    _w.WriteLine("private double epsilon;");
                    break;
                case OptimizerKind.Sgd:
                    _w.WriteLine("private int batchSize;");
                    _w.WriteLine("private int seed;");
                    if (HasData)
                    {
                        _w.WriteLine("// Where the run is in the data: the epoch, the position in its order, and the data set's size.");
                        _w.WriteLine("private long epoch;");
                        _w.WriteLine("private int position;");
                        _w.WriteLine("private int sampleCount;");
                    }

                    break;
            }

            _w.WriteLine();
        }

        private void WriteConstructor()
        {
            var attribute = $"[{Kind}]";
            _w.WriteLine($"/// <summary>Starts at the given parameters, with the hyperparameters of the {attribute} attribute.</summary>");
            foreach (var p in _trainable)
            {
                _w.WriteLine($"/// <param name=\"{p.Name}\">The initial value of {p.Name}.</param>");
            }

            var signature = string.Join(", ", _trainable.Select(p => "double " + Naming.Identifier(p.Name)));
            using (_w.Block($"public {_name}({signature})"))
            {
                foreach (var p in _trainable)
                {
                    _w.WriteLine($"this.parameters[{p.Index}] = {Naming.Identifier(p.Name)};");
                }

                _w.WriteLine("this.constructed = true;");
                _w.WriteLine($"this.learningRate = {Literal(_optimizer.LearningRate)};");
                switch (Kind)
                {
                    case OptimizerKind.Adam:
                        _w.WriteLine($"this.beta1 = {Literal(_optimizer.Beta1)};");
                        _w.WriteLine($"this.beta2 = {Literal(_optimizer.Beta2)};");
                        _w.WriteLine($"this.epsilon = {Literal(_optimizer.Epsilon)};");
                        _w.WriteLine("this.beta1Power = 1;");
                        _w.WriteLine("this.beta2Power = 1;");
                        break;
                    case OptimizerKind.Sgd:
                        _w.WriteLine($"this.batchSize = {_optimizer.BatchSize.ToString(CultureInfo.InvariantCulture)};");
                        _w.WriteLine($"this.seed = {_optimizer.Seed.ToString(CultureInfo.InvariantCulture)};");
                        break;
                }
            }

            _w.WriteLine();
        }

        private void WriteParameterProperties()
        {
            foreach (var p in _trainable)
            {
                _w.WriteLine($"/// <summary>The current value of parameter <c>{p.Name}</c>.</summary>");
                _w.WriteLine($"public double {Naming.Identifier(p.PropertyName)} {{ readonly get => this.parameters[{p.Index}]; set => this.parameters[{p.Index}] = value; }}");
                _w.WriteLine();
            }

            _w.WriteLine("/// <summary>The number of updates made so far.</summary>");
            _w.WriteLine("public readonly long Iteration => this.iteration;");
            _w.WriteLine();
        }

        private void WriteHyperparameters()
        {
            WriteCheckedProperty("LearningRate", "double", "learningRate", "The learning rate η", _optimizer.LearningRate,
                "!(value > 0) || global::System.Double.IsInfinity(value)", "The learning rate must be positive and finite.");
            switch (Kind)
            {
                case OptimizerKind.Adam:
                    WriteCheckedProperty("Beta1", "double", "beta1", "The decay rate β₁ of the first-moment estimate", _optimizer.Beta1,
                        "!(value >= 0 && value < 1)", "Beta1 must be in [0, 1).", "this.beta1Power = global::System.Math.Pow(value, this.iteration);");
                    WriteCheckedProperty("Beta2", "double", "beta2", "The decay rate β₂ of the second-moment estimate", _optimizer.Beta2,
                        "!(value >= 0 && value < 1)", "Beta2 must be in [0, 1).", "this.beta2Power = global::System.Math.Pow(value, this.iteration);");
                    WriteCheckedProperty("Epsilon", "double", "epsilon", "The term ε added to √v̂ for numerical stability", _optimizer.Epsilon,
                        "!(value > 0) || global::System.Double.IsInfinity(value)", "Epsilon must be positive and finite.");
                    break;
                case OptimizerKind.Sgd:
                    WriteCheckedProperty("BatchSize", "int", "batchSize", "The number of samples per minibatch", _optimizer.BatchSize,
                        "value < 1", "The batch size must be at least 1.");
                    _w.WriteLine($"/// <summary>The seed of the sample order; setting it starts the order afresh. Defaults to {_optimizer.Seed.ToString(CultureInfo.InvariantCulture)}.</summary>");
                    using (_w.Block("public int Seed"))
                    {
                        _w.WriteLine("readonly get => this.seed;");
                        _w.WriteLine(HasData
                            ? "set { this.seed = value; this.epoch = 0; this.position = 0; }"
                            : "set => this.seed = value;");
                    }

                    _w.WriteLine();
                    break;
            }
        }

        private void WriteCheckedProperty(string name, string type, string field, string summary, double defaultValue, string invalid, string message, string? onChange = null)
        {
            _w.WriteLine($"/// <summary>{summary}. Defaults to the attribute's value, {Literal(defaultValue)}.</summary>");
            _w.WriteLine($"/// <exception cref=\"{OutOfRange}\">The value is out of range; the optimizer is unchanged.</exception>");
            using (_w.Block($"public {type} {name}"))
            {
                _w.WriteLine($"readonly get => this.{field};");
                using (_w.Block("set"))
                {
                    using (_w.Block($"if ({invalid})"))
                    {
                        _w.WriteLine($"throw new {OutOfRange}(\"{name}\", value, \"{message}\");");
                    }

                    _w.WriteLine($"this.{field} = value;");
                    if (onChange is not null)
                    {
                        _w.WriteLine(onChange);
                    }
                }
            }

            _w.WriteLine();
        }

        private void WriteStep()
        {
            var what = SamplesMinibatches
                ? "One update from the next minibatch; returns the minibatch's mean loss before the update"
                : HasData ? "One update from the full-batch gradient; returns the mean loss before the update"
                : "One update; returns the loss before it";
            _w.WriteLine($"/// <summary>{what}.</summary>");
            WriteDataParamDocs();
            using (_w.Block($"public double Step({DataParametersOnly})"))
            {
                _w.WriteLine("this.ensureConstructed();");
                if (SamplesMinibatches)
                {
                    GradientEmitter.EmitDataChecks(_w, _data);
                }

                var loss = new NameScope(_data.Select(p => p.Name)).Reserve("loss");
                _w.WriteLine($"double {loss} = this.{(SamplesMinibatches ? "evaluateMinibatch" : "evaluate")}({DataArgumentsOnly});");
                _w.WriteLine("this.update();");
                _w.WriteLine($"return {loss};");
            }

            _w.WriteLine();
        }

        private void WriteDataParamDocs()
        {
            foreach (var p in _data)
            {
                _w.WriteLine($"/// <param name=\"{p.Name}\">The samples' values of {p.Name}; every data span has the same length.</param>");
            }
        }

        private void WriteMinimize()
        {
            var check = SamplesMinibatches
                ? "The full-batch gradient norm is checked at the start and at the end of each epoch."
                : "The gradient norm is checked before every update.";
            _w.WriteLine("/// <summary>");
            _w.WriteLine("/// Updates until the gradient's 2-norm is at most <paramref name=\"tolerance\"/> or");
            _w.WriteLine($"/// <paramref name=\"maxIterations\"/> updates are made. {check}");
            _w.WriteLine("/// </summary>");
            WriteDataParamDocs();
            _w.WriteLine("/// <param name=\"maxIterations\">The most updates to make; positive.</param>");
            _w.WriteLine("/// <param name=\"tolerance\">The gradient norm at which to stop; zero or positive.</param>");
            _w.WriteLine("/// <returns>The updates made, and the loss and gradient norm at the parameters held on return.</returns>");
            using (_w.Block($"public {Result} Minimize({DataParameters}int maxIterations, double tolerance = 1e-8)"))
            {
                _w.WriteLine("noObserver observer = default;");
                _w.WriteLine($"return this.Minimize({DataArguments}maxIterations, tolerance, ref observer);");
            }

            _w.WriteLine();
            _w.WriteLine("/// <summary>");
            _w.WriteLine("/// Like <c>Minimize</c>, calling <paramref name=\"observer\"/> after each update with the iteration, and the");
            _w.WriteLine("/// loss and gradient norm that update saw; the run stops when it returns false.");
            _w.WriteLine("/// When the loss, the gradient or a parameter turns NaN or infinite, the run stops with");
            _w.WriteLine("/// <see cref=\"global::OptimDsl.OptimizationStatus.Diverged\"/> and the parameters of the last finite step.");
            _w.WriteLine("/// </summary>");
            WriteDataParamDocs();
            _w.WriteLine("/// <param name=\"maxIterations\">The most updates to make; positive.</param>");
            _w.WriteLine("/// <param name=\"tolerance\">The gradient norm at which to stop; zero or positive.</param>");
            _w.WriteLine("/// <param name=\"observer\">Called after each update; a struct observer is called without allocation.</param>");
            // TObserver, unless a containing type's type parameter (which it would hide, CS0693) or a data parameter has that name.
            var observerType = new NameScope(_objective.Location.ContainingTypes.SelectMany(t => t.TypeParameters).Concat(_data.Select(p => p.Name))).Reserve("TObserver");
            _w.WriteLine($"/// <typeparam name=\"{observerType}\">The observer's type; a struct avoids allocation and virtual calls.</typeparam>");
            _w.WriteLine("/// <returns>The updates made, and the loss and gradient norm at the parameters held on return.</returns>");
            _w.WriteLine($"public {Result} Minimize<{observerType}>({DataParameters}int maxIterations, double tolerance, ref {observerType} observer)");
            using (_w.Block($"    where {observerType} : global::OptimDsl.IOptimizationObserver"))
            {
                using (_w.Block("if (maxIterations <= 0)"))
                {
                    _w.WriteLine($"throw new {OutOfRange}(\"maxIterations\", maxIterations, \"At least one iteration is needed.\");");
                }

                using (_w.Block("if (!(tolerance >= 0))"))
                {
                    _w.WriteLine($"throw new {OutOfRange}(\"tolerance\", tolerance, \"The tolerance must be zero or positive.\");");
                }

                _w.WriteLine("this.ensureConstructed();");
                _w.WriteLine();
                if (SamplesMinibatches)
                {
                    WriteMinibatchLoop();
                }
                else
                {
                    WriteFullBatchLoop();
                }
            }

            _w.WriteLine();
        }

        private void WriteFullBatchLoop()
        {
            _w.WriteLines(WithLocals("""
                double loss = this.evaluate({data});
                double norm = this.gradientNorm();
                if (!this.isFinite(loss, norm))
                {
                    return new {Result}(0, loss, norm, {Status}.Diverged);
                }

                long updates = 0;
                while (true)
                {
                    if (norm <= tolerance)
                    {
                        return new {Result}(updates, loss, norm, {Status}.Converged);
                    }

                    if (updates == maxIterations)
                    {
                        return new {Result}(updates, loss, norm, {Status}.IterationLimit);
                    }

                    // What the update changes, to restore if the step diverges (every step recomputes the gradient).
                    {save}
                    double stepLoss = loss, stepNorm = norm;
                    this.update();
                    updates++;
                    loss = this.evaluate({data});
                    norm = this.gradientNorm();
                    if (!this.isFinite(loss, norm))
                    {
                        {restore}
                        return new {Result}(updates - 1, stepLoss, stepNorm, {Status}.Diverged);
                    }

                    if (!observer.OnStep(this.iteration, stepLoss, stepNorm))
                    {
                        return new {Result}(updates, loss, norm, {Status}.Stopped);
                    }
                }
                """, "loss", "norm", "updates", "stepLoss", "stepNorm"));
        }

        /// <summary>The fields <c>Update</c> changes: θ, the iteration count, and Adam's moments and β powers.</summary>
        private string[] UpdatedFields => Kind == OptimizerKind.Adam
            ? new[] { "parameters", "m", "v", "beta1Power", "beta2Power", "iteration" }
            : new[] { "parameters", "iteration" };

        /// <summary>
        /// A template of <c>Minimize</c>'s loop with its locals named apart from the method's parameters
        /// (the data spans can have any name: a <c>[Data] double loss</c> makes the local <c>loss2</c>);
        /// then <c>{data}</c>, <c>{Result}</c>, <c>{Status}</c>, <c>{save}</c> and <c>{restore}</c> filled in.
        /// Comment lines keep their words.
        /// </summary>
        private string WithLocals(string template, params string[] locals)
        {
            var scope = new NameScope(_data.Select(p => p.Name).Concat(new[] { "maxIterations", "tolerance", "observer" }));
            var names = locals.Concat(UpdatedFields.Select(SavedName)).ToDictionary(l => l, l => scope.Reserve(l), StringComparer.Ordinal);
            var lines = template.Split('\n').Select(line => line.TrimStart().StartsWith("//", StringComparison.Ordinal)
                ? line
                : LocalName.Replace(line, m => names.TryGetValue(m.Value, out var name) ? name : m.Value));

            // One statement per line, indented as the loop body (save) and the if block (restore) they are written into.
            var save = string.Join("\n    ", UpdatedFields.Select(f => $"var {names[SavedName(f)]} = this.{f};"));
            var restore = string.Join("\n        ", UpdatedFields.Select(f => $"this.{f} = {names[SavedName(f)]};"));
            return string.Join("\n", lines)
                .Replace("{data}", DataArgumentsOnly)
                .Replace("{Result}", Result)
                .Replace("{Status}", Status)
                .Replace("{save}", save)
                .Replace("{restore}", restore);
        }

        /// <summary>An identifier that is not a member access (<c>this.loss</c> is a field, not a local).</summary>
        private static readonly Regex LocalName = new(@"(?<![\w.])[A-Za-z_]\w*", RegexOptions.CultureInvariant);

        /// <summary><c>beta1Power</c> → <c>previousBeta1Power</c>.</summary>
        private static string SavedName(string field) => "previous" + char.ToUpperInvariant(field[0]) + field.Substring(1);

        private void WriteMinibatchLoop()
        {
            _w.WriteLines(WithLocals("""
                // The full-batch loss and gradient norm at the current parameters; the minibatch steps
                // in between only see their own samples.
                double loss = this.evaluate({data});
                double norm = this.gradientNorm();
                if (!this.isFinite(loss, norm))
                {
                    return new {Result}(0, loss, norm, {Status}.Diverged);
                }

                // The last state whose full-batch loss was finite (the start, then each epoch's end):
                // where a diverging run returns to when the step before the divergence is no better.
                var checkpoint = this;
                double checkpointLoss = loss, checkpointNorm = norm;
                long updates = 0, checkpointUpdates = 0;
                while (true)
                {
                    if (norm <= tolerance)
                    {
                        return new {Result}(updates, loss, norm, {Status}.Converged);
                    }

                    if (updates == maxIterations)
                    {
                        return new {Result}(updates, loss, norm, {Status}.IterationLimit);
                    }

                    var previous = this;
                    double stepLoss = this.evaluateMinibatch({data});
                    double stepNorm = this.gradientNorm();
                    this.update();
                    updates++;
                    bool diverged = !this.isFinite(stepLoss, stepNorm);
                    bool stop = !diverged && !observer.OnStep(this.iteration, stepLoss, stepNorm);
                    if (!diverged && (stop || this.position == 0 || updates == maxIterations))
                    {
                        loss = this.evaluate({data});
                        norm = this.gradientNorm();
                        diverged = !this.isFinite(loss, norm);
                    }
                    else
                    {
                        // Mid-epoch: no convergence check until the epoch ends.
                        norm = double.PositiveInfinity;
                    }

                    if (diverged)
                    {
                        this = previous;
                        updates--;
                        loss = this.evaluate({data});
                        norm = this.gradientNorm();
                        if (!this.isFinite(loss, norm))
                        {
                            this = checkpoint;
                            (loss, norm, updates) = (checkpointLoss, checkpointNorm, checkpointUpdates);
                        }

                        return new {Result}(updates, loss, norm, {Status}.Diverged);
                    }

                    if (stop)
                    {
                        return new {Result}(updates, loss, norm, {Status}.Stopped);
                    }

                    if (this.position == 0)
                    {
                        checkpoint = this;
                        (checkpointLoss, checkpointNorm, checkpointUpdates) = (loss, norm, updates);
                    }
                }
                """, "loss", "norm", "checkpoint", "checkpointLoss", "checkpointNorm", "updates", "checkpointUpdates", "previous", "stepLoss", "stepNorm", "diverged", "stop"));
        }

        private void WriteEvaluation()
        {
            _w.WriteLine("/// <summary>The loss at θ; writes the gradient at θ to <c>gradient</c>.</summary>");
            if (HasData)
            {
                using (_w.Block($"private double evaluate({DataParametersOnly})"))
                {
                    _w.WriteLine($"return {_gradientMethod}(this.parameters, {DataArguments}this.gradient);");
                }
            }
            else
            {
                using (_w.Block("private double evaluate()"))
                {
                    _w.WriteLine($"return {GradientEmitter.CoreCall(_objective, "this.parameters[0]", "this.gradient[0]")};");
                }
            }

            _w.WriteLine();
            if (SamplesMinibatches)
            {
                WriteMinibatchEvaluation();
            }

            _w.WriteLines($$"""
                {{Inline}}
                private readonly double gradientNorm()
                {
                    global::System.ReadOnlySpan<double> gradient = this.gradient;
                    double sum = 0;
                    for (int i = 0; i < gradient.Length; i++)
                    {
                        sum += gradient[i] * gradient[i];
                    }

                    if (sum > 1e-290 && sum < double.PositiveInfinity)
                    {
                        return global::System.Math.Sqrt(sum);
                    }

                    // The squares overflowed or underflowed: scale by the largest component.
                    double largest = 0;
                    for (int i = 0; i < gradient.Length; i++)
                    {
                        largest = global::System.Math.Max(largest, global::System.Math.Abs(gradient[i]));
                    }

                    if (largest == 0 || !global::System.Double.IsFinite(largest))
                    {
                        return largest;
                    }

                    double scaled = 0;
                    for (int i = 0; i < gradient.Length; i++)
                    {
                        double component = gradient[i] / largest;
                        scaled += component * component;
                    }

                    return largest * global::System.Math.Sqrt(scaled);
                }

                {{Inline}}
                private readonly bool isFinite(double loss, double norm)
                {
                    global::System.ReadOnlySpan<double> parameters = this.parameters;
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        if (!global::System.Double.IsFinite(parameters[i]))
                        {
                            return false;
                        }
                    }

                    return global::System.Double.IsFinite(loss) && global::System.Double.IsFinite(norm);
                }

                private readonly void ensureConstructed()
                {
                    if (!this.constructed)
                    {
                        throw new global::System.InvalidOperationException("This {{_name}} was not constructed: create it with new {{_name}}({{string.Join(", ", _trainable.Select(p => p.Name))}}).");
                    }
                }

                """);
        }

        /// <summary>The mean loss and gradient over the next minibatch of the epoch's order.</summary>
        private void WriteMinibatchEvaluation()
        {
            var scope = new NameScope(_data.Select(p => p.Name));
            var count = scope.Reserve("count");
            var order = scope.Reserve("order");
            var batch = scope.Reserve("batch");
            var loss = scope.Reserve("loss");
            var k = scope.Reserve("k");
            var sample = scope.Reserve("sample");
            var p = _trainable.Select(t => scope.Reserve("p" + t.Index)).ToArray();
            var sums = _trainable.Select(t => scope.Reserve("sum" + t.Index)).ToArray();
            var d = _trainable.Select(t => scope.Reserve("d" + t.Index)).ToArray();
            var first = Naming.Identifier(_data[0].Name);

            _w.WriteLine("/// <summary>The mean loss over the next minibatch; writes its mean gradient to <c>gradient</c> and advances the position in the epoch.</summary>");
            using (_w.Block($"private double evaluateMinibatch({DataParametersOnly})"))
            {
                _w.WriteLine($"int {count} = {first}.Length;");
                using (_w.Block($"if ({count} != this.sampleCount)"))
                {
                    _w.WriteLine("// A new data set (or the first): start its order from the beginning.");
                    _w.WriteLine($"this.sampleCount = {count};");
                    _w.WriteLine("this.position = 0;");
                }

                _w.WriteLine($"var {order} = new global::OptimDsl.EpochOrder({count}, this.seed, this.epoch);");
                _w.WriteLine($"int {batch} = global::System.Math.Min(this.batchSize, {count} - this.position);");
                _w.WriteLine($"double {string.Join(", ", _trainable.Select(t => $"{p[t.Index]} = this.parameters[{t.Index}]"))};");
                _w.WriteLine($"double {loss} = 0, {string.Join(", ", sums.Select(s => s + " = 0"))};");
                using (_w.Block($"for (int {k} = 0; {k} < {batch}; {k}++)"))
                {
                    _w.WriteLine($"int {sample} = {order}[this.position + {k}];");
                    var arguments = _objective.Parameters.Select(q => q.IsData ? $"{Naming.Identifier(q.Name)}[{sample}]" : p[q.Index])
                        .Concat(d.Select(x => "out double " + x));
                    _w.WriteLine($"{loss} += {_gradientMethod}({string.Join(", ", arguments)});");
                    foreach (var t in _trainable)
                    {
                        _w.WriteLine($"{sums[t.Index]} += {d[t.Index]};");
                    }
                }

                foreach (var t in _trainable)
                {
                    _w.WriteLine($"this.gradient[{t.Index}] = {sums[t.Index]} / {batch};");
                }

                _w.WriteLine($"this.position += {batch};");
                using (_w.Block($"if (this.position == {count})"))
                {
                    _w.WriteLine("this.epoch++;");
                    _w.WriteLine("this.position = 0;");
                }

                _w.WriteLine($"return {loss} / {batch};");
            }

            _w.WriteLine();
        }

        private void WriteUpdate()
        {
            var isAdam = Kind == OptimizerKind.Adam;
            _w.WriteLine(isAdam
                ? "/// <summary>One Adam update from <c>gradient</c>, unrolled over the parameters.</summary>"
                : "/// <summary>One gradient step from <c>gradient</c>, unrolled over the parameters.</summary>");
            using (_w.Block("private void update()"))
            {
                _w.WriteLine("this.iteration++;");
                string arguments;
                if (isAdam)
                {
                    _w.WriteLine("this.beta1Power *= this.beta1;");
                    _w.WriteLine("this.beta2Power *= this.beta2;");
                    _w.WriteLine("var c = new adamCoefficients(this.learningRate, this.beta1, this.beta2, this.epsilon, 1 - this.beta1Power, 1 - this.beta2Power);");
                    arguments = "ref this.parameters[{0}], {1}this.gradient[{0}], ref this.m[{0}], ref this.v[{0}], in c";
                }
                else
                {
                    _w.WriteLine("double learningRate = this.learningRate;");
                    arguments = "ref this.parameters[{0}], {1}this.gradient[{0}], learningRate";
                }

                var kernel = isAdam ? "adam" : "descend";
                VectorChunks.Write(_w, _n, (width, offset) =>
                {
                    var byRef = width == 1 ? string.Empty : "ref ";
                    var suffix = width switch { 4 => "256", 2 => "128", _ => "Scalar" };
                    var args = string.Format(CultureInfo.InvariantCulture, arguments, offset, byRef);
                    return $"{kernel}{suffix}({args});";
                });
            }

            _w.WriteLine();
        }

        private void WriteKernels()
        {
            var widths = new List<(string Suffix, string Vector)>();
            if (_n >= 4)
            {
                widths.Add(("256", V256));
            }

            if (_n >= 2)
            {
                widths.Add(("128", V128));
            }

            if (Kind == OptimizerKind.Adam)
            {
                WriteAdamKernels(widths);
            }
            else
            {
                WriteDescentKernels(widths);
            }
        }

        private void WriteDescentKernels(List<(string Suffix, string Vector)> widths)
        {
            _w.WriteLine("// θ ← θ − η g for one parameter, and for chunks of parameters.");
            _w.WriteLine(Inline);
            _w.WriteLine("private static void descendScalar(ref double parameter, double gradient, double learningRate) => parameter = parameter - learningRate * gradient;");
            foreach (var (suffix, vector) in widths)
            {
                _w.WriteLine();
                _w.WriteLine(Inline);
                using (_w.Block($"private static void descend{suffix}(ref double parameters, ref double gradient, double learningRate)"))
                {
                    _w.WriteLine($"var step = {vector}.Create(learningRate) * {vector}.LoadUnsafe(ref gradient);");
                    _w.WriteLine($"{vector}.StoreUnsafe({vector}.LoadUnsafe(ref parameters) - step, ref parameters);");
                }
            }

            _w.WriteLine();
        }

        private void WriteAdamKernels(List<(string Suffix, string Vector)> widths)
        {
            _w.WriteLines("""
                // One Adam update for one parameter, and for chunks of parameters. Every width performs the
                // same operations in the same order, so all paths round identically.
                [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
                private static void adamScalar(ref double parameter, double gradient, ref double m, ref double v, in adamCoefficients c)
                {
                    m = c.Beta1 * m + c.OneMinusBeta1 * gradient;
                    v = c.Beta2 * v + c.OneMinusBeta2 * (gradient * gradient);
                    double mHat = m / c.BiasCorrection1;
                    double vHat = v / c.BiasCorrection2;
                    parameter = parameter - c.LearningRate * mHat / (global::System.Math.Sqrt(vHat) + c.Epsilon);
                }
                """);
            foreach (var (suffix, vector) in widths)
            {
                _w.WriteLine();
                _w.WriteLines($$"""
                    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
                    private static void adam{{suffix}}(ref double parameters, ref double gradient, ref double m, ref double v, in adamCoefficients c)
                    {
                        var g = {{vector}}.LoadUnsafe(ref gradient);
                        var mNew = {{vector}}.Create(c.Beta1) * {{vector}}.LoadUnsafe(ref m) + {{vector}}.Create(c.OneMinusBeta1) * g;
                        var vNew = {{vector}}.Create(c.Beta2) * {{vector}}.LoadUnsafe(ref v) + {{vector}}.Create(c.OneMinusBeta2) * (g * g);
                        {{vector}}.StoreUnsafe(mNew, ref m);
                        {{vector}}.StoreUnsafe(vNew, ref v);
                        var mHat = mNew / {{vector}}.Create(c.BiasCorrection1);
                        var vHat = vNew / {{vector}}.Create(c.BiasCorrection2);
                        var theta = {{vector}}.LoadUnsafe(ref parameters) - {{vector}}.Create(c.LearningRate) * mHat / ({{vector}}.Sqrt(vHat) + {{vector}}.Create(c.Epsilon));
                        {{vector}}.StoreUnsafe(theta, ref parameters);
                    }
                    """);
            }

            _w.WriteLine();
        }

        private void WriteNestedTypes()
        {
            if (Kind == OptimizerKind.Adam)
            {
                _w.WriteLines("""
                    /// <summary>The scalars of one Adam step: η, β₁, 1 − β₁, β₂, 1 − β₂, ε and the bias corrections 1 − β₁ᵗ, 1 − β₂ᵗ.</summary>
                    private readonly struct adamCoefficients
                    {
                        public readonly double LearningRate, Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, Epsilon, BiasCorrection1, BiasCorrection2;

                        public adamCoefficients(double learningRate, double beta1, double beta2, double epsilon, double biasCorrection1, double biasCorrection2)
                        {
                            LearningRate = learningRate;
                            Beta1 = beta1;
                            OneMinusBeta1 = 1 - beta1;
                            Beta2 = beta2;
                            OneMinusBeta2 = 1 - beta2;
                            Epsilon = epsilon;
                            BiasCorrection1 = biasCorrection1;
                            BiasCorrection2 = biasCorrection2;
                        }
                    }

                    """);
            }

            _w.WriteLines($$"""
                /// <summary>The observer of <c>Minimize</c> without one.</summary>
                private struct noObserver : global::OptimDsl.IOptimizationObserver
                {
                    public bool OnStep(long iteration, double loss, double gradientNorm) => true;
                }

                /// <summary>{{_n}} doubles stored inline, contiguous so that SIMD loads can read them.</summary>
                [global::System.Runtime.CompilerServices.InlineArray({{_n}})]
                private struct parameterVector
                {
                    private double _element0;
                }
                """);
        }

        private static string Literal(double value) => ExpressionPrinter.FormatConstant(value);
    }
}
