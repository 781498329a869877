using System.Collections.Generic;
using System.Linq;
using OptimDsl.Generators.Expressions;
using OptimDsl.Generators.Model;

namespace OptimDsl.Generators.Emitting;

/// <summary>
/// Writes the full-batch data overload of <c>MGradient</c>: the mean loss and mean gradient over
/// the samples, vectorised across samples (one sample per SIMD lane, parameters broadcast).
/// </summary>
/// <remarks>
/// <para>
/// The per-sample value and gradient nodes split in two: <i>uniform</i> nodes depend only on the
/// parameters (and constants, fields) and are computed once, before the loop; <i>varying</i> nodes
/// depend on a data value and are computed per sample, four samples at a time (both written by
/// <see cref="SampleLanes"/>, which Levenberg–Marquardt's pass shares).
/// </para>
/// <para>
/// Both paths assign sample <c>i</c> to accumulator lane <c>i mod 4</c> (one Vector256, or two
/// Vector128 — in software where there is no SIMD hardware), combine the lanes as
/// <c>(a0 + a1) + (a2 + a3)</c> and then add the remaining <c>n mod 4</c> samples in order, through
/// the scalar overload. Every lane operation is an IEEE-exact vector operation, a <c>Math</c> call
/// per lane, or OptimDsl's own Exp/Log (the runtime library's <c>OptimDsl.VectorMath</c>), which use the same
/// operations at every width; so every path gives bit-identical results.
/// </para>
/// </remarks>
internal sealed class DataGradientEmitter
{
    private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string V256 = "global::System.Runtime.Intrinsics.Vector256";
    internal const string DataShards = "global::OptimDsl.DataShards"; // also written by the optimizers' minibatches and Levenberg–Marquardt's pass

    /// <summary>The most trained values whose double sums (float objectives) or per-sample float gradient are kept on the stack; more go to a buffer of the thread's (DataShards).</summary>
    private const int StackValues = 1024;

    /// <summary>
    /// A float objective's samples per block of its vector loop: 8 a lane, added in float, then widened to double
    /// (README, Float objectives: a lane's float sum of 8 values is within 7u of their magnitudes' sum).
    /// </summary>
    private const int BlockSamples = 64;

    /// <summary>The most data spans the runtime library's <c>DataShards.Sum</c> shares between threads (its <c>MaximumDataSpans</c>).</summary>
    public const int MaximumSharedDataSpans = 16;

    /// <summary>The optional last argument of the data overloads (README, Parallel data gradients).</summary>
    public const string Degree = "maxDegreeOfParallelism";

    /// <summary>The gradient-sum span of <c>MGradientSum</c>, which holds the body's loops.</summary>
    private const string Sum = "gradientSum";

    private readonly SourceWriter _w;
    private readonly ObjectiveModel _objective;
    private readonly ParameterModel[] _trainable;
    private readonly int _trainedCount;
    private readonly ParameterModel[] _data;
    private readonly ExpressionGraph _graph;
    private readonly int[] _outputs;
    private readonly NameScope _scope;
    private readonly bool _rolled;
    private readonly SampleLanes _lanes;
    private readonly ElementType _element;
    private readonly string _number;

    private DataGradientEmitter(SourceWriter writer, GradientModel model)
    {
        _w = writer;
        _objective = model.Objective;
        _trainable = _objective.Trained();
        _trainedCount = _objective.TrainedCount();
        _data = _objective.DataParameters();
        _graph = model.Graph;
        _rolled = model.IsRolled;
        _outputs = new[] { model.Value }.Concat(model.Gradient).ToArray();
        _scope = new NameScope(_data.Select(p => p.Name).Concat(new[] { "parameters", "gradient", Sum, Degree }));
        _lanes = new SampleLanes(writer, _objective, _graph, _outputs, _scope);
        _element = _objective.Element;
        _number = _element.Keyword();
    }

    private bool IsFloat => _element == ElementType.Float;

    /// <summary>Samples per step of the vector loop: a Vector256's lanes, 4 doubles or 8 floats.</summary>
    private int Step => _element.Lanes256();

    public static void Emit(SourceWriter writer, GradientModel model)
        => new DataGradientEmitter(writer, model).Emit();

