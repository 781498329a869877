using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using OptimDsl.Generators.Catalogue;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Writes one optimizer struct (README, Optimizers), <c>M{Optimizer}</c>, from its catalogue row.
/// </summary>
/// <remarks>
/// The struct keeps only what depends on the objective: the parameters, the gradient and the rule's
/// per-parameter state in inline arrays (so it never allocates), the constructor and properties, the
/// calls of the gradient, and the update unrolled over the parameters in chunks of 4, then 2, then 1
/// (a float objective's: 8, 4, 1, through the rule's <c>BeginSingle</c>; README, Float objectives),
/// each chunk one call of the rule's entry point of that width (<c>Update256</c>, <c>Update128</c>,
/// <c>Update</c>, which fall back to narrower widths where theirs is not accelerated). The rule itself,
/// the clipping, the minibatch order and <c>Minimize</c>'s policy are in the runtime library
/// (<c>OptimDsl.Rules</c>, <c>GradientClipping</c>, <c>Minibatches</c>, <c>MinimizeRun</c>). Without data,
/// <c>Step</c> and <c>Minimize</c> are the runtime's <c>OptimizerLoops</c>, which call the struct through
/// <c>IGeneratedOptimizer</c>, implemented explicitly; with data, their loops are written here, since
/// the data spans cannot pass through a generic interface.
/// <para>
/// Every private member of the struct (fields, methods, nested types) has a name that starts with a
/// lowercase ASCII letter, which no parameter property can take (a property is the PascalCase of a
/// parameter name): a parameter named <c>rule</c> or <c>m</c> cannot clash with them. They are read as
/// <c>this.x</c>, so no parameter shadows them; the locals of the methods with data parameters come from
/// a <see cref="NameScope"/> seeded with those parameters.
/// </para>
/// </remarks>
internal static partial class OptimizerEmitter
{
    private const string Result = "global::OptimDsl.OptimizationResult";
    private const string Checks = "global::OptimDsl.OptimizerChecks";

    // With data, Step, Minimize and their evaluate and update are jitted fully optimised at once, skipping tier 0 and
    // the instrumented tier, where the rule's helpers are calls and a run is slower than a plain loop (issue 10).
    private const string AggressiveOptimization = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";
    // The run's loop is not inlined into the overloads without a schedule: inlined, it used up the caller's
    // inlining budget, and evaluate and the policy's checks stayed calls.
    // update is inlined into Step and Minimize's loop as well: called, it kept θ and the state in memory
    // across the call (Minimize on Rosenbrock, fastest of 200 runs: 1.29–1.37× the hand-written loop, 1.65–1.76× called).
    private const string AggressiveOptimizationInlined = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";
    private const string AggressiveOptimizationNoInlining = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    private const string AggressiveInlining = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    /// <summary>The runtime's loops for objectives without data, and the interface they call the struct through.</summary>
    private static class Loops
    {
        public const string Type = "global::OptimDsl.OptimizerLoops";
        public const string Interface = "global::OptimDsl.IGeneratedOptimizer";
        public const string RegisterInterface = "global::OptimDsl.IRegisterOptimizer";
    }

    /// <summary>
    /// The most parameters whose update is unrolled, one call per chunk; past it the chunks of four are
    /// a loop, with the same calls at the same offsets and so the same results (README, Performance).
    /// </summary>
    internal const int UnrolledUpdateLimit = 16;

    /// <summary>
    /// The most bytes of one vector (θ, the gradient, a state of the rule) kept inline in the struct: 512 doubles
    /// or 1,024 floats; past it the constructor allocates the vectors once, on the heap, so that no optimizer fills
    /// a thread's stack (README, Vectors and loops). At this limit an Adam struct holds 20 KB; a float objective's, 28 KB
    /// with the buffer of one double per parameter where an IParameterObserver sees θ widened.
    /// </summary>
    internal const int InlineVectorBytes = 4096;

    /// <summary>The most trained values of a double objective kept inline (see <see cref="InlineVectorBytes"/>).</summary>
    internal const int InlineStateLimit = InlineVectorBytes / sizeof(double);

    public static void Emit(SourceWriter writer, GradientModel model, OptimizerModel optimizer)
        => new StructWriter(writer, model, optimizer).Write();

    private sealed partial class StructWriter
    {
        private readonly SourceWriter _w;
        private readonly GradientModel _model;
        private readonly ObjectiveModel _objective;
        private readonly OptimizerModel _optimizer;
        private readonly OptimizerDefinition _definition;
        private readonly ParameterModel[] _trainable;
        private readonly int _count;
        private readonly ParameterModel[] _data;
        private readonly string _name;
        private readonly string _gradientMethod;
        private readonly ElementType _element;

        public StructWriter(SourceWriter writer, GradientModel model, OptimizerModel optimizer)
        {
            var objective = model.Objective;
            _w = writer;
            _model = model;
            _objective = objective;
            _optimizer = optimizer;
            _definition = optimizer.Definition;
            _trainable = objective.Trained();
            _count = objective.TrainedCount();
            _data = objective.DataParameters();
            _name = Naming.OptimizerType(objective.MethodName, optimizer);
            _gradientMethod = $"{objective.Location.FullyQualifiedTypeName}.{Naming.GradientMethod(objective.MethodName)}";
            _element = objective.Element;
        }

        /// <summary>The objective's number type as C# (README, Float objectives): of θ, the gradient and the rule's state.</summary>
        private string Element => _element.Keyword();

        private bool IsFloat => _element == ElementType.Float;

        /// <summary>The span the constructor, Apply and the data take.</summary>
        private string Span => $"global::System.ReadOnlySpan<{Element}>";

        /// <summary>
        /// A double expression stored into float state: rounded to float (README, Float objectives). Hyperparameters
        /// and rates stay double in the rule; only the state vectors that start from one hold it as the element type.
        /// </summary>
        private string ToElement(string value) => IsFloat ? $"({Element}){value}" : value;

        /// <summary>
        /// A float objective's optimizer has a buffer of one double per parameter, where an IParameterObserver of
        /// Minimize sees θ widened (its OnStep takes doubles), and where, with data, a minibatch's gradient is summed
        /// before the update; a double one's observer sees θ itself.
        /// </summary>
        private bool HasObservedBuffer => IsFloat;

        /// <summary>
        /// The gradient as Minimize passes it to <c>MinimizeRun</c> and <c>OptimizerLoops</c>: a float objective's cast to a
        /// span, since their overloads over the number type infer it from one (Levenberg–Marquardt's gradient is double).
        /// </summary>
        private string RunGradient => IsFloat ? $"(global::System.ReadOnlySpan<{GradientElement}>)this.gradient" : "this.gradient";

