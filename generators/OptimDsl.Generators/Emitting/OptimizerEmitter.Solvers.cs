using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Catalogue;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

internal static partial class OptimizerEmitter
{
    /// <summary>
    /// The bytes an <c>[Lbfgs]</c> or <c>[LevenbergMarquardt]</c> struct keeps inline (θ, the gradient and the solver's
    /// vectors, floats and doubles for a float objective), counted in doubles: 2,560, that is 20 KB, what a first-order
    /// struct holds at <see cref="InlineStateLimit"/>. Past it the
    /// constructor allocates the vectors once, on the heap (README, Which optimizer?).
    /// </summary>
    internal const int SolverInlineLimit = 2560;

    /// <summary>
    /// The parts of the struct of the optimizers that are not first-order rules (README, Which optimizer?): L-BFGS and
    /// Levenberg–Marquardt. Their solvers (<c>OptimDsl.Rules.LbfgsSolver</c>, <c>LevenbergMarquardtSolver</c>) work by
    /// reverse communication: each iteration asks for evaluations at trial points, and the struct's <c>iterate</c>
    /// answers them with the generated code. Both are full batch, without clipping, schedules or minibatches; both move
    /// only to points whose loss and gradient are finite, so <c>Minimize</c> never rolls back, and stops with
    /// <c>Stalled</c> when an iteration cannot move.
    /// </summary>
    private sealed partial class StructWriter
    {
        private const string SolverState = "solverState";

        /// <summary>A float objective's solver vectors in float (README, Float objectives): a second vector beside <see cref="SolverState"/>'s doubles.</summary>
        private const string SolverElements = "solverElements";

        /// <summary>
        /// The most parameters whose Gauss–Newton sums a Levenberg–Marquardt pass keeps in locals (n(n + 1)/2 + n of them),
        /// unrolled, and with data and no rolled loop runs four samples at a time (a float objective's eight); past it each residual goes through
        /// <c>NormalEquations.AddResidual</c>'s SIMD loops, one sample at a time. Measured over 200 points
        /// (tests/OptimDsl.Benchmarks/README.md, issue 12, the pass four samples at a time): the decay fit's 3 parameters
        /// 2.5 µs one sample at a time, 0.8 µs four at a time; 8 parameters 6.3 → 2.1 µs; 12 parameters 10.2 µs through
        /// AddResidual, 3.4 µs four at a time. Wider passes are not measured: the lanes' sums grow as n², and so does the
        /// generated code. In float (README, Float objectives; benchmarks README, Float solvers) the decay fit's pass took
        /// 2.4 µs one sample at a time, 0.40 µs eight at a time.
        /// </summary>
        private const int LocalNormalEquationsLimit = 12;

        private bool IsLbfgs => _definition.Family == OptimizerFamily.Lbfgs;

        /// <summary>The capacity m of the L-BFGS history: the attribute's <c>History</c>.</summary>
        private int HistoryCapacity => (int)_optimizer.Value("History");

        /// <summary>
        /// The solver's vectors after θ and the gradient, in the order of its storage's constructor: each one's length and
        /// whether it holds the element type (else double; README, Float objectives). L-BFGS: the pairs s and y (m·n each)
        /// in the element type, ρ and the two-loop α (m each) in double, the direction, the trial point and its gradient
        /// (n each) in the element type. Levenberg–Marquardt: the Gauss–Newton Hessian (n²), the trial point (n, the element
        /// type), its gradient (n) and Hessian (n²), the Cholesky factor (n²) and the step (n), all but the trial point in double.
        /// </summary>
        private (int Length, bool InElement)[] SolverSlices
        {
            get
            {
                int n = _count, m = IsLbfgs ? HistoryCapacity : 0;
                return IsLbfgs
                    ? new[] { (m * n, true), (m * n, true), (m, false), (m, false), (n, true), (n, true), (n, true) }
                    : new[] { (n * n, false), (n, true), (n, false), (n * n, false), (n * n, false), (n, false) };
            }
        }

        /// <summary>Whether a solver vector is one of <see cref="SolverState"/>'s doubles: for a double objective all are.</summary>
        private bool InSolverState((int Length, bool InElement) slice) => !slice.InElement || !IsFloat;

        /// <summary>The doubles of <see cref="SolverState"/>: the solver's double vectors, then Levenberg–Marquardt's pass sums (see <see cref="PassSumsLength"/>).</summary>
        private int SolverStateLength => SolverSlices.Where(InSolverState).Sum(s => s.Length) + PassSumsLength;

        /// <summary>The floats of <see cref="SolverElements"/>, a float objective's; 0 for a double one.</summary>
        private int SolverElementLength => IsFloat ? SolverSlices.Where(s => s.InElement).Sum(s => s.Length) : 0;

        /// <summary>The solver's vectors in the struct: its doubles, and a float objective's floats.</summary>
        private IEnumerable<string> SolverVectors => IsFloat ? new[] { SolverState, SolverElements } : new[] { SolverState };