    /// <summary>The number of samples: the first data span's length, or a local when it holds rows (set by <see cref="Emit()"/>).</summary>
    private string Count { get; set; } = string.Empty;

    private void Emit()
    {
        var dataNames = _data.Select(p => Naming.Identifier(p.Name)).ToArray();
        var spans = string.Concat(dataNames.Select(n => $"global::System.ReadOnlySpan<{_number}> " + n + ", "));
        var arguments = string.Concat(dataNames.Select(n => n + ", "));
        _w.WriteLine("/// <summary>");
        _w.WriteLine($"/// The mean of <see cref=\"{GradientEmitter.Cref(_objective)}\"/> over a data set, and its mean gradient, with the");
        _w.WriteLine($"/// parameters in declaration order: {GradientEmitter.Names(_trainable)}: the sums of <c>{Naming.GradientSumMethod(_objective.MethodName)}</c> divided by the number of samples{(IsFloat ? ", in double, each rounded to float once (README, Float objectives)" : string.Empty)}.");
        _w.WriteLine("/// </summary>");
        WriteParameterDocs();
        _w.WriteLine($"/// <param name=\"gradient\">Receives the mean partial derivatives, {GradientEmitter.Count(_trainedCount, "value")}.</param>");
        WriteDegreeDoc();
        _w.WriteLine("/// <returns>The mean loss over the samples.</returns>");
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or the data set is empty.</exception>");
        _w.WriteLine($"/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"{Degree}\"/> is below 1.</exception>");
        _w.WriteLine(Emitter.GeneratedCodeAttribute);
        using (_w.Block($"{_objective.Accessibility} static {_number} {Naming.GradientMethod(_objective.MethodName)}(global::System.ReadOnlySpan<{_number}> parameters, {spans}global::System.Span<{_number}> gradient, int {Degree} = 1)"))
        {
            var scope = new NameScope(_data.Select(p => p.Name).Concat(new[] { "parameters", "gradient", Degree }));
            GradientEmitter.EmitLengthChecks(_w, _objective);
            var count = GradientEmitter.EmitDataChecks(_w, _data, scope.Reserve("samples"));
            var loss = scope.Reserve("loss");
            var k = scope.Reserve("k");
            if (IsFloat)
            {
                EmitFloatMean(scope, count, loss, k, arguments);
            }
            else
            {
                _w.WriteLine($"double {loss} = {Naming.GradientSumMethod(_objective.MethodName)}(parameters, {arguments}gradient, {Degree});");
                using (_w.Block($"for (int {k} = 0; {k} < {_trainedCount}; {k}++)"))
                {
                    _w.WriteLine($"gradient[{k}] /= {count};");
                }

                _w.WriteLine($"return {loss} / {count};");
            }
        }

        _w.WriteLine();
        _w.WriteLine("/// <summary>");
        _w.WriteLine($"/// The sum of <see cref=\"{GradientEmitter.Cref(_objective)}\"/> over the samples of one shard of a data set, and the sum of");
        _w.WriteLine("/// their gradients: sums from several shards (several machines) add up to those of the whole data set, through any");
        _w.WriteLine("/// all-reduce (README, Beyond one machine). Vectorised across samples and summed in fixed shards of the samples, the same");
        _w.WriteLine("/// bits at every degree of parallelism (README, Parallel data gradients); an empty shard gives 0 and zeros.");
        _w.WriteLine("/// </summary>");
        WriteParameterDocs();
        _w.WriteLine($"/// <param name=\"{Sum}\">Receives the sums of the partial derivatives, {GradientEmitter.Count(_trainedCount, "value")}.</param>");
        WriteDegreeDoc();
        _w.WriteLine("/// <returns>The sum of the losses over the samples.</returns>");
        _w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        _w.WriteLine($"/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"{Degree}\"/> is below 1.</exception>");
        _w.WriteLine(Emitter.GeneratedCodeAttribute);
        using (_w.Block($"{_objective.Accessibility} static double {Naming.GradientSumMethod(_objective.MethodName)}(global::System.ReadOnlySpan<{_number}> parameters, {spans}global::System.Span<double> {Sum}, int {Degree} = 1)"))
        {
            GradientEmitter.EmitLengthChecks(_w, _objective, Sum);
            var samples = GradientEmitter.EmitDataChecks(_w, _data, _scope.Reserve("samples"), allowEmpty: true);
            _w.WriteLine($"{GradientEmitter.ArgumentChecks}.DegreeOfParallelism({Degree}, \"{Degree}\");");
            var shardSum = _scope.Reserve("sumShard");
            if (_data.Length <= MaximumSharedDataSpans)
            {
                _w.WriteLine("// Fixed shards of the samples, each summed by sumShard, added in shard order: the same bits at every degree (README, Parallel data gradients).");
                var shard = _scope.Reserve("shard");
                var sums = _scope.Reserve("sums");
                var views = string.Concat(Enumerable.Range(0, _data.Length).Select(d => $"{shard}[{d}], "));
                _w.WriteLine($"return {DataShards}.Sum(static (in global::OptimDsl.ShardData<{_number}> {shard}, global::System.Span<double> {sums}) => {shardSum}({shard}.Parameters, {views}{sums}), {samples}, {Sum}, {Degree}, parameters, {string.Join(", ", dataNames)});");
            }
            else
            {
                _w.WriteLine($"// More than {MaximumSharedDataSpans} data spans: one shard, on one core, the same bits at every degree (README, Parallel data gradients).");
                _w.WriteLine($"return {shardSum}(parameters, {arguments}{Sum});");
            }

            _w.WriteLine();
            _w.WriteLine("// The sums over one shard's samples, vectorised across samples.");
            using (_w.Block($"static double {shardSum}(global::System.ReadOnlySpan<{_number}> parameters, {spans}global::System.Span<double> {Sum})"))
            {
                Count = ShardSamples(_scope.Reserve("count"));
                if (_rolled)
                {
                    EmitSampleBySample();
                }
                else
                {
                    EmitBody();
                }
            }
        }
    }

