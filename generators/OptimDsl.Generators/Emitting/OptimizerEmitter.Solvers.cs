using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Catalogue;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

internal static partial class OptimizerEmitter
{
    /// <summary>
    /// The most doubles an <c>[Lbfgs]</c> or <c>[LevenbergMarquardt]</c> struct keeps inline (θ, the gradient and the
    /// solver's vectors): 20 KB, what a first-order struct holds at <see cref="InlineStateLimit"/>. Past it the
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

        /// <summary>
        /// The most parameters whose Gauss–Newton sums a Levenberg–Marquardt pass keeps in locals (n(n + 1)/2 + n of them),
        /// unrolled; past it each residual goes through <c>NormalEquations.AddResidual</c>'s SIMD loops. Both compute the
        /// same bits. The 3-parameter decay fit's pass took 7.8 µs through AddResidual, against 3.0 µs hand-written in locals
        /// (tests/OptimDsl.Benchmarks/README.md, issue 12).
        /// </summary>
        private const int LocalNormalEquationsLimit = 8;

        private bool IsLbfgs => _definition.Family == OptimizerFamily.Lbfgs;

        /// <summary>The capacity m of the L-BFGS history: the attribute's <c>History</c>.</summary>
        private int HistoryCapacity => (int)_optimizer.Value("History");