        /// <summary>The bytes of θ, the gradient and the solver's vectors, against <see cref="SolverInlineLimit"/>'s 20 KB.</summary>
        private int SolverBytes => (_count * _element.Size()) + (_count * GradientElementType.Size()) + (SolverStateLength * sizeof(double)) + (SolverElementLength * _element.Size());

        /// <summary>
        /// The gradient's number type: the element type, but double for Levenberg–Marquardt, whose gradient is the normal
        /// equations' (README, Float objectives).
        /// </summary>
        private ElementType GradientElementType => _definition.Family == OptimizerFamily.LevenbergMarquardt ? ElementType.Double : _element;

        private string GradientElement => GradientElementType.Keyword();

        /// <summary>
        /// Levenberg–Marquardt's sums of one pass (L-BFGS has none): with data g, H and a Jacobian row (n + n² + n), the layout each shard of the
        /// samples fills (README, Parallel data gradients); without data a Jacobian row (n). A float objective's row is float,
        /// on the stack of the pass: its sums are g and H with data, none without.
        /// </summary>
        private int PassSumsLength => IsLbfgs ? 0 : (HasData ? _count + (_count * _count) : 0) + (IsFloat ? 0 : _count);

        /// <summary>What setting a parameter property also does: the solver's memory of the old parameters is stale.</summary>
        private string? SolverRestart => _definition.Family switch
        {
            OptimizerFamily.Lbfgs => "this.rule.ClearHistory();",
            OptimizerFamily.LevenbergMarquardt => "this.rule.ResetDamping();",
            _ => null,
        };

        private string SolverRestartSummary => IsLbfgs
            ? "empties the curvature history, which describes the old parameters"
            : "resets the damping λ to InitialDamping";