        /// <summary>θ as Minimize passes it to <c>MinimizeRun</c> and <c>OptimizerLoops</c> (see <see cref="RunGradient"/>).</summary>
        private string RunParameters => IsFloat ? $"({Span})this.parameters" : "this.parameters";

        /// <summary>The gradient and θ, as <c>MinimizeRun</c> checks them.</summary>
        private string RunVectors => $"{RunGradient}, {RunParameters}";

        /// <summary>After θ, where an IParameterObserver sees it widened: a float objective's buffer; nothing for a double one.</summary>
        private string RunObserved => HasObservedBuffer ? ", (global::System.Span<double>)this.observed" : string.Empty;

        private bool HasData => _data.Length > 0;

        /// <summary>
        /// The last argument of a full-batch gradient call: the struct's degree of parallelism, which every optimizer over data
        /// has (README, Parallel data gradients).
        /// </summary>
        private string DegreeArgument => HasData ? ", this.maxDegreeOfParallelism" : string.Empty;

        /// <summary>
        /// The width, 2 or 4, when θ and the gradient are one <c>Vector128</c> or <c>Vector256</c> of doubles and the objective has
        /// no data; else 0. Such an optimizer implements <c>IRegisterOptimizer</c>: its plain <c>Minimize</c> runs on a copy in a
        /// local that the JIT keeps in registers, so every access to its vectors in the loop reads or writes a whole vector
        /// (README, Performance).
        /// </summary>
        private int RegisterWidth => !HasData && _definition.IsFirstOrder && !IsFloat ? GradientEmitter.SingleChunkWidth(_objective) : 0;

        /// <summary>The bits of that vector, the suffix of its type and of the runtime's forms for it: "128" or "256".</summary>
        private string RegisterBits => RegisterWidth == 2 ? "128" : "256";

        /// <summary>Whether the vectors are arrays the constructor allocates (see <see cref="InlineStateLimit"/> and <see cref="SolverInlineLimit"/>).</summary>
        private bool OnHeap => _definition.IsFirstOrder ? _count * _element.Size() > InlineVectorBytes : SolverBytes > SolverInlineLimit * sizeof(double);

        /// <summary>
        /// The vectors of the struct: θ, the gradient and the rule's state (a solver's in one vector of doubles, and for a
        /// float objective its float vectors in a second one).
        /// </summary>
        private IEnumerable<string> Vectors => new[] { "parameters", "gradient" }
            .Concat(_definition.IsFirstOrder ? _definition.States.Select(s => s.Field) : SolverVectors);

        /// <summary>The number of values in vector <paramref name="field"/>.</summary>
        private int LengthOf(string field) => field == SolverState ? SolverStateLength : field == SolverElements ? SolverElementLength : _count;

        /// <summary>The number type of vector <paramref name="field"/> as C#: the element type, but double for a solver's doubles and Levenberg–Marquardt's gradient.</summary>
        private string ElementOf(string field) => field == SolverState ? "double" : field == "gradient" ? GradientElement : Element;

        /// <summary>Whether the struct has <c>BatchSize</c> and <c>Seed</c>: with data, and on <c>[Sgd]</c> always (v1).</summary>
        private bool HasMinibatches => _definition.HasMinibatches(HasData);

        /// <summary>Whether updates may use the full batch: with data, unless the optimizer always takes minibatches.</summary>
        private bool MayUseFullBatch => !HasData || !_definition.AlwaysMinibatches;

        private IEnumerable<HyperparameterDefinition> Hyperparameters => _definition.PropertiesWith(HasData);

        private string DataParameters => string.Concat(_data.Select(p => $"{Span} {Naming.Identifier(p.Name)}, "));

        private string DataArguments => string.Concat(_data.Select(p => Naming.Identifier(p.Name) + ", "));

        private string DataParametersOnly => string.Join(", ", _data.Select(p => $"{Span} {Naming.Identifier(p.Name)}"));

        private string DataArgumentsOnly => string.Join(", ", _data.Select(p => Naming.Identifier(p.Name)));

        private string Constructor => $"new {_name}({string.Join(", ", _trainable.Select(p => p.Name))})";

        private string EnsureConstructed => $"{Checks}.EnsureConstructed(this.constructed, \"{Constructor}\");";

        public void Write()
        {
            WriteSummary();
            _w.WriteLine(Emitter.GeneratedCodeAttribute);
            var loops = HasData || !_definition.IsFirstOrder ? string.Empty : $"{(RegisterWidth > 0 ? Loops.RegisterInterface : Loops.Interface)}, ";
            using (_w.Block($"{_objective.Accessibility} struct {_name} : {loops}{SearchInterface}"))
            {
                WriteFields();
                WriteConstructor();
                WriteFlatConstructor();
                WriteParameterProperties();
                WriteHyperparameters();
                WriteParallelism();
                WriteClone();
                if (_definition.IsFirstOrder)
                {
                    WriteStep();
                    WriteApply();
                    WriteMinimize();
                    WriteSearch();
                    WriteFindLearningRate();
                    WriteCheckpoints();
                    WriteEvaluation();
                    WriteUpdate();
                }
                else
                {
                    WriteSolverStep();
                    WriteSolverApply();
                    WriteSolverMinimize();
                    WriteSearch();
                    WriteCheckpoints();
                    WriteSolverEvaluation();
                }

                if (OnHeap)
                {
                    if (_definition.IsFirstOrder)
                    {
                        WriteSaveAndRestore();
                    }

                    return;
                }

                WriteInlineArray("parameterVector", _count, Element, "contiguous so that SIMD loads can read them");
                if (GradientElement != Element)
                {
                    _w.WriteLine();
                    WriteInlineArray("gradientVector", _count, GradientElement, "the gradient of the normal equations, in double");
                }

                if (HasObservedBuffer)
                {
                    _w.WriteLine();
                    WriteInlineArray("observedVector", _count, "double", HasData && _definition.IsFirstOrder
                        ? "θ widened for an IParameterObserver, and a minibatch's gradient sums before its update"
                        : "θ widened for an IParameterObserver");
                }

                if (!_definition.IsFirstOrder)
                {
                    _w.WriteLine();
                    WriteInlineArray("solverVector", SolverStateLength, "double", "the solver's vectors back to back");
                    if (SolverElementLength > 0)
                    {
                        _w.WriteLine();
                        WriteInlineArray("solverElementVector", SolverElementLength, Element, $"the solver's {Element} vectors back to back");
                    }
                }
            }
        }