        /// <summary>
        /// The doubles of the solver's vectors. L-BFGS: the pairs s and y (m·n each), ρ and the two-loop α (m each), the
        /// direction, the trial point and its gradient (n each). Levenberg–Marquardt: the Gauss–Newton Hessian, the trial
        /// point's Hessian and the Cholesky factor (n² each), the trial point, its gradient, the step and one Jacobian row (n each).
        /// </summary>
        private int SolverStateLength => IsLbfgs
            ? (2 * HistoryCapacity * _count) + (2 * HistoryCapacity) + (3 * _count)
            : (3 * _count * _count) + (4 * _count);

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
            _w.WriteLine(IsLbfgs
                ? "// The solver's vectors back to back: the history's pairs s and y, ρ and α per pair, the direction, the trial point and its gradient."
                : "// The solver's vectors back to back: the Gauss–Newton Hessian, the trial point, its gradient and Hessian, the Cholesky factor, the step, a Jacobian row.");
            _w.WriteLine($"private {vector} {SolverState};");
            _w.WriteLine(IsLbfgs
                ? "// The solver's hyperparameters, its history's bookkeeping and the line search's scalars."
                : "// The solver's hyperparameters and the damping λ.");
            _w.WriteLine($"private {_definition.RuleType} rule;");
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
            using (_w.Block($"public double Step({DataParametersOnly})"))
            {
                _w.WriteLine(EnsureConstructed);
                _w.WriteLine($"double {loss} = this.evaluate({DataArgumentsOnly});");
                _w.WriteLine($"this.iterate({loss}{DataArgumentsAfter});");
                _w.WriteLine($"return {loss};");
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
                    {{run}}.Start({{loss}}, this.gradient, this.parameters);
                    // Each iteration starts from the loss and gradient the last one accepted: one evaluation fewer than Step.
                    while ({{run}}.Continues)
                    {
                        this.iterate({{loss}}{{DataArgumentsAfter}});
                        {{loss}} = this.rule.Loss;
                        {{run}}.SolverStepped(this.rule.Accepted, {{loss}}, this.gradient, this.parameters, this.rule.Iteration, ref observer);
                    }

                    return {{run}}.Result;
                    """);
            }

            _w.WriteLine();
        }

        /// <summary>The solver's view of the vectors, the evaluation at θ, the iteration, and Levenberg–Marquardt's residuals.</summary>
        private void WriteSolverEvaluation()
        {
            var n = _count;
            var storageType = IsLbfgs ? "global::OptimDsl.Rules.LbfgsStorage" : "global::OptimDsl.Rules.LevenbergMarquardtStorage";
            var m = IsLbfgs ? HistoryCapacity : 0;
            var slices = IsLbfgs
                ? new[] { (0, m * n), (m * n, m * n), (2 * m * n, m), ((2 * m * n) + m, m), ((2 * m * n) + (2 * m), n), ((2 * m * n) + (2 * m) + n, n), ((2 * m * n) + (2 * m) + (2 * n), n) }
                : new[] { (0, n * n), (n * n, n), ((n * n) + n, n), ((n * n) + (2 * n), n * n), ((2 * n * n) + (2 * n), n * n), ((3 * n * n) + (2 * n), n) };
            var rowOffset = (3 * n * n) + (3 * n);
            var jacobianRow = $"((global::System.Span<double>)this.{SolverState}).Slice({rowOffset}, {n})";

            _w.WriteLine("/// <summary>The solver's view of this optimizer's vectors.</summary>");
            _w.WriteLine("[global::System.Diagnostics.CodeAnalysis.UnscopedRef]");
            using (_w.Block($"private {storageType} solverStorage()"))
            {
                _w.WriteLine($"global::System.Span<double> state = this.{SolverState};");
                var views = string.Join(", ", slices.Select(s => $"state.Slice({s.Item1}, {s.Item2})"));
                _w.WriteLine($"return new {storageType}(this.parameters, this.gradient, {views});");
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
                    _w.WriteLine($"return normalEquations({storage}.Theta, {DataArguments}{storage}.Gradient, {storage}.Hessian, {jacobianRow});");
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
                    : $"normalEquations({storage}.TrialPoint, {DataArguments}{storage}.TrialGradient, {storage}.TrialHessian, {jacobianRow})";
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
        /// and one method per residual that returns it and adds its gradient (the Jacobian's row).
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
            var residuals = _model.Residuals;
            var weights = _objective.Residuals;
            var names = Enumerable.Range(0, residuals.Count).Select(j => scope.Reserve("r" + j)).ToArray();

            _w.WriteLine("/// <summary>");
            var which = residuals.Count == 1 ? "residual" : $"{residuals.Count} residuals";
            _w.WriteLine($"/// The {(HasData ? "mean " : string.Empty)}loss Σ c·r² at <paramref name=\"{point}\"/> from its {which}{(HasData ? " per sample" : string.Empty)}; writes its gradient");
            _w.WriteLine($"/// 2{(HasData ? "/N" : string.Empty)}·Σ c·r·∇r to <paramref name=\"{gradient}\"/> and its Gauss–Newton Hessian 2{(HasData ? "/N" : string.Empty)}·Σ c·∇r∇rᵀ to <paramref name=\"{hessian}\"/>");
            _w.WriteLine($"/// (README, Which optimizer?); <paramref name=\"{row}\"/> is scratch for one residual's gradient.");
            _w.WriteLine("/// </summary>");
            _w.WriteLine(AggressiveOptimization);
            using (_w.Block($"private static double normalEquations(global::System.Span<double> {point}, {DataParameters}global::System.Span<double> {gradient}, global::System.Span<double> {hessian}, global::System.Span<double> {row})"))
            {
                var count = HasData ? GradientEmitter.EmitDataChecks(_w, _data, samples) : "1";
                var n = _count;
                var inLocals = n <= LocalNormalEquationsLimit;
                // In locals (few parameters): the lower triangle of H, g and the Jacobian row, h1_0 for H[1, 0].
                var h = new string[n, n];
                var g = new string[n];
                var jacobian = new string[n];
                if (inLocals)
                {
                    for (var i = 0; i < n; i++)
                    {
                        g[i] = scope.Reserve("g" + i);
                        jacobian[i] = scope.Reserve("j" + i);
                        for (var k = 0; k <= i; k++)
                        {
                            h[i, k] = scope.Reserve($"h{i}_{k}");
                        }
                    }

                    _w.WriteLine("// Σ c·∇r∇rᵀ (its lower triangle) and Σ c·r·∇r in locals: the arithmetic of NormalEquations.AddResidual, unrolled.");
                    _w.WriteLine($"double {string.Join(", ", Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, i + 1).Select(k => h[i, k] + " = 0")))};");
                    _w.WriteLine($"double {string.Join(", ", g.Select(x => x + " = 0"))};");
                    _w.WriteLine($"double {string.Join(", ", jacobian)};");
                }
                else
                {
                    _w.WriteLine($"{gradient}.Clear();");
                    _w.WriteLine($"{hessian}.Clear();");
                }

                _w.WriteLine($"double {loss} = 0;");
                var body = new List<string>();
                var arguments = HasData ? DataGradientEmitter.SampleArguments(_data, sample).ToArray() : new string[0];
                for (var j = 0; j < residuals.Count; j++)
                {
                    var weight = weights[j].Weight;
                    var c = ExpressionPrinter.FormatConstant(weight);
                    body.Add($"{row}.Clear();");
                    body.Add($"double {names[j]} = residual{j}(ref {point}[0], {string.Concat(arguments.Select(a => a + ", "))}ref {row}[0]);");
                    if (inLocals)
                    {
                        // h[i, k] += (c·J[i])·J[k] and g[i] += (c·r)·J[i], as AddResidual computes them (c = 1 multiplies exactly).
                        for (var i = 0; i < n; i++)
                        {
                            body.Add($"{jacobian[i]} = {row}[{i}];");
                        }

                        for (var i = 0; i < n; i++)
                        {
                            var left = weight == 1 ? jacobian[i] : $"({c} * {jacobian[i]})";
                            body.Add(string.Join(" ", Enumerable.Range(0, i + 1).Select(k => $"{h[i, k]} += {left} * {jacobian[k]};")));
                        }

                        var weighted = weight == 1 ? names[j] : $"({c} * {names[j]})";
                        body.Add(string.Join(" ", Enumerable.Range(0, n).Select(i => $"{g[i]} += {weighted} * {jacobian[i]};")));
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
                            _w.WriteLine(string.Join(" ", Enumerable.Range(0, i + 1).Select(k => $"{hessian}[{(i * n) + k}] = {h[i, k]};")) + $" {gradient}[{i}] = {g[i]};");
                        }
                    }
                }

                if (HasData)
                {
                    using (_w.Block($"for (int {sample} = 0; {sample} < {count}; {sample}++)"))
                    {
                        _w.WriteLines(string.Join("\n", body));
                    }

                    _w.WriteLine();
                    StoreLocals();
                    _w.WriteLine($"global::OptimDsl.Rules.NormalEquations.Finish({hessian}, {gradient}, 2.0 / {count});");
                    _w.WriteLine($"return {loss} / {count};");
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
    }
}