        private void WriteSolverFields()
        {
            var vector = OnHeap ? "double[]" : "solverVector";
            if (IsFloat)
            {
                _w.WriteLine(IsLbfgs
                    ? "// The solver's double vectors back to back: ρ and α per pair."
                    : $"// The solver's double vectors back to back: the Gauss–Newton Hessian, the trial point's gradient and Hessian, the Cholesky factor, the step{(HasData ? ", the pass's sums" : string.Empty)}.");
                _w.WriteLine($"private {vector} {SolverState};");
                _w.WriteLine(IsLbfgs
                    ? "// The solver's float vectors back to back: the history's pairs s and y, the direction, the trial point and its gradient."
                    : "// The solver's float vector: the trial point.");
                _w.WriteLine($"private {(OnHeap ? Element + "[]" : "solverElementVector")} {SolverElements};");
            }
            else
            {
                _w.WriteLine(IsLbfgs
                    ? "// The solver's vectors back to back: the history's pairs s and y, ρ and α per pair, the direction, the trial point and its gradient."
                    : "// The solver's vectors back to back: the Gauss–Newton Hessian, the trial point, its gradient and Hessian, the Cholesky factor, the step, a Jacobian row.");
                _w.WriteLine($"private {vector} {SolverState};");
            }

            _w.WriteLine(IsLbfgs
                ? "// The solver's hyperparameters, its history's bookkeeping and the line search's scalars."
                : "// The solver's hyperparameters and the damping λ.");
            _w.WriteLine($"private {_definition.RuleType} rule;");
            WriteObservedField();
            WriteParallelismField();
            _w.WriteLine("// False in default(T): only the constructor sets every hyperparameter to a valid value.");
            _w.WriteLine("private bool constructed;");
            _w.WriteLine();
        }

        private void WriteSolverStep()
        {
            var scope = new NameScope(_data.Select(p => p.Name));
            var loss = scope.Reserve("loss");
            _w.WriteLine("/// <summary>");
            _w.WriteLine(HasData
                ? "/// One iteration over the whole data set: evaluates the mean loss at the parameters, then moves them (README, Which optimizer?);"
                : "/// One iteration: evaluates the loss at the parameters, then moves them (README, Which optimizer?);");
            _w.WriteLine("/// returns the loss before it. An iteration that can make no progress leaves the parameters as they were.");
            _w.WriteLine("/// </summary>");
            _w.WriteLine(AggressiveOptimization);
            using (_w.Block($"public {Element} Step({DataParametersOnly})"))
            {
                _w.WriteLine(EnsureConstructed);
                _w.WriteLine($"double {loss} = this.evaluate({DataArgumentsOnly});");
                _w.WriteLine($"this.iterate({loss}{DataArgumentsAfter});");
                // A float L-BFGS loss widened by evaluate and narrowed back: the same float; a float Levenberg–Marquardt
                // loss is the double sum of the squared residuals, rounded once.
                _w.WriteLine($"return {ToElement(loss)};");
            }

            _w.WriteLine();
        }

        private string DataArgumentsAfter => string.Concat(_data.Select(p => ", " + Naming.Identifier(p.Name)));

        private string DataParametersAfter => string.Concat(_data.Select(p => $", {Span} {Naming.Identifier(p.Name)}"));

        private void WriteSolverMinimize()
        {
            var names = new NameScope(_objective.Location.ContainingTypes.SelectMany(t => t.TypeParameters).Concat(_data.Select(p => p.Name)));
            var observerType = names.Reserve("TObserver");
            var locals = new NameScope(_data.Select(p => p.Name).Concat(new[] { "maxIterations", "tolerance", "observer" }));
            var noObserver = locals.Reserve("noObserver");
            var run = locals.Reserve("run");
            var loss = locals.Reserve("loss");

            _w.WriteLine("/// <summary>Iterates until the gradient's 2-norm is at most tolerance, maxIterations iterations are made, or an iteration cannot move (<c>Stalled</c>; README, Minimize).</summary>");
            using (_w.Block($"public {Result} Minimize({DataParameters}int maxIterations, double tolerance = 1e-8)"))
            {
                _w.WriteLine($"global::OptimDsl.NoObserver {noObserver} = default;");
                _w.WriteLine($"return this.Minimize({DataArguments}maxIterations, tolerance, ref {noObserver});");
            }

            _w.WriteLine();
            _w.WriteLine("/// <summary>Like <c>Minimize</c>, calling <c>observer.OnStep</c> after each iteration; the run stops when it returns false.</summary>");
            _w.WriteLine(AggressiveOptimizationNoInlining);
            _w.WriteLine($"public {Result} Minimize<{observerType}>({DataParameters}int maxIterations, double tolerance, ref {observerType} observer)");
            using (_w.Block($"    where {observerType} : global::OptimDsl.IOptimizationObserver"))
            {
                _w.WriteLines($$"""
                    var {{run}} = new global::OptimDsl.MinimizeRun(maxIterations, tolerance);
                    {{EnsureConstructed}}
                    double {{loss}} = this.evaluate({{DataArgumentsOnly}});
                    {{run}}.Start({{loss}}, {{RunVectors}});
                    // Each iteration starts from the loss and gradient the last one accepted: one evaluation fewer than Step.
                    while ({{run}}.Continues)
                    {
                        this.iterate({{loss}}{{DataArgumentsAfter}});
                        {{loss}} = this.rule.Loss;
                        {{run}}.SolverStepped(this.rule.Accepted, {{loss}}, {{RunVectors}}{{RunObserved}}, this.rule.Iteration, ref observer);
                    }

                    return {{run}}.Result;
                    """);
            }

            _w.WriteLine();
        }

        /// <summary>The solver's view of the vectors, the evaluation at θ, the iteration, and Levenberg–Marquardt's residuals.</summary>
        private void WriteSolverEvaluation()
        {
            var storageType = $"global::OptimDsl.Rules.{(IsLbfgs ? "LbfgsStorage" : "LevenbergMarquardtStorage")}<{Element}>";
            // Each vector's slice of the solver's doubles ("state") or, for a float objective, of its floats ("elements").
            var views = new List<string>();
            int stateOffset = 0, elementOffset = 0;
            foreach (var slice in SolverSlices)
            {
                if (InSolverState(slice))
                {
                    views.Add($"state.Slice({stateOffset}, {slice.Length})");
                    stateOffset += slice.Length;
                }
                else
                {
                    views.Add($"elements.Slice({elementOffset}, {slice.Length})");
                    elementOffset += slice.Length;
                }
            }

            var passSums = PassSumsLength == 0 ? string.Empty : $", ((global::System.Span<double>)this.{SolverState}).Slice({stateOffset}, {PassSumsLength}){DegreeArgument}";

            _w.WriteLine("/// <summary>The solver's view of this optimizer's vectors.</summary>");
            _w.WriteLine("[global::System.Diagnostics.CodeAnalysis.UnscopedRef]");
            using (_w.Block($"private {storageType} solverStorage()"))
            {
                _w.WriteLine($"global::System.Span<double> state = this.{SolverState};");
                if (IsFloat)
                {
                    _w.WriteLine($"global::System.Span<{Element}> elements = this.{SolverElements};");
                }

                _w.WriteLine($"return new {storageType}(this.parameters, this.gradient, {string.Join(", ", views)});");
            }

            _w.WriteLine();

            var scope = new NameScope(_data.Select(p => p.Name));
            var storage = scope.Reserve("storage");
            var loss = scope.Reserve("loss");
            _w.WriteLine(IsLbfgs
                ? "/// <summary>The loss at θ; writes the gradient at θ to <c>gradient</c>.</summary>"
                : "/// <summary>The loss at θ from its residuals; writes its gradient to <c>gradient</c> and its Gauss–Newton Hessian to the solver's.</summary>");
            _w.WriteLine(AggressiveOptimization);
            using (_w.Block($"private double evaluate({DataParametersOnly})"))
            {
                if (IsLbfgs)
                {
                    _w.WriteLine($"return {_gradientMethod}(this.parameters, {DataArguments}this.gradient{DegreeArgument});");
                }
                else
                {
                    _w.WriteLine($"var {storage} = this.solverStorage();");
                    _w.WriteLine($"return normalEquations({storage}.Theta, {DataArguments}{storage}.Gradient, {storage}.Hessian{passSums});");
                }
            }

            _w.WriteLine();
            _w.WriteLine($"/// <summary>One iteration of the solver from θ, whose loss is <paramref name=\"{loss}\"/>: it evaluates the objective at the trial points it asks for.</summary>");
            _w.WriteLine(AggressiveOptimization);
            using (_w.Block($"private void iterate(double {loss}{DataParametersAfter})"))
            {
                _w.WriteLine($"var {storage} = this.solverStorage();");
                var trial = IsLbfgs
                    ? $"{_gradientMethod}({storage}.TrialPoint, {DataArguments}{storage}.TrialGradient{DegreeArgument})"
                    : $"normalEquations({storage}.TrialPoint, {DataArguments}{storage}.TrialGradient, {storage}.TrialHessian{passSums})";
                _w.WriteLines($$"""
                    this.rule.Begin({{storage}}, {{loss}});
                    while (this.rule.NextTrial({{storage}}))
                    {
                        this.rule.Evaluated({{storage}}, {{trial}});
                    }
                    """);
            }

            _w.WriteLine();
            if (!IsLbfgs)
            {
                WriteNormalEquations();
            }
        }

        /// <summary>
        /// Levenberg–Marquardt: the loss, gradient and Gauss–Newton Hessian at a point from one pass over the samples,
        /// and one method per residual that returns it and adds its gradient (the Jacobian's row). With data, up to
        /// <see cref="LocalNormalEquationsLimit"/> parameters and no rolled loop, the pass runs four samples at a time (a float
        /// objective's eight; <see cref="WriteNormalEquationsLanes"/>), then the last n mod 4 (8) one by one.
        /// </summary>
        private void WriteNormalEquations()
        {
            var scope = new NameScope(_data.Select(p => p.Name));
            var point = scope.Reserve("point");
            var gradient = scope.Reserve("gradient");
            var hessian = scope.Reserve("hessian");
            var row = scope.Reserve("row");
            var loss = scope.Reserve("loss");
            var sample = scope.Reserve("sample");
            var samples = scope.Reserve("samples");
            var passSums = scope.Reserve("sums");
            var shard = scope.Reserve("shard");
            var residuals = _model.Residuals;
            var weights = _objective.Residuals;
            var names = Enumerable.Range(0, residuals.Count).Select(j => scope.Reserve("r" + j)).ToArray();

            _w.WriteLine("/// <summary>");
            var which = residuals.Count == 1 ? "residual" : $"{residuals.Count} residuals";
            _w.WriteLine($"/// The {(HasData ? "mean " : string.Empty)}loss Σ c·r² at <paramref name=\"{point}\"/> from its {which}{(HasData ? " per sample" : string.Empty)}; writes its gradient");
            _w.WriteLine($"/// 2{(HasData ? "/N" : string.Empty)}·Σ c·r·∇r to <paramref name=\"{gradient}\"/> and its Gauss–Newton Hessian 2{(HasData ? "/N" : string.Empty)}·Σ c·∇r∇rᵀ to <paramref name=\"{hessian}\"/>");
            _w.WriteLine(HasData
                ? $"/// (README, Which optimizer?), summed over fixed shards of the samples (README, Parallel data gradients); <paramref name=\"{passSums}\"/> holds the sums."
                : IsFloat
                    ? "/// (README, Which optimizer?), from the float residuals and their float rows, widened where they are added (README, Float objectives)."
                    : $"/// (README, Which optimizer?); <paramref name=\"{row}\"/> is scratch for one residual's gradient.");
            _w.WriteLine("/// </summary>");
            var n = _count;
            if (HasData)
            {
                _w.WriteLine(AggressiveOptimization);
                using (_w.Block($"private static double normalEquations(global::System.Span<{Element}> {point}, {DataParameters}global::System.Span<double> {gradient}, global::System.Span<double> {hessian}, global::System.Span<double> {passSums}, int {DataGradientEmitter.Degree})"))
                {
                    var all = GradientEmitter.EmitDataChecks(_w, _data, samples);
                    var dataNames = string.Join(", ", _data.Select(d => Naming.Identifier(d.Name)));
                    if (_data.Length <= DataGradientEmitter.MaximumSharedDataSpans)
                    {
                        var views = string.Concat(Enumerable.Range(0, _data.Length).Select(d => $", {shard}[{d}]"));
                        _w.WriteLine($"double {loss} = {DataGradientEmitter.DataShards}.Sum(static (in global::OptimDsl.ShardData<{Element}> {shard}, global::System.Span<double> {passSums}) => normalEquationSums({shard}.Parameters{views}, {passSums}), {all}, {passSums}, {DataGradientEmitter.Degree}, {point}, {dataNames});");
                    }
                    else
                    {
                        _w.WriteLine($"// More than {DataGradientEmitter.MaximumSharedDataSpans} data spans: one shard, on one core (README, Parallel data gradients).");
                        _w.WriteLine($"double {loss} = normalEquationSums({point}, {DataArguments}{passSums});");
                    }

                    _w.WriteLine($"{passSums}.Slice(0, {n}).CopyTo({gradient});");
                    _w.WriteLine($"{passSums}.Slice({n}, {n * n}).CopyTo({hessian});");
                    _w.WriteLine($"global::OptimDsl.Rules.NormalEquations.Finish({hessian}, {gradient}, 2.0 / {all});");
                    _w.WriteLine($"return {loss} / {all};");
                }

                _w.WriteLine();
                _w.WriteLine("/// <summary>");
                _w.WriteLine($"/// The sums over one shard's samples: returns Σ c·r²; writes Σ c·r·∇r to the first {n} values of <paramref name=\"{passSums}\"/>, the lower");
                _w.WriteLine(IsFloat
                    ? $"/// triangle of Σ c·∇r∇rᵀ to the next {n * n} (row by row), in double from the float residuals and rows (README, Float objectives)."
                    : $"/// triangle of Σ c·∇r∇rᵀ to the next {n * n} (row by row), and uses the last {n} as scratch for one residual's gradient.");
                _w.WriteLine("/// </summary>");
            }

            _w.WriteLine(AggressiveOptimization);
            var rowParameter = IsFloat ? string.Empty : $", global::System.Span<double> {row}";
            using (_w.Block(HasData
                ? $"private static double normalEquationSums(global::System.ReadOnlySpan<{Element}> {point}, {DataParameters}global::System.Span<double> {passSums})"
                : $"private static double normalEquations(global::System.Span<{Element}> {point}, global::System.Span<double> {gradient}, global::System.Span<double> {hessian}{rowParameter})"))
            {
                var count = "1";
                if (IsFloat)
                {
                    // A float residual's gradient is a float row, widened where it is added (README, Float objectives).
                    _w.WriteLine($"global::System.Span<{Element}> {row} = stackalloc {Element}[{n}];");
                }

                if (HasData)
                {
                    _w.WriteLine($"var {gradient} = {passSums}.Slice(0, {n});");
                    _w.WriteLine($"var {hessian} = {passSums}.Slice({n}, {n * n});");
                    if (!IsFloat)
                    {
                        _w.WriteLine($"var {row} = {passSums}.Slice({n + (n * n)}, {n});");
                    }

                    var first = _data[0];
                    count = first.IsVector ? samples : Naming.Identifier(first.Name) + ".Length";
                    if (first.IsVector)
                    {
                        _w.WriteLine($"int {samples} = {Naming.Identifier(first.Name)}.Length / {first.Length};");
                    }
                }

                var inLocals = n <= LocalNormalEquationsLimit;
                var inLanes = HasData && inLocals && !residuals.Any(r => r.IsRolled);
                // In locals (few parameters): the lower triangle of H, g and the Jacobian row, h1_0 for H[1, 0].
                var sums = new GaussNewtonLocals(n);
                if (inLocals)
                {
                    for (var i = 0; i < n; i++)
                    {
                        sums.G[i] = scope.Reserve("g" + i);
                        sums.J[i] = scope.Reserve("j" + i);
                        for (var k = 0; k <= i; k++)
                        {
                            sums.H[i, k] = scope.Reserve($"h{i}_{k}");
                        }
                    }

                    _w.WriteLine("// Σ c·∇r∇rᵀ (its lower triangle) and Σ c·r·∇r in locals: the arithmetic of NormalEquations.AddResidual, unrolled.");
                    _w.WriteLine($"double {string.Join(", ", sums.Lower().Select(x => x + " = 0"))};");
                    _w.WriteLine($"double {string.Join(", ", sums.G.Select(x => x + " = 0"))};");
                    _w.WriteLine($"double {string.Join(", ", sums.J)};");
                }
                else if (!HasData)
                {
                    _w.WriteLine($"{gradient}.Clear();");
                    _w.WriteLine($"{hessian}.Clear();");
                }

                if (HasData)
                {
                    // Every sum is overwritten: the upper triangle too, which the shards add up as zeros.
                    _w.WriteLine($"{passSums}.Clear();");
                }

                _w.WriteLine($"double {loss} = 0;");
                if (inLanes)
                {
                    WriteNormalEquationsLanes(scope, point, sample, count, loss, names, sums);
                }

                var body = new List<string>();
                var arguments = HasData ? DataGradientEmitter.SampleArguments(_data, sample).ToArray() : new string[0];
                for (var j = 0; j < residuals.Count; j++)
                {
                    var weight = weights[j].Weight;
                    var c = ExpressionPrinter.FormatConstant(weight);
                    body.Add($"{row}.Clear();");
                    body.Add($"double {names[j]} = residual{j}(ref {(HasData ? $"global::System.Runtime.InteropServices.MemoryMarshal.GetReference({point})" : $"{point}[0]")}, {string.Concat(arguments.Select(a => a + ", "))}ref {row}[0]);");
                    if (inLocals)
                    {
                        // h[i, k] += (c·J[i])·J[k] and g[i] += (c·r)·J[i], as AddResidual computes them (c = 1 multiplies exactly).
                        for (var i = 0; i < n; i++)
                        {
                            body.Add($"{sums.J[i]} = {row}[{i}];");
                        }

                        for (var i = 0; i < n; i++)
                        {
                            var left = weight == 1 ? sums.J[i] : $"({c} * {sums.J[i]})";
                            body.Add(string.Join(" ", Enumerable.Range(0, i + 1).Select(k => $"{sums.H[i, k]} += {left} * {sums.J[k]};")));
                        }

                        var weighted = weight == 1 ? names[j] : $"({c} * {names[j]})";
                        body.Add(string.Join(" ", Enumerable.Range(0, n).Select(i => $"{sums.G[i]} += {weighted} * {sums.J[i]};")));
                    }
                    else
                    {
                        body.Add($"global::OptimDsl.Rules.NormalEquations.AddResidual({hessian}, {gradient}, {row}, {names[j]}, {c});");
                    }

                    body.Add(weight == 1 ? $"{loss} += {names[j]} * {names[j]};" : $"{loss} += {c} * ({names[j]} * {names[j]});");
                }

                void StoreLocals()
                {
                    if (inLocals)
                    {
                        for (var i = 0; i < n; i++)
                        {
                            _w.WriteLine(string.Join(" ", Enumerable.Range(0, i + 1).Select(k => $"{hessian}[{(i * n) + k}] = {sums.H[i, k]};")) + $" {gradient}[{i}] = {sums.G[i]};");
                        }
                    }
                }

                if (HasData)
                {
                    if (inLanes)
                    {
                        _w.WriteLine($"// The last n mod {_element.Lanes256()} samples, in order, each adding to the lanes' sums.");
                    }

                    using (_w.Block(inLanes ? $"for (; {sample} < {count}; {sample}++)" : $"for (int {sample} = 0; {sample} < {count}; {sample}++)"))
                    {
                        _w.WriteLines(string.Join("\n", body));
                    }

                    _w.WriteLine();
                    StoreLocals();
                    _w.WriteLine($"return {loss};");
                }
                else
                {
                    _w.WriteLines(string.Join("\n", body));
                    StoreLocals();
                    _w.WriteLine($"global::OptimDsl.Rules.NormalEquations.Finish({hessian}, {gradient}, 2.0);");
                    _w.WriteLine($"return {loss};");
                }
            }

            for (var j = 0; j < residuals.Count; j++)
            {
                _w.WriteLine();
                GradientEmitter.EmitSampleCore(_w, residuals[j], "residual" + j);
            }

            _w.WriteLine();
        }

        /// <summary>The names of the Gauss–Newton sums in locals: H's lower triangle, g, and one Jacobian row.</summary>
        private sealed class GaussNewtonLocals
        {
            public GaussNewtonLocals(int n)
            {
                H = new string[n, n];
                G = new string[n];
                J = new string[n];
            }

            /// <summary>H[i, k] for k ≤ i.</summary>
            public string[,] H { get; }

            public string[] G { get; }

            public string[] J { get; }

            /// <summary>H's lower triangle row by row: h0_0, h1_0, h1_1, h2_0…</summary>
            public IEnumerable<string> Lower()
                => Enumerable.Range(0, G.Length).SelectMany(i => Enumerable.Range(0, i + 1).Select(k => H[i, k]));
        }

        /// <summary>
        /// The vectorised part of Levenberg–Marquardt's pass, as the data gradient's (<see cref="SampleLanes"/>): each
        /// residual and its Jacobian row per lane, sample i in lane i mod 4 (one Vector256, or a Vector128 pair — in
        /// software without SIMD hardware), the loss, g and H's lower triangle summed per lane, the lanes combined by
        /// <c>VectorMath.SumLanes</c> into the scalar sums, which the caller's loop over the last n mod 4 samples
        /// continues. A float objective's: sample i in float lane i mod 8, each residual and row widened (exactly) to a low
        /// and a high set of double lanes (0–3, 4–7), the same double terms, the sets combined as SumLanes(0–3) +
        /// SumLanes(4–7), then the last n mod 8 (README, Float objectives). Every width computes the same bits. What it
        /// gains: see <see cref="LocalNormalEquationsLimit"/>.
        /// </summary>
        private void WriteNormalEquationsLanes(NameScope scope, string point, string sample, string count, string loss, string[] names, GaussNewtonLocals sums)
        {
            var n = _count;
            var residuals = _model.Residuals;
            var weights = _objective.Residuals;
            var trained = _objective.TrainedValues();
            var step = _element.Lanes256(); // samples a step: one Vector256 of the element type
            var parameterNames = trained.Select(v => scope.Reserve(v.Parameter.ElementLocal(v.Element).TrimStart('@'))).ToArray();
            _w.WriteLine(IsFloat
                ? "// Eight samples at a time, sample i in lane i mod 8, as the data gradient, each residual and row widened to double; then the last n mod 8 one by one."
                : "// Four samples at a time, sample i in lane i mod 4, as the data gradient; then the last n mod 4 one by one.");
            _w.WriteLine($"{Element} {string.Join(", ", Enumerable.Range(0, n).Select(k => $"{parameterNames[k]} = {point}[{k}]"))};");
            var lanes = residuals
                .Select(r => new SampleLanes(_w, r.Objective, r.Graph, new[] { r.Value }.Concat(r.Gradient).ToArray(), scope))
                .ToArray();
            foreach (var residual in lanes)
            {
                residual.WriteUniform(parameterNames);
            }

            var dataRefs = _data.Select(d => scope.Reserve(d.Name + "Ref")).ToArray();
            _w.WriteLine($"int {sample} = 0;");
            using (_w.Block($"if (global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && {count} >= {step})"))
            {
                WriteLaneLoop(step);
            }

            using (_w.Block($"else if ({count} >= {step})"))
            {
                _w.WriteLine("// Vector128 pairs; without SIMD hardware Vector128 runs in software and computes the same lanes.");
                WriteLaneLoop(step / 2);
            }

            void WriteLaneLoop(int width)
            {
                var vector = VectorExpressionPrinter.VectorType(width, _element);
                var groups = step / width;
                var broadcast = lanes.Select(l => l.WriteBroadcast(width)).ToArray();
                SampleLanes.WriteDataRefs(_w, _data, dataRefs);

                // The sets of double lanes, per group of lanes: a double objective's group is one set (lossV, g0V, h1_0V;
                // lossLow… for a pair); a float group of eight (or four) floats widens into a low and a high set of double
                // lanes (lossLow, lossHigh; lossFirstLow… for a pair), as the float data gradient's.
                var halves = IsFloat ? new[] { "Low", "High" } : new[] { string.Empty };
                string Suffix(int group, string half) => IsFloat
                    ? (groups == 1 ? string.Empty : group == 0 ? "First" : "Second") + half
                    : groups == 1 ? "V" : group == 0 ? "Low" : "High";
                var scalars = new[] { loss }.Concat(sums.G).Concat(sums.Lower()).ToArray();
                var sets = Enumerable.Range(0, groups).SelectMany(g => halves.Select(h => (Group: g, Half: h))).ToArray();
                var accumulators = sets
                    .Select(set => scalars.ToDictionary(x => x, x => scope.Reserve(x + Suffix(set.Group, set.Half))))
                    .ToArray();
                // One declaration for the loss, one for g, one per row of H's lower triangle.
                var lines = new[] { new[] { loss }, sums.G }
                    .Concat(Enumerable.Range(0, n).Select(i => Enumerable.Range(0, i + 1).Select(k => sums.H[i, k]).ToArray()));
                foreach (var set in accumulators)
                {
                    foreach (var line in lines)
                    {
                        _w.WriteLine($"{vector}<double> {string.Join(", ", line.Select(x => $"{set[x]} = {vector}<double>.Zero"))};");
                    }
                }

                using (_w.Block($"for (; {sample} <= {count} - {step}; {sample} += {step})"))
                {
                    _w.WriteLine(IsFloat
                        ? "// Per lane, each residual and its Jacobian row in float, widened to double, then their terms as the scalar loop below adds them."
                        : "// Per lane, each residual and its Jacobian row, then their terms as the scalar loop below adds them.");
                    for (var g = 0; g < groups; g++)
                    {
                        if (groups > 1)
                        {
                            _w.WriteLine(IsFloat
                                ? g == 0 ? "// Lanes 0 to 3." : "// Lanes 4 to 7."
                                : g == 0 ? "// Lanes 0 and 1." : "// Lanes 2 and 3.");
                        }

                        for (var j = 0; j < residuals.Count; j++)
                        {
                            // r and ∇r per lane: a local unless already a name; null for the constant 0, whose terms are exact
                            // no-ops; the constant 1, whose products are exact, is left out of them.
                            var values = lanes[j].WriteLanes(width, g * width, sample, broadcast[j], dataRefs);
                            var outputs = new[] { residuals[j].Value }.Concat(residuals[j].Gradient).ToArray();
                            // Per set of double lanes, the operands: a double objective's lanes as they are; a float one's
                            // widened (exactly) to its low and high halves.
                            var operands = halves.Select(_ => new LaneValue?[values.Length]).ToArray();
                            for (var o = 0; o < values.Length; o++)
                            {
                                if (values[o] is not { } value)
                                {
                                    continue;
                                }

                                var isOne = residuals[j].Graph[outputs[o]].IsConstantValue(1);
                                var name = (o == 0 ? names[j] : sums.J[o - 1]) + Suffix(g, string.Empty);
                                if (!isOne && !IsIdentifier(value))
                                {
                                    var local = scope.Reserve(name);
                                    _w.WriteLine($"var {local} = {value};");
                                    value = local;
                                }

                                for (var h = 0; h < halves.Length; h++)
                                {
                                    var operand = value;
                                    if (IsFloat && isOne)
                                    {
                                        operand = $"{vector}<double>.One";
                                    }
                                    else if (IsFloat)
                                    {
                                        operand = scope.Reserve(name + halves[h]);
                                        _w.WriteLine($"var {operand} = {vector}.{(h == 0 ? "WidenLower" : "WidenUpper")}({value});");
                                    }

                                    operands[h][o] = new LaneValue(operand, isOne);
                                }
                            }

                            for (var h = 0; h < halves.Length; h++)
                            {
                                WriteResidualTerms(accumulators[(g * halves.Length) + h], operands[h], weights[j].Weight, vector, loss, sums);
                            }
                        }
                    }
                }

                // A double objective's lane l holds samples ≡ l (mod 4), a float one's low set lanes 0–3 and high set lanes 4–7
                // (samples ≡ l mod 8), added as the data gradient adds its lanes.
                foreach (var scalar in scalars)
                {
                    _w.WriteLine($"{scalar} = {SampleLanes.AddLanes(accumulators.Select(set => set[scalar]).ToArray(), eightLanes: IsFloat)};");
                }
            }
        }

        /// <summary>
        /// One residual's terms in one set of double lanes, as the scalar loop adds them: loss += c·(r·r), g[i] += (c·r)·J[i],
        /// H[i, k] += (c·J[i])·J[k]; <paramref name="operands"/> are r and J (null for the constant 0).
        /// </summary>
        private void WriteResidualTerms(Dictionary<string, string> sum, LaneValue?[] operands, double weight, string vector, string loss, GaussNewtonLocals sums)
        {
            var n = _count;
            var c = new LaneValue($"{vector}.Create({VectorExpressionPrinter.DoubleLiteral(weight)})", weight == 1);
            var r = operands[0];
            if (r is null)
            {
                return; // a residual that is 0: no term
            }

            var squared = Product(r, r);
            _w.WriteLine($"{sum[loss]} += {(weight == 1 ? squared.Text : Product(c, Wrap(squared)).Text)};");
            var weighted = Wrap(Product(c, r));
            var terms = new List<string>();
            for (var i = 0; i < n; i++)
            {
                if (operands[i + 1] is { } ji)
                {
                    terms.Add($"{sum[sums.G[i]]} += {Product(weighted, ji).Text};");
                }
            }

            WriteTerms(terms);
            for (var i = 0; i < n; i++)
            {
                if (operands[i + 1] is not { } ji)
                {
                    continue;
                }

                var left = Wrap(Product(c, ji));
                for (var k = 0; k <= i; k++)
                {
                    if (operands[k + 1] is { } jk)
                    {
                        terms.Add($"{sum[sums.H[i, k]]} += {Product(left, jk).Text};");
                    }
                }

                WriteTerms(terms);
            }
        }

        private void WriteTerms(List<string> terms)
        {
            if (terms.Count > 0)
            {
                _w.WriteLine(string.Join(" ", terms));
                terms.Clear();
            }
        }

        /// <summary>A vector expression of a residual's lanes or a Jacobian entry's, and whether it is the constant 1.</summary>
        private sealed record LaneValue(string Text, bool IsOne);

        /// <summary>x·y, leaving out a factor that is the constant 1 (exact).</summary>
        private static LaneValue Product(LaneValue x, LaneValue y)
            => x.IsOne ? y : y.IsOne ? x : new LaneValue($"{x.Text} * {y.Text}", false);

        /// <summary>A product in parentheses, as an operand of another.</summary>
        private static LaneValue Wrap(LaneValue x) => x.IsOne || IsIdentifier(x.Text) ? x : new LaneValue($"({x.Text})", false);

        private static bool IsIdentifier(string text)
            => text.Length > 0 && (char.IsLetter(text[0]) || text[0] == '_' || text[0] == '@') && text.Skip(1).All(ch => char.IsLetterOrDigit(ch) || ch == '_');
    }
}