        private void WriteInlineArray(string type, int length, string element, string why)
            => _w.WriteLines($$"""
                /// <summary>{{GradientEmitter.Count(length, element)}} stored inline, {{why}}.</summary>
                [global::System.Runtime.CompilerServices.InlineArray({{length}})]
                private struct {{type}}
                {
                    private {{element}} _element0;
                }
                """);

        private void WriteSummary()
        {
            var batch = !HasData ? string.Empty
                : _definition.AlwaysMinibatches ? ", with g the mean gradient over a minibatch of BatchSize samples; each epoch visits every sample once, in an order shuffled by Seed"
                : ", with g the mean gradient over the whole data set (or over minibatches of BatchSize samples when it is set)";
            _w.WriteLine("/// <summary>");
            _w.WriteLine($"/// {_definition.Title} minimizing <see cref=\"{GradientEmitter.Cref(_objective)}\"/>:");
            _w.WriteLine($"/// {_definition.RuleSummary}{batch}.");
            _w.WriteLine("/// </summary>");
            _w.WriteLine("/// <remarks>");
            _w.WriteLine($"/// The rule is <see cref=\"{_definition.RuleType}\"/>. A mutable struct holding the parameters and the");
            _w.WriteLine("/// optimizer's state: keep it in a local or a field and call its methods on that variable (a copy is an");
            _w.WriteLine(OnHeap
                ? $"/// independent optimizer only through Clone(): its {_count:N0} values are too many to keep inline, so the constructor allocates its state once, and a copy shares it). Nothing else allocates."
                : "/// independent optimizer). It never allocates.");
            _w.WriteLine("/// </remarks>");
        }