    /// <summary>
    /// A float objective's mean: the double sums of <c>MGradientSum</c> (a span of doubles on the stack, or past 1,024 values the thread's buffer of DataShards.MeanSums), divided in
    /// double, each rounded to float once (README, Float objectives).
    /// </summary>
    private void EmitFloatMean(NameScope scope, string count, string loss, string k, string arguments)
    {
        var sums = scope.Reserve(Sum);
        _w.WriteLine("// The sums in double, divided in double, each mean rounded to float once (README, Float objectives).");
        _w.WriteLine(_trainedCount <= StackValues
            ? $"global::System.Span<double> {sums} = stackalloc double[{_trainedCount}];"
            : $"global::System.Span<double> {sums} = {DataShards}.MeanSums({_trainedCount}); // this thread's, reused: no allocation per call");
        _w.WriteLine($"double {loss} = {Naming.GradientSumMethod(_objective.MethodName)}(parameters, {arguments}{sums}, {Degree});");
        using (_w.Block($"for (int {k} = 0; {k} < {_trainedCount}; {k}++)"))
        {
            _w.WriteLine($"gradient[{k}] = (float)({sums}[{k}] / {count});");
        }

        _w.WriteLine($"return (float)({loss} / {count});");
    }

    /// <summary>The number of samples in the shard, from the first data span: its length, or a local when it holds rows.</summary>
    private string ShardSamples(string local)
    {
        var first = _data[0];
        if (!first.IsVector)
        {
            return Naming.Identifier(first.Name) + ".Length";
        }

        _w.WriteLine($"int {local} = {Naming.Identifier(first.Name)}.Length / {first.Length};");
        return local;
    }

    private void WriteDegreeDoc()
        => _w.WriteLine($"/// <param name=\"{Degree}\">How many shards of the samples may be summed at once, on as many threads; at least 1. The result is the same bits at every degree.</param>");

    private void WriteParameterDocs()
    {
        _w.WriteLine($"/// <param name=\"parameters\">{GradientEmitter.Count(_trainedCount, "value")}: {GradientEmitter.Names(_trainable)}.</param>");
        foreach (var parameter in _data)
        {
            _w.WriteLine(parameter.IsVector
                ? $"/// <param name=\"{parameter.Name}\">The samples' rows of {parameter.Name}, {parameter.Length} values each, back to back; every data span describes the same samples.</param>"
                : $"/// <param name=\"{parameter.Name}\">The samples' values of {parameter.Name}; every data span describes the same samples.</param>");
        }
    }

    private void EmitBody()
    {
        // Parameters and every sample-independent subexpression: computed once.
        var trainedValues = _objective.TrainedValues();
        var parameterNames = trainedValues.Select(v => _scope.Reserve(v.Parameter.ElementLocal(v.Element).TrimStart('@'))).ToArray();
        _w.WriteLine($"{_number} {string.Join(", ", Enumerable.Range(0, _trainedCount).Select(k => $"{parameterNames[k]} = parameters[{k}]"))};");

        _lanes.WriteUniform(parameterNames);

        var i = _scope.Reserve("i");
        // The loss's sum, then one sum per partial derivative: dW0 for ∂/∂w[0].
        var sums = _outputs.Select((_, k) => _scope.Reserve(k == 0 ? "loss" : trainedValues[k - 1].Parameter.GradientElementLocal(trainedValues[k - 1].Element).TrimStart('@'))).ToArray();
        _w.WriteLine($"int {i} = 0;");
        _w.WriteLine($"double {string.Join(", ", sums.Select(s => s + " = 0"))};");

        var dataRefs = _data.Select(d => _scope.Reserve(d.Name + "Ref")).ToArray();

        using (_w.Block($"if ({V256}.IsHardwareAccelerated && {Count} >= {Step})"))
        {
            EmitVectorLoop(Step, i, dataRefs, sums);
        }

        using (_w.Block($"else if ({Count} >= {Step})"))
        {
            _w.WriteLine("// Vector128 pairs; without SIMD hardware Vector128 runs in software and computes the same lanes.");
            EmitVectorLoop(Step / 2, i, dataRefs, sums);
        }

        for (var k = 1; k < sums.Length; k++)
        {
            _w.WriteLine($"{Sum}[{k - 1}] = {sums[k]};");
        }

        _w.WriteLine($"// The last n mod {Step} samples, in order, each adding its gradient to the sums.");
        if (IsFloat)
        {
            var sample = DeclareSampleGradient();
            using (_w.Block($"for (; {i} < {Count}; {i}++)"))
            {
                AddFloatSample(i, sums[0], sample);
            }
        }
        else
        {
            using (_w.Block($"for (; {i} < {Count}; {i}++)"))
            {
                _w.WriteLine($"{sums[0]} += {GradientEmitter.SampleCoreCall(_objective, $"{MemoryMarshal}.GetReference(parameters)", SampleArguments(i), $"{MemoryMarshal}.GetReference({Sum})")};");
            }
        }

        _w.WriteLine($"return {sums[0]};");
    }

    /// <summary>A float objective's per-sample gradient, in float, which <see cref="AddFloatSample"/> adds to the double sums: its name.</summary>
    private string DeclareSampleGradient(string name = "sampleGradient")
    {
        var sample = _scope.Reserve(name);
        _w.WriteLine(_trainedCount <= StackValues
            ? $"global::System.Span<float> {sample} = stackalloc float[{_trainedCount}];"
            : $"global::System.Span<float> {sample} = {DataShards}.SampleGradient({_trainedCount}); // this thread's, reused and zeroed");
        return sample;
    }

    /// <summary>
    /// One sample of a float objective through its per-sample core, which adds its gradient to the zeroed float span
    /// <paramref name="sample"/>; its loss and that gradient are then added to the double sums (DataShards.AddBlock
    /// zeroes the span again).
    /// </summary>
    private void AddFloatSample(string i, string loss, string sample)
    {
        _w.WriteLine($"{loss} += {GradientEmitter.SampleCoreCall(_objective, $"{MemoryMarshal}.GetReference(parameters)", SampleArguments(i), $"{MemoryMarshal}.GetReference({sample})")};");
        _w.WriteLine($"{DataShards}.AddBlock({Sum}, {sample});");
    }