        private void WriteFields()
        {
            _w.WriteLine("// Parameters θ, in declaration order, and the gradient at θ from the last evaluation.");
            var vector = OnHeap ? Element + "[]" : "parameterVector";
            _w.WriteLine($"private {vector} parameters;");
            _w.WriteLine($"private {(GradientElement == Element ? vector : OnHeap ? GradientElement + "[]" : "gradientVector")} gradient;");
            if (!_definition.IsFirstOrder)
            {
                WriteSolverFields();
                return;
            }

            _w.WriteLine($"// The rule's state per parameter: {string.Join(", ", _definition.States.Select(s => s.Summary))}.");
            foreach (var state in _definition.States)
            {
                _w.WriteLine($"private {vector} {state.Field};");
            }

            _w.WriteLine(HasMinibatches
                ? "// The rule's hyperparameters and scalar state, the clipping, and the minibatches' order and position."
                : "// The rule's hyperparameters and scalar state, and the clipping.");
            _w.WriteLine($"private {_definition.RuleType} rule;");
            _w.WriteLine("private global::OptimDsl.GradientClipping clipping;");
            if (HasMinibatches)
            {
                _w.WriteLine("private global::OptimDsl.Minibatches batches;");
            }

            if (OnHeap)
            {
                _w.WriteLine($"// Copies of the vectors from before an update, for Minimize to return to ({(HasData ? "two: the last step's and the last epoch's" : "the last step's")}).");
                _w.WriteLine($"private {Element}[] saved;");
            }

            WriteObservedField();
            WriteParallelismField();
            _w.WriteLine("// False in default(T): only the constructor sets every hyperparameter to a valid value.");
            _w.WriteLine("private bool constructed;");
            _w.WriteLine();
        }

        /// <summary>
        /// A float objective's buffer of one double per parameter (<see cref="HasObservedBuffer"/>); nothing for a double one.
        /// </summary>
        private void WriteObservedField()
        {
            if (!HasObservedBuffer)
            {
                return;
            }

            _w.WriteLine(HasData && _definition.IsFirstOrder
                ? "// θ widened to double for an IParameterObserver of Minimize, whose OnStep takes doubles; before an update from a minibatch, its gradient's double sums (README, Float objectives)."
                : "// θ widened to double for an IParameterObserver of Minimize, whose OnStep takes doubles (README, Float objectives).");
            _w.WriteLine($"private {(OnHeap ? "double[]" : "observedVector")} observed;");
        }

        private void WriteParallelismField()
        {
            if (HasData)
            {
                _w.WriteLine("// How many shards of the data the full-batch gradient may sum at once.");
                _w.WriteLine("private int maxDegreeOfParallelism;");
            }
        }

        private void WriteParallelism()
        {
            if (!HasData)
            {
                return;
            }

            _w.WriteLine("/// <summary>");
            _w.WriteLine("/// How many shards of the data set the full-batch gradient may sum at once, on as many threads; 1 (the default) uses the");
            _w.WriteLine("/// calling thread alone. Every degree gives the same bits (README, Parallel data gradients). Minibatches run on one thread.");
            _w.WriteLine("/// </summary>");
            _w.WriteLine("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">The value is below 1.</exception>");
            using (_w.Block("public int MaxDegreeOfParallelism"))
            {
                _w.WriteLine("readonly get => this.maxDegreeOfParallelism;");
                _w.WriteLine("set { global::OptimDsl.ArgumentChecks.DegreeOfParallelism(value, nameof(MaxDegreeOfParallelism)); this.maxDegreeOfParallelism = value; }");
            }

            _w.WriteLine();
        }

        private void WriteConstructor()
        {
            _w.WriteLine($"/// <summary>Starts at the given parameters, with the hyperparameters of the [{_definition.Name}] attribute.</summary>");
            foreach (var p in _trainable)
            {
                _w.WriteLine(p.IsVector
                    ? $"/// <param name=\"{p.Name}\">The initial values of {p.Name}, {GradientEmitter.Count(p.Length, "value")}.</param>"
                    : $"/// <param name=\"{p.Name}\">The initial value of {p.Name}.</param>");
            }

            if (_trainable.Any(p => p.IsVector))
            {
                _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span does not have its parameter's length.</exception>");
            }

            var signature = string.Join(", ", _trainable.Select(p => p.Type + " " + Naming.Identifier(p.Name)));
            using (_w.Block($"public {_name}({signature})"))
            {
                foreach (var p in _trainable.Where(p => p.IsVector))
                {
                    _w.WriteLine($"global::OptimDsl.ArgumentChecks.ParameterCount({Naming.Identifier(p.Name)}.Length, {p.Length}, \"{p.Name}\", \"{p.Name}\");");
                }

                if (OnHeap)
                {
                    foreach (var field in Vectors)
                    {
                        _w.WriteLine($"this.{field} = new {ElementOf(field)}[{LengthOf(field)}];");
                    }

                    if (_definition.IsFirstOrder)
                    {
                        _w.WriteLine($"this.saved = new {Element}[{(HasData ? 2 : 1) * Vectors.Count() * _count}];");
                    }

                    if (HasObservedBuffer)
                    {
                        _w.WriteLine($"this.observed = new double[{_count}];");
                    }
                }

                foreach (var p in _trainable)
                {
                    _w.WriteLine(p.IsVector
                        ? $"{Naming.Identifier(p.Name)}.CopyTo(((global::System.Span<{Element}>)this.parameters).Slice({p.Offset}, {p.Length}));"
                        : $"this.parameters[{p.Offset}] = {Naming.Identifier(p.Name)};");
                }

                var options = _definition.RuleOptions is { } fixedByRow ? ", " + fixedByRow : string.Empty;
                _w.WriteLine($"this.rule = new {_definition.RuleType}({Arguments(HyperparameterHome.Rule)}{options});");
                if (_definition.IsFirstOrder)
                {
                    WriteCompanions();
                }

                if (HasData)
                {
                    _w.WriteLine("this.maxDegreeOfParallelism = 1;");
                }

                _w.WriteLine("this.constructed = true;");
            }

            _w.WriteLine();
        }

        /// <summary>The constructor's lines after the rule of a first-order optimizer: clipping, minibatches, initial state.</summary>
        private void WriteCompanions()
        {
            _w.WriteLine($"this.clipping = new global::OptimDsl.GradientClipping({Arguments(HyperparameterHome.Clipping)});");
            if (HasMinibatches)
            {
                var fullBatch = _definition.AlwaysMinibatches ? "false" : "true";
                _w.WriteLine($"this.batches = new global::OptimDsl.Minibatches({Arguments(HyperparameterHome.Minibatches)}, fullBatchAllowed: {fullBatch});");
            }

            foreach (var state in _definition.States.Where(s => s.InitialValue is not null))
            {
                _w.WriteLine($"((global::System.Span<{Element}>)this.{state.Field}).Fill({ToElement($"this.rule.{state.InitialValue}")});");
            }
        }

        /// <summary>The constructor arguments of one home's hyperparameters, named: "learningRate: 0.001, beta1: 0.9".</summary>
        private string Arguments(HyperparameterHome home)
            => string.Join(", ", _definition.All.Select((h, i) => (h, Value: _optimizer.Values[i]))
                .Where(x => x.h.Home == home)
                .Select(x => $"{x.h.ParameterName}: {Literal(x.h, x.Value)}"));

        /// <summary>The constructor from the flat span, in declaration order: it checks the length and calls the named one.</summary>
        private void WriteFlatConstructor()
        {
            if (_trainable is [{ IsVector: true }])
            {
                return; // the constructor above has this signature
            }

            var names = GradientEmitter.Names(_trainable);
            _w.WriteLine($"/// <summary>Starts at the given parameters in declaration order ({names}), with the hyperparameters of the [{_definition.Name}] attribute.</summary>");
            _w.WriteLine($"/// <param name=\"parameters\">{GradientEmitter.Count(_count, "value")}: {names}.</param>");
            _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"parameters\"/> does not hold exactly {GradientEmitter.Count(_count, "value")}.</exception>");
            using (_w.Block($"public {_name}({Span} parameters)"))
            {
                _w.WriteLine($"global::OptimDsl.ArgumentChecks.ParameterCount(parameters.Length, {_count}, \"{names}\", \"parameters\");");
                _w.WriteLine($"this = new {_name}({string.Join(", ", _trainable.Select(p => p.IsVector ? $"parameters.Slice({p.Offset}, {p.Length})" : $"parameters[{p.Offset}]"))});");
            }

            _w.WriteLine();
        }

        private void WriteParameterProperties()
        {
            foreach (var p in _trainable)
            {
                if (p.IsVector)
                {
                    _w.WriteLine($"/// <summary>The current values of parameter <c>{p.Name}</c>: a view of this optimizer's own storage, which sees every later update; writing through it changes the parameters.</summary>");
                    _w.WriteLine("[global::System.Diagnostics.CodeAnalysis.UnscopedRef]");
                    _w.WriteLine($"public global::System.Span<{Element}> {Naming.Identifier(p.PropertyName)} => ((global::System.Span<{Element}>)this.parameters).Slice({p.Offset}, {p.Length});");
                    _w.WriteLine();
                    continue;
                }

                if (SolverRestart is { } restart)
                {
                    _w.WriteLine($"/// <summary>The current value of parameter <c>{p.Name}</c>; setting it {SolverRestartSummary}.</summary>");
                    _w.WriteLine($"public {Element} {Naming.Identifier(p.PropertyName)} {{ readonly get => this.parameters[{p.Offset}]; set {{ this.parameters[{p.Offset}] = value; {restart} }} }}");
                    _w.WriteLine();
                    continue;
                }

                _w.WriteLine($"/// <summary>The current value of parameter <c>{p.Name}</c>.</summary>");
                _w.WriteLine($"public {Element} {Naming.Identifier(p.PropertyName)} {{ readonly get => this.parameters[{p.Offset}]; set => this.parameters[{p.Offset}] = value; }}");
                _w.WriteLine();
            }

            _w.WriteLine($"/// <summary>The parameters in declaration order ({GradientEmitter.Names(_trainable)}): a view of this optimizer's own storage, which sees every later update; writing through it changes the parameters.</summary>");
            _w.WriteLine("[global::System.Diagnostics.CodeAnalysis.UnscopedRef]");
            _w.WriteLine($"public global::System.Span<{Element}> Parameters => this.parameters;");
            _w.WriteLine();
            _w.WriteLine("/// <summary>The number of updates made so far.</summary>");
            _w.WriteLine("public readonly long Iteration => this.rule.Iteration;");
            _w.WriteLine();
        }

        private void WriteHyperparameters()
        {
            foreach (var h in Hyperparameters)
            {
                var field = h.Home switch
                {
                    HyperparameterHome.Clipping => "clipping",
                    HyperparameterHome.Minibatches => "batches",
                    _ => "rule",
                };
                // The attribute's property documents the hyperparameter once, in the runtime library.
                _w.WriteLine($"/// <inheritdoc cref=\"global::OptimDsl.{(h.OnEveryAttribute && _definition.IsFirstOrder ? "FirstOrderOptimizerAttribute" : _definition.AttributeName)}.{h.Name}\"/>");
                if (h.FixedAtCompileTime)
                {
                    _w.WriteLine($"public readonly {h.TypeKeyword} {h.Name} => this.{field}.{h.Name};");
                    _w.WriteLine();
                    continue;
                }

                if (h.Name == "LearningRate" && _definition.LearningRateRestartsState is { } restarted)
                {
                    using (_w.Block($"public {h.TypeKeyword} {h.Name}"))
                    {
                        _w.WriteLine($"readonly get => this.{field}.{h.Name};");
                        _w.WriteLine($"set {{ this.{field}.{h.Name} = value; ((global::System.Span<{Element}>)this.{restarted}).Fill({ToElement("value")}); }}");
                    }

                    _w.WriteLine();
                    continue;
                }

                _w.WriteLine($"public {h.TypeKeyword} {h.Name} {{ readonly get => this.{field}.{h.Name}; set => this.{field}.{h.Name} = value; }}");
                _w.WriteLine();
            }
        }

        private void WriteStep()
        {
            var what = !HasData ? "One update; returns the loss before it"
                : _definition.AlwaysMinibatches ? "One update from the next minibatch; returns the minibatch's mean loss before the update"
                : "One update from the full-batch gradient (or, with a BatchSize, from the next minibatch); returns the mean loss before the update";
            _w.WriteLine($"/// <summary>{what}.</summary>");
            if (!HasData)
            {
                // A float loss widened to double by Evaluate and narrowed back: the same float.
                _w.WriteLine($"public {Element} Step() => {ToElement($"{Loops.Type}.Step(ref this)")};");
                _w.WriteLine();
                return;
            }

            _w.WriteLine(AggressiveOptimization);
            using (_w.Block($"public {Element} Step({DataParametersOnly})"))
            {
                _w.WriteLine(EnsureConstructed);
                var scope = new NameScope(_data.Select(p => p.Name));
                var loss = scope.Reserve("loss");
                var fullBatch = $"{Element} {loss} = this.evaluate({DataArgumentsOnly});\nthis.update();\nreturn {loss};";
                // A local of the block after the if may not reuse the if block's name (CS0136).
                var batchLoss = _definition.AlwaysMinibatches ? loss : scope.Reserve("minibatchLoss");
                var minibatch = $"{Element} {batchLoss} = this.evaluateMinibatch({DataArgumentsOnly});\nthis.update();\nthis.batches.Advance();\nreturn {batchLoss};";
                if (_definition.AlwaysMinibatches)
                {
                    _w.WriteLines(minibatch);
                }
                else
                {
                    using (_w.Block("if (this.batches.IsFullBatch)"))
                    {
                        _w.WriteLines(fullBatch);
                    }

                    _w.WriteLine();
                    _w.WriteLines(minibatch);
                }
            }

            _w.WriteLine();
        }

        /// <summary><c>Apply(meanGradient)</c>: one update from a gradient computed elsewhere (README, Beyond one machine).</summary>
        private void WriteApply()
        {
            var names = GradientEmitter.Names(_trainable);
            _w.WriteLine("/// <summary>");
            _w.WriteLine($"/// One update from a mean gradient computed elsewhere ({names}), for example the all-reduced <c>{Naming.GradientSumMethod(_objective.MethodName)}</c>");
            _w.WriteLine($"/// of several machines divided by the number of samples{(IsFloat ? " and rounded to float" : string.Empty)}: the clipping and the rule as in <c>Step</c>, which <c>Apply</c> of the");
            _w.WriteLine("/// data overload's gradient equals bit for bit; it advances <c>Iteration</c> and ignores <c>BatchSize</c> (README, Beyond one machine).");
            _w.WriteLine("/// </summary>");
            _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"meanGradient\"/> does not hold exactly {GradientEmitter.Count(_count, "value")}.</exception>");
            if (!HasData)
            {
                _w.WriteLine($"public void Apply({Span} meanGradient) => {Loops.Type}.Apply(ref this, this.gradient, meanGradient, \"{names}\");");
                _w.WriteLine();
                return;
            }

            using (_w.Block($"public void Apply({Span} meanGradient)"))
            {
                _w.WriteLine(EnsureConstructed);
                _w.WriteLine($"global::OptimDsl.ArgumentChecks.ParameterCount(meanGradient.Length, {_count}, \"{names}\", \"meanGradient\");");
                _w.WriteLine($"meanGradient.CopyTo({VectorSpan("this", "gradient", "Span")});");
                _w.WriteLine("this.update();");
            }

            _w.WriteLine();
        }

        /// <summary><c>Apply</c> on <c>[Lbfgs]</c>: torch's L-BFGS step without a line search (Levenberg–Marquardt needs more than a gradient).</summary>
        private void WriteSolverApply()
        {
            if (!IsLbfgs)
            {
                return;
            }

            var names = GradientEmitter.Names(_trainable);
            _w.WriteLine("/// <summary>");
            _w.WriteLine($"/// One L-BFGS step from a mean gradient at the parameters computed elsewhere ({names}), for example the all-reduced");
            _w.WriteLine($"/// <c>{Naming.GradientSumMethod(_objective.MethodName)}</c> of several machines divided by the number of samples{(IsFloat ? " and rounded to float" : string.Empty)}, without a line search: the pair of");
            _w.WriteLine("/// the previous <c>Apply</c> enters the history, then the parameters move LearningRate along the two-loop direction");
            _w.WriteLine("/// (<c>torch.optim.LBFGS</c> with <c>line_search_fn=None</c>, <c>max_iter=1</c>; README, Beyond one machine). It advances <c>Iteration</c>.");
            _w.WriteLine("/// </summary>");
            _w.WriteLine($"/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"meanGradient\"/> does not hold exactly {GradientEmitter.Count(_count, "value")}, or one is not finite; nothing changes.</exception>");
            using (_w.Block($"public void Apply({Span} meanGradient)"))
            {
                _w.WriteLine(EnsureConstructed);
                _w.WriteLine($"global::OptimDsl.ArgumentChecks.ParameterCount(meanGradient.Length, {_count}, \"{names}\", \"meanGradient\");");
                _w.WriteLine("this.rule.Apply(this.solverStorage(), meanGradient);");
            }

            _w.WriteLine();
        }