    /// <summary>
    /// With rolled loops, one sample at a time through the per-sample core, whose loops run over the
    /// sample's row (README, Vectors and loops). A float objective's core adds each sample's loss and gradient to float
    /// sums of a block of eight samples, which are then added to the double sums (README, Float objectives).
    /// </summary>
    private void EmitSampleBySample()
    {
        var i = _scope.Reserve("i");
        var loss = _scope.Reserve("loss");
        _w.WriteLine($"{Sum}.Clear();");
        _w.WriteLine($"double {loss} = 0;");
        if (!IsFloat)
        {
            using (_w.Block($"for (int {i} = 0; {i} < {Count}; {i}++)"))
            {
                _w.WriteLine($"{loss} += {GradientEmitter.SampleCoreCall(_objective, $"{MemoryMarshal}.GetReference(parameters)", SampleArguments(i), $"{MemoryMarshal}.GetReference({Sum})")};");
            }

            _w.WriteLine($"return {loss};");
            return;
        }

        var block = DeclareSampleGradient("blockGradient");
        var blockLoss = _scope.Reserve("blockLoss");
        _w.WriteLine($"float {blockLoss} = 0;");
        using (_w.Block($"for (int {i} = 0; {i} < {Count}; {i}++)"))
        {
            _w.WriteLine($"{blockLoss} += {GradientEmitter.SampleCoreCall(_objective, $"{MemoryMarshal}.GetReference(parameters)", SampleArguments(i), $"{MemoryMarshal}.GetReference({block})")};");
            using (_w.Block($"if (({i} & 7) == 7 || {i} == {Count} - 1)"))
            {
                _w.WriteLine("// The block of eight samples (or the last, shorter one) into the double sums.");
                _w.WriteLine($"{loss} += {blockLoss};");
                _w.WriteLine($"{blockLoss} = 0;");
                _w.WriteLine($"{DataShards}.AddBlock({Sum}, {block});");
            }
        }

        _w.WriteLine($"return {loss};");
    }

    private void EmitVectorLoop(int width, string i, string[] dataRefs, string[] sums)
    {
        if (IsFloat)
        {
            EmitFloatVectorLoop(width, i, dataRefs, sums);
            return;
        }

        var vector = VectorExpressionPrinter.VectorType(width);
        var groups = 4 / width;

        // Parameters broadcast to every lane, once.
        var broadcast = _lanes.WriteBroadcast(width);
        SampleLanes.WriteDataRefs(_w, _data, dataRefs);

        var accumulators = Enumerable.Range(0, groups)
            .Select(g => _outputs.Select((_, k) => _scope.Reserve($"{sums[k]}{(groups == 1 ? "V" : g == 0 ? "Low" : "High")}")).ToArray())
            .ToArray();
        foreach (var group in accumulators)
        {
            _w.WriteLine($"{vector}<double> {string.Join(", ", group.Select(a => $"{a} = {vector}<double>.Zero"))};");
        }

        using (_w.Block($"for (; {i} <= {Count} - 4; {i} += 4)"))
        {
            for (var g = 0; g < groups; g++)
            {
                if (groups > 1)
                {
                    _w.WriteLine(g == 0 ? "// Samples i and i + 1." : "// Samples i + 2 and i + 3.");
                }

                EmitVectorSample(width, g * width, i, broadcast, dataRefs, accumulators[g]);
            }
        }

        // Lane l of the accumulators holds samples ≡ l (mod 4).
        for (var k = 0; k < sums.Length; k++)
        {
            _w.WriteLine($"{sums[k]} = {SampleLanes.AddLanes(accumulators.Select(group => group[k]).ToArray(), eightLanes: false)};");
        }
    }