        private void WriteMinimize()
        {
            var names = new NameScope(_objective.Location.ContainingTypes.SelectMany(t => t.TypeParameters).Concat(_data.Select(p => p.Name)));
            var observerType = names.Reserve("TObserver");
            var scheduleType = names.Reserve("TSchedule");
            var locals = new NameScope(_data.Select(p => p.Name).Concat(new[] { "maxIterations", "tolerance", "observer", "schedule" }));
            var observer = locals.Reserve("noObserver");
            var schedule = locals.Reserve("sameRate");
            // Without data, the three overloads are OptimizerLoops' (README, Minimize).
            var loops = $"{Loops.Type}.Minimize(ref this, {RunParameters}, {RunGradient}{RunObserved}, maxIterations, tolerance";

            _w.WriteLine("/// <summary>Updates until the gradient's 2-norm is at most tolerance, or maxIterations updates are made (README, Minimize).</summary>");
            if (!HasData)
            {
                _w.WriteLine($"public {Result} Minimize(int maxIterations, double tolerance = 1e-8)");
                _w.WriteLine(RegisterWidth > 0 ? $"    => {Loops.Type}.MinimizeInRegisters(ref this, maxIterations, tolerance);" : $"    => {loops});");
            }
            else
            {
                using (_w.Block($"public {Result} Minimize({DataParameters}int maxIterations, double tolerance = 1e-8)"))
                {
                    _w.WriteLine($"global::OptimDsl.NoObserver {observer} = default;");
                    _w.WriteLine($"var {schedule} = new global::OptimDsl.MinimizeRun.KeepLearningRate(this.rule.LearningRate);");
                    _w.WriteLine($"return this.Minimize({DataArguments}maxIterations, tolerance, ref {observer}, ref {schedule});");
                }
            }

            _w.WriteLine();
            _w.WriteLine("/// <summary>Like <c>Minimize</c>, calling <c>observer.OnStep</c> after each update; the run stops when it returns false.</summary>");
            _w.WriteLine($"public {Result} Minimize<{observerType}>({DataParameters}int maxIterations, double tolerance, ref {observerType} observer)");
            if (!HasData)
            {
                _w.WriteLine($"    where {observerType} : global::OptimDsl.IOptimizationObserver");
                _w.WriteLine($"    => {loops}, ref observer);");
            }
            else
            {
                using (_w.Block($"    where {observerType} : global::OptimDsl.IOptimizationObserver"))
                {
                    _w.WriteLine($"var {schedule} = new global::OptimDsl.MinimizeRun.KeepLearningRate(this.rule.LearningRate);");
                    _w.WriteLine($"return this.Minimize({DataArguments}maxIterations, tolerance, ref observer, ref {schedule});");
                }
            }

            _w.WriteLine();
            _w.WriteLine("/// <summary>");
            _w.WriteLine("/// Like <c>Minimize</c> with an observer, setting the learning rate of update t to <c>schedule.LearningRate(t, loss)</c>");
            _w.WriteLine("/// before it. A run whose loss, gradient or parameters turn NaN or infinite stops with <c>Diverged</c> at the last finite step.");
            _w.WriteLine("/// </summary>");
            if (!HasData)
            {
                _w.WriteLine($"public {Result} Minimize<{observerType}, {scheduleType}>(int maxIterations, double tolerance, ref {observerType} observer, ref {scheduleType} schedule)");
                _w.WriteLine($"    where {observerType} : global::OptimDsl.IOptimizationObserver");
                _w.WriteLine($"    where {scheduleType} : global::OptimDsl.ILearningRateSchedule");
                _w.WriteLine($"    => {loops}, ref observer, ref schedule);");
                _w.WriteLine();
                return;
            }

            _w.WriteLine(AggressiveOptimizationNoInlining);
            _w.WriteLine($"public {Result} Minimize<{observerType}, {scheduleType}>({DataParameters}int maxIterations, double tolerance, ref {observerType} observer, ref {scheduleType} schedule)");
            _w.WriteLine($"    where {observerType} : global::OptimDsl.IOptimizationObserver");
            using (_w.Block($"    where {scheduleType} : global::OptimDsl.ILearningRateSchedule"))
            {
                WriteMinimizeLoops(locals);
            }

            _w.WriteLine();
        }

        /// <summary>
        /// The body of the schedule overload with data: the full-batch loop (unless the optimizer always takes
        /// minibatches), and the minibatch loop. A diverging update is undone by restoring a copy of the whole
        /// optimizer from before it, as OptimizerLoops does without data.
        /// </summary>
        private void WriteMinimizeLoops(NameScope locals)
        {
            var run = locals.Reserve("run");
            var previous = locals.Reserve("previous");
            var checkpoint = locals.Reserve("checkpoint");
            var loss = locals.Reserve("minibatchLoss");
            var data = DataArgumentsOnly;
            var rate = HasScheduledRestart ? "this.scheduleLearningRate" : "this.rule.ScheduleLearningRate";

            _w.WriteLine($"var {run} = new global::OptimDsl.MinimizeRun(maxIterations, tolerance);");
            _w.WriteLine(EnsureConstructed);
            _w.WriteLine($"{run}.Start(this.evaluate({data}), {RunVectors});");
            if (MayUseFullBatch)
            {
                using (_w.Block("if (this.batches.IsFullBatch)"))
                {
                    _w.WriteLines($$"""
                        // Each update's gradient is the one the check after the previous update computed.
                        while ({{run}}.Continues)
                        {
                            var {{previous}} = this;{{Save(0)}}
                            {{rate}}({{run}}.FullBatchRate(ref schedule, this.rule.Iteration + 1));
                            this.update();
                            if (!{{run}}.FullBatchUpdated(this.evaluate({{data}}), {{RunVectors}}{{RunObserved}}, this.rule.Iteration, ref observer))
                            {
                                this = {{previous}}; // diverged: back to the last finite step{{Restore(0)}}
                            }
                        }

                        return {{run}}.Result;
                        """);
                }

                _w.WriteLine();
            }

            _w.WriteLines($$"""
                // Minibatches: the full batch is measured at each epoch's end, which is also where a run
                // whose state before a diverging update is not finite either returns to.
                var {{checkpoint}} = this;{{Save(1)}}
                while ({{run}}.Continues)
                {
                    var {{previous}} = this;{{Save(0)}}
                    double {{loss}} = this.evaluateMinibatch({{data}});
                    {{rate}}({{run}}.MinibatchRate(ref schedule, this.rule.Iteration + 1, {{loss}}, {{RunGradient}}));
                    this.update();
                    if ({{run}}.MinibatchUpdated({{RunParameters}}{{RunObserved}}, this.rule.Iteration, this.batches.Advance(), ref observer))
                    {
                        {{run}}.FullBatchMeasured(this.evaluate({{data}}), {{RunVectors}});
                    }

                    if ({{run}}.Diverged)
                    {
                        this = {{previous}};{{Restore(0)}}
                        if (!{{run}}.RolledBack(this.evaluate({{data}}), {{RunVectors}}))
                        {
                            this = {{checkpoint}};{{Restore(1)}}
                        }
                    }
                    else if ({{run}}.IsCheckpoint)
                    {
                        {{checkpoint}} = this;{{Save(1)}}
                    }
                }

                return {{run}}.Result;
                """);
        }

        private bool HasScheduledRestart => _definition.LearningRateRestartsState is not null;

        /// <summary>With the vectors on the heap, the statement saving them in slot <paramref name="slot"/> after a copy of the struct (which shares them).</summary>
        private string Save(int slot) => OnHeap ? $" this.save({slot});" : string.Empty;

        private string Restore(int slot) => OnHeap ? $" this.restore({slot});" : string.Empty;

        private void WriteClone()
        {
            _w.WriteLine($"/// <summary>An independent copy of everything: parameters, optimizer state, hyperparameters{(HasMinibatches ? ", iteration and minibatch position" : " and iteration")}. The clone continues bit-identically.</summary>");
            if (!OnHeap)
            {
                _w.WriteLine($"public readonly {_name} Clone() => this;");
                _w.WriteLine();
                return;
            }

            using (_w.Block($"public readonly {_name} Clone()"))
            {
                _w.WriteLine("var copy = this;");
                using (_w.Block("if (this.constructed)"))
                {
                    foreach (var field in _definition.IsFirstOrder ? Vectors.Append("saved") : Vectors)
                    {
                        _w.WriteLine($"copy.{field} = ({ElementOf(field)}[])this.{field}.Clone();");
                    }

                    if (HasObservedBuffer)
                    {
                        _w.WriteLine("copy.observed = (double[])this.observed.Clone();");
                    }
                }

                _w.WriteLine("return copy;");
            }

            _w.WriteLine();
        }

        /// <summary>Saving and restoring the heap vectors around an update, for Minimize's return to the last finite step.</summary>
        private void WriteSaveAndRestore()
        {
            var fields = Vectors.ToArray();
            var size = fields.Length * _count;
            _w.WriteLine($"/// <summary>Copies θ, the gradient and the rule's state into slot <paramref name=\"slot\"/> of <c>saved</c>.</summary>");
            using (_w.Block("private readonly void save(int slot)"))
            {
                for (var f = 0; f < fields.Length; f++)
                {
                    _w.WriteLine($"this.{fields[f]}.CopyTo(this.saved, slot * {size} + {f * _count});");
                }
            }

            _w.WriteLine();
            _w.WriteLine("/// <summary>Copies θ, the gradient and the rule's state back from slot <paramref name=\"slot\"/> of <c>saved</c>.</summary>");
            using (_w.Block("private readonly void restore(int slot)"))
            {
                for (var f = 0; f < fields.Length; f++)
                {
                    _w.WriteLine($"global::System.Array.Copy(this.saved, slot * {size} + {f * _count}, this.{fields[f]}, 0, {_count});");
                }
            }

            if (!HasData)
            {
                _w.WriteLine();
                _w.WriteLine($"void {Loops.Interface}.Save() => this.save(0);");
                _w.WriteLine();
                _w.WriteLine($"void {Loops.Interface}.Restore() => this.restore(0);");
            }
        }

        private void WriteEvaluation()
        {
            if (!HasData)
            {
                // Explicit, so that they are not members users see; OptimizerLoops is compiled for this struct
                // and inlines them.
                _w.WriteLine("// What OptimDsl.OptimizerLoops calls to run Step and Minimize.");
                _w.WriteLine($"void {Loops.Interface}.EnsureConstructed() => {EnsureConstructed}");
                _w.WriteLine();
                _w.WriteLine(AggressiveInlining);
                _w.WriteLine(GradientEmitter.HasVectorCore(_model)
                    ? $"double {Loops.Interface}.Evaluate() => {_objective.Location.FullyQualifiedTypeName}.{Naming.GradientMethod(_objective.MethodName)}(global::System.Runtime.Intrinsics.Vector{RegisterBits}.LoadUnsafe(ref this.parameters[0]), ref this.gradient[0]);"
                    : $"double {Loops.Interface}.Evaluate() => {GradientEmitter.CoreCall(_objective, "this.parameters[0]", "this.gradient[0]")};");
                _w.WriteLine();
                if (RegisterWidth > 0)
                {
                    _w.WriteLine($"double {Loops.RegisterInterface}.GradientNorm() => {Checks}.GradientNorm{RegisterBits}(ref this.gradient[0]);");
                    _w.WriteLine();
                    _w.WriteLine($"bool {Loops.RegisterInterface}.ParametersAreFinite() => {Checks}.AllFinite{RegisterBits}(ref this.parameters[0]);");
                    _w.WriteLine();
                }
                if (!OnHeap)
                {
                    // A copy of the struct is a copy of everything: nothing more to save.
                    _w.WriteLine($"void {Loops.Interface}.Save() {{ }}");
                    _w.WriteLine();
                    _w.WriteLine($"void {Loops.Interface}.Restore() {{ }}");
                    _w.WriteLine();
                }
            }
            else
            {
                _w.WriteLine("/// <summary>The loss at θ; writes the gradient at θ to <c>gradient</c>.</summary>");
                _w.WriteLine(AggressiveOptimization);
                using (_w.Block($"private {Element} evaluate({DataParametersOnly})"))
                {
                    _w.WriteLine($"return {_gradientMethod}(this.parameters, {DataArguments}this.gradient{DegreeArgument});");
                }

                _w.WriteLine();
                WriteMinibatchEvaluation();
            }

            var schedule = HasData ? "private void scheduleLearningRate(double rate)" : $"void {Loops.Interface}.ScheduleLearningRate(double rate)";
            if (HasScheduledRestart)
            {
                _w.WriteLine("/// <summary>A scheduled learning rate; a new rate restarts every step size from it, as setting <c>LearningRate</c> does.</summary>");
                using (_w.Block(schedule))
                {
                    using (_w.Block("if (rate != this.rule.LearningRate)"))
                    {
                        _w.WriteLine($"((global::System.Span<{Element}>)this.{_definition.LearningRateRestartsState}).Fill({ToElement("rate")});");
                    }

                    _w.WriteLine("this.rule.ScheduleLearningRate(rate);");
                }

                _w.WriteLine();
            }
            else if (!HasData)
            {
                _w.WriteLine($"{schedule} => this.rule.ScheduleLearningRate(rate);");
                _w.WriteLine();
            }
        }