    /// <summary>
    /// A float objective's vector loop: eight samples a step, in one Vector256&lt;float&gt; or a pair of Vector128&lt;float&gt;,
    /// in blocks of <see cref="BlockSamples"/> samples (README, Float objectives). Within a block each lane adds its samples'
    /// float values in float; at the block's end the lanes are widened exactly to double and added to double lanes. Sample
    /// i's values land in lane i mod 8 at both widths (Vector256: double lanes 0–3 low, 4–7 high; Vector128: two per
    /// quarter), the blocks start at the same samples, and the double lanes are combined as SumLanes(lanes 0–3) +
    /// SumLanes(lanes 4–7): the same additions at both widths.
    /// </summary>
    private void EmitFloatVectorLoop(int width, string i, string[] dataRefs, string[] sums)
    {
        var vector = VectorExpressionPrinter.VectorType(width, _element);
        var groups = Step / width;
        var broadcast = _lanes.WriteBroadcast(width);
        SampleLanes.WriteDataRefs(_w, _data, dataRefs);
        string Group(int g) => groups == 1 ? string.Empty : g == 0 ? "First" : "Second";

        // Per group of samples and output, two double accumulators: the low half of the group's lanes and the high half.
        var accumulators = Enumerable.Range(0, groups)
            .Select(g => _outputs.Select((_, k) => new[] { "Low", "High" }
                .Select(half => _scope.Reserve($"{sums[k]}{Group(g)}{half}")).ToArray()).ToArray())
            .ToArray();
        foreach (var group in accumulators)
        {
            _w.WriteLine($"{vector}<double> {string.Join(", ", group.SelectMany(pair => pair).Select(a => $"{a} = {vector}<double>.Zero"))};");
        }

        var blockEnd = _scope.Reserve("blockEnd");
        var blocks = Enumerable.Range(0, groups)
            .Select(g => _outputs.Select((_, k) => _scope.Reserve($"{sums[k]}{Group(g)}Block")).ToArray())
            .ToArray();
        using (_w.Block($"while ({i} <= {Count} - {Step})"))
        {
            _w.WriteLine($"// A block of up to {BlockSamples} samples, {BlockSamples / Step} a lane, summed in float lanes, then added to the double lanes.");
            _w.WriteLine($"int {blockEnd} = {Count} - {i} >= {BlockSamples} ? {i} + {BlockSamples} : {Count};");
            foreach (var group in blocks)
            {
                _w.WriteLine($"{vector}<float> {string.Join(", ", group.Select(a => $"{a} = {vector}<float>.Zero"))};");
            }

            using (_w.Block($"for (; {i} <= {blockEnd} - {Step}; {i} += {Step})"))
            {
                for (var g = 0; g < groups; g++)
                {
                    if (groups > 1)
                    {
                        _w.WriteLine(g == 0 ? $"// Samples i to i + {width - 1}." : $"// Samples i + {width} to i + {2 * width - 1}.");
                    }

                    var values = _lanes.WriteLanes(width, g * width, i, broadcast, dataRefs);
                    for (var k = 0; k < _outputs.Length; k++)
                    {
                        if (values[k] is { } value)
                        {
                            _w.WriteLine($"{blocks[g][k]} += {value};");
                        }
                    }
                }
            }

            for (var g = 0; g < groups; g++)
            {
                for (var k = 0; k < _outputs.Length; k++)
                {
                    _w.WriteLine($"{accumulators[g][k][0]} += {vector}.WidenLower({blocks[g][k]});");
                    _w.WriteLine($"{accumulators[g][k][1]} += {vector}.WidenUpper({blocks[g][k]});");
                }
            }
        }

        // Lanes 0–3 (samples ≡ 0…3 mod 8), then lanes 4–7.
        for (var k = 0; k < sums.Length; k++)
        {
            var lanes = accumulators.SelectMany(group => group[k]).ToArray();
            _w.WriteLine($"{sums[k]} = {SampleLanes.AddLanes(lanes, eightLanes: true)};");
        }
    }

    private void EmitVectorSample(int width, int offset, string i, Dictionary<int, string> broadcast, string[] dataRefs, string[] accumulators)
    {
        var values = _lanes.WriteLanes(width, offset, i, broadcast, dataRefs);
        for (var k = 0; k < _outputs.Length; k++)
        {
            if (values[k] is { } value)
            {
                _w.WriteLine($"{accumulators[k]} += {value};");
            }
        }
    }

    /// <summary>The data arguments of the per-sample core for sample <paramref name="sample"/>: a reference to a vector's row, a scalar's value.</summary>
    private IEnumerable<string> SampleArguments(string sample)
        => SampleArguments(_data, sample);

    /// <summary>The data arguments of the per-sample core (see <see cref="GradientEmitter.SampleCoreCall"/>) for sample <paramref name="sample"/>.</summary>
    public static IEnumerable<string> SampleArguments(IEnumerable<ParameterModel> data, string sample)
        => data.Select(d => d.IsVector
            ? $"ref {Unsafe}.Add(ref {MemoryMarshal}.GetReference({Naming.Identifier(d.Name)}), (nint){sample} * {d.Length})"
            : $"{Naming.Identifier(d.Name)}[{sample}]");
}