        /// <summary>
        /// The mean loss and gradient over the next minibatch of the epoch's order. A float objective's as its data overload
        /// computes a mean (README, Float objectives): each sample's float loss and gradient, summed in double (the gradient's
        /// sums in <c>observed</c>), each mean rounded to float once.
        /// </summary>
        private void WriteMinibatchEvaluation()
        {
            var scope = new NameScope(_data.Select(p => p.Name));
            var order = scope.Reserve("order");
            var start = scope.Reserve("start");
            var batch = scope.Reserve("batch");
            var loss = scope.Reserve("loss");
            var k = scope.Reserve("k");
            var sample = scope.Reserve("sample");
            var samples = scope.Reserve("samples");
            var sums = scope.Reserve("sums");

            _w.WriteLine("/// <summary>The mean loss over the next minibatch; writes its mean gradient to <c>gradient</c>. The position in the epoch moves on in <c>batches.Advance()</c>.</summary>");
            _w.WriteLine(AggressiveOptimization);
            using (_w.Block($"private {Element} evaluateMinibatch({DataParametersOnly})"))
            {
                var count = GradientEmitter.EmitDataChecks(_w, _data, samples);
                _w.WriteLine($"var {order} = this.batches.Next({count}, out int {start}, out int {batch});");
                _w.WriteLine($"((global::System.Span<{Element}>)this.gradient).Clear();");
                if (IsFloat)
                {
                    _w.WriteLine("// Each sample's float gradient, added to the double sums (in the observer's buffer, unused until the update).");
                    _w.WriteLine($"global::System.Span<double> {sums} = this.observed;");
                    _w.WriteLine($"{sums}.Clear();");
                }

                _w.WriteLine($"double {loss} = 0;");
                using (_w.Block($"for (int {k} = 0; {k} < {batch}; {k}++)"))
                {
                    _w.WriteLine($"int {sample} = {order}[{start} + {k}];");
                    _w.WriteLine($"{loss} += {GradientEmitter.SampleCoreCall(_objective, "this.parameters[0]", DataGradientEmitter.SampleArguments(_data, sample), "this.gradient[0]")};");
                    if (IsFloat)
                    {
                        _w.WriteLine($"{DataGradientEmitter.DataShards}.AddBlock({sums}, this.gradient);");
                    }
                }

                using (_w.Block($"for (int {k} = 0; {k} < {_count}; {k}++)"))
                {
                    _w.WriteLine(IsFloat ? $"this.gradient[{k}] = (float)({sums}[{k}] / {batch});" : $"this.gradient[{k}] /= {batch};");
                }

                _w.WriteLine(IsFloat ? $"return (float)({loss} / {batch});" : $"return {loss} / {batch};");
            }

            _w.WriteLine();
        }

        private void WriteUpdate()
        {
            var unrolled = _count <= UnrolledUpdateLimit;
            _w.WriteLine(unrolled
                ? "/// <summary>One update from <c>gradient</c>: the clipping, then the rule, unrolled over the parameters.</summary>"
                : "/// <summary>One update from <c>gradient</c>: the clipping, then the rule's loop over the parameters.</summary>");
            // Inlined into the loops (README, Performance): called, it kept θ and the state in memory across the call.
            _w.WriteLine(HasData ? AggressiveOptimizationInlined : AggressiveInlining);
            using (_w.Block(HasData ? "private void update()" : $"void {Loops.Interface}.Update()"))
            {
                _w.WriteLine(RegisterWidth > 0 ? $"this.clipping.Apply{RegisterBits}(ref this.gradient[0]);" : "this.clipping.Apply(this.gradient);");
                // A float objective's update: the rule's float entry points (README, Float objectives).
                _w.WriteLine(IsFloat ? "var step = this.rule.BeginSingle();" : "var step = this.rule.Begin();");
                var plan = VectorChunks.Plan(_count, _element).ToArray();
                var vectorWidth = _element.Lanes256(); // one Vector256's values
                string Entry(int width) => width == vectorWidth ? "Update256" : width == 1 ? "Update" : "Update128";
                var states = string.Concat(_definition.States.Select(s => $", ref this.{s.Field}[{{0}}]"));
                string Call(string entry, int offset, string count = "")
                    => string.Format(CultureInfo.InvariantCulture, $"step.{entry}(ref this.parameters[{{0}}], ref this.gradient[{{0}}]{states}{count});", offset);
                if (unrolled)
                {
                    // One sequence for every machine: Update256 and Update128 fall back to narrower widths.
                    foreach (var (width, offset) in plan)
                    {
                        _w.WriteLine(Call(Entry(width), offset));
                    }
                }
                else
                {
                    // The chunks of a Vector512 in a loop, then the plan's chunks after them as above (at most one
                    // Vector256). Update512 is two Update256 where Vector512 is not accelerated: the same operations.
                    var wideWidth = 2 * vectorWidth;
                    var wideVectors = _count / wideWidth * wideWidth;
                    _w.WriteLine($"// More than {UnrolledUpdateLimit} parameters: chunks of {wideWidth} in a loop (README, Performance).");
                    System.Func<string, string, string> reference = (field, index) => $"ref this.{field}[{index}]";
                    if (OnHeap)
                    {
                        // References to the arrays' first values: the loop's accesses are not bounds-checked.
                        foreach (var field in Vectors)
                        {
                            _w.WriteLine($"ref {Element} {field}0 = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(this.{field});");
                        }

                        reference = (field, index) => index == "0" ? $"ref {field}0" : $"ref global::System.Runtime.CompilerServices.Unsafe.Add(ref {field}0, {index})";
                    }

                    var fields = Vectors.ToArray();
                    using (_w.Block($"for (int i = 0; i < {wideVectors}; i += {wideWidth})"))
                    {
                        _w.WriteLine($"step.Update512({string.Join(", ", fields.Select(f => reference(f, "i")))});");
                    }

                    foreach (var (width, offset) in plan.Where(c => c.Offset >= wideVectors))
                    {
                        var index = offset.ToString(CultureInfo.InvariantCulture);
                        _w.WriteLine($"step.{Entry(width)}({string.Join(", ", fields.Select(f => reference(f, index)))});");
                    }
                }
            }

            _w.WriteLine();
        }

        private static string Literal(HyperparameterDefinition h, double value) => h.Type switch
        {
            HyperparameterType.Flag => value != 0 ? "true" : "false",
            HyperparameterType.LineSearch => value == 0 ? "global::OptimDsl.LineSearch.StrongWolfe" : "global::OptimDsl.LineSearch.None",
            HyperparameterType.Int => ((int)value).ToString(CultureInfo.InvariantCulture),
            _ => ExpressionPrinter.FormatConstant(value),
        };
    }
}
