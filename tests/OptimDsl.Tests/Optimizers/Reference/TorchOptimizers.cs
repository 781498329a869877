using System;

// The reference optimizers live in OptimDsl.Tests.Optimizers (not a ".Reference" sub-namespace): that
// namespace already holds the static class Reference, and a namespace of the same name would clash with it.
namespace OptimDsl.Tests.Optimizers;

// Test-side reference implementations of the optimizer catalogue of README, Optimizers, written from the
// algorithm boxes of the torch.optim documentation (PyTorch 2.5 and later) and from Chen et al. 2023,
// Algorithm 2 (Lion), independently of the generator. Each update follows its box line by line in plain
// scalar double code, one parameter at a time, with the box's symbols in the comments. Powers βᵗ are
// computed with Math.Pow at the current t and the current β (the generated code may keep running
// products, so the two agree up to rounding).
//
// Conventions shared by every class:
// - Step(θ, g) receives the objective's gradient at θ. It copies the gradient (the caller's array is
//   never modified), clips the copy (ClipValue, then ClipNorm; 0 = off), counts t from 1 and applies the rule.
// - Coupled weight decay g ← g + λθ is applied, as torch does, only when λ ≠ 0; AdamW and Lion decay
//   the parameters instead (decoupled).
// - The state arrays are created at the first Step, sized by θ; later Steps must pass the same length.
// - Hyperparameters are settable properties (read at each Step), except the flags Nesterov, AmsGrad,
//   Centered and AdaGrad's InitialAccumulatorValue (an initial state), which are fixed by the constructor.

/// <summary>A reference optimizer: one update of θ in place from the objective's gradient at θ.</summary>
internal interface IReferenceOptimizer
{
    /// <summary>The learning rate η used by the next update.</summary>
    double LearningRate { get; set; }

    /// <summary>Updates made so far (t of the last update; the next one is t = Iteration + 1).</summary>
    long Iteration { get; }

    /// <summary>One update: θ ← rule(θ, clip(g)). <paramref name="gradient"/> is left as it was.</summary>
    void Step(double[] theta, double[] gradient);
}

/// <summary>Gradient clipping applied before weight decay and the rule (torch.nn.utils).</summary>
internal static class ReferenceClipping
{
    /// <summary>
    /// clip_grad_value_: each component clamped to [−clipValue, clipValue] (when clipValue ≠ 0); then
    /// clip_grad_norm_: g ← g·min(1, clipNorm/(‖g‖₂ + 1e-6)) (when clipNorm ≠ 0), ‖g‖₂ over all parameters.
    /// </summary>
    public static void Clip(double[] g, double clipValue, double clipNorm)
    {
        if (clipValue != 0)
        {
            for (var i = 0; i < g.Length; i++)
            {
                g[i] = Math.Clamp(g[i], -clipValue, clipValue);
            }
        }

        if (clipNorm != 0)
        {
            double sumOfSquares = 0;
            for (var i = 0; i < g.Length; i++)
            {
                sumOfSquares += g[i] * g[i];
            }

            var coefficient = Math.Min(1.0, clipNorm / (Math.Sqrt(sumOfSquares) + 1e-6));
            for (var i = 0; i < g.Length; i++)
            {
                g[i] *= coefficient;
            }
        }
    }

    /// <summary>sign(x) with sign(0) = 0 (and NaN for NaN, as torch.sign).</summary>
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x;
}

/// <summary>What every reference optimizer shares: the learning rate, clipping, t and the state's size.</summary>
internal abstract class ReferenceOptimizer : IReferenceOptimizer
{
    private double _learningRate;

    protected ReferenceOptimizer(double learningRate, double clipValue, double clipNorm)
    {
        _learningRate = learningRate;
        ClipValue = clipValue;
        ClipNorm = clipNorm;
    }

    /// <inheritdoc/>
    public virtual double LearningRate
    {
        get => _learningRate;
        set => _learningRate = value;
    }

    /// <summary>Each gradient component is clamped to [−ClipValue, ClipValue]; 0 = off.</summary>
    public double ClipValue { get; set; }

    /// <summary>The gradient is scaled to 2-norm at most ClipNorm (+1e-6 in the denominator); 0 = off.</summary>
    public double ClipNorm { get; set; }

    /// <inheritdoc/>
    public long Iteration { get; private set; }

    /// <summary>The number of parameters, fixed by the first Step (0 before it).</summary>
    protected int Count { get; private set; }

    /// <inheritdoc/>
    public void Step(double[] theta, double[] gradient)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Length != theta.Length)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} components, θ has {theta.Length}.", nameof(gradient));
        }

        if (Count == 0)
        {
            Count = theta.Length;
            CreateState(Count);
        }
        else if (theta.Length != Count)
        {
            throw new ArgumentException($"This optimizer updates {Count} parameters, not {theta.Length}.", nameof(theta));
        }

        var g = (double[])gradient.Clone();
        ReferenceClipping.Clip(g, ClipValue, ClipNorm);
        Iteration++;
        Update(theta, g, Iteration);
    }

    /// <summary>Creates the per-parameter state (moments, buffers) at its initial values.</summary>
    protected abstract void CreateState(int count);

    /// <summary>The rule of update <paramref name="t"/> (from 1) with the clipped gradient <paramref name="g"/>.</summary>
    protected abstract void Update(double[] theta, double[] g, long t);
}

/// <summary>
/// torch.optim.SGD (full batch: [GradientDescent]; on minibatches with <see cref="ReferenceMinibatches"/>: [Sgd]).
/// </summary>
internal sealed class ReferenceGradientDescent : ReferenceOptimizer
{
    private double[] _b = [];
    private bool _bufferStarted;

    public ReferenceGradientDescent(
        double learningRate = 0.01,
        double momentum = 0,
        double dampening = 0,
        bool nesterov = false,
        double weightDecay = 0,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; set; }

    /// <summary>τ.</summary>
    public double Dampening { get; set; }

    public bool Nesterov { get; }

    /// <summary>λ (coupled).</summary>
    public double WeightDecay { get; set; }

    protected override void CreateState(int count) => _b = new double[count];

    protected override void Update(double[] theta, double[] g, long t)
    {
        double γ = LearningRate, μ = Momentum, τ = Dampening, λ = WeightDecay;
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                   // g_t ← ∇_θ f_t(θ_{t−1})
            if (λ != 0)
            {
                gt += λ * theta[i];                          // g_t ← g_t + λθ_{t−1}
            }

            if (μ != 0)
            {
                // b_t ← g_t at the first update that uses momentum ("t = 1" of the box), else b_t ← μb_{t−1} + (1−τ)g_t
                _b[i] = _bufferStarted ? (μ * _b[i]) + ((1 - τ) * gt) : gt;
                gt = Nesterov ? gt + (μ * _b[i]) : _b[i];    // nesterov: g_t ← g_t + μb_t, else g_t ← b_t
            }

            theta[i] -= γ * gt;                              // θ_t ← θ_{t−1} − γg_t
        }

        if (μ != 0)
        {
            _bufferStarted = true;
        }
    }
}

/// <summary>torch.optim.Adam (coupled weight decay; AmsGrad as in the 2.5 box).</summary>
internal sealed class ReferenceAdam : ReferenceOptimizer
{
    private double[] _m = [];
    private double[] _v = [];
    private double[] _vMax = [];

    public ReferenceAdam(
        double learningRate = 0.001,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0,
        bool amsGrad = false,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        AmsGrad = amsGrad;
    }

    public double Beta1 { get; set; }

    public double Beta2 { get; set; }

    public double Epsilon { get; set; }

    /// <summary>λ (coupled).</summary>
    public double WeightDecay { get; set; }

    public bool AmsGrad { get; }

    protected override void CreateState(int count)
    {
        _m = new double[count];      // m_0 ← 0
        _v = new double[count];      // v_0 ← 0
        _vMax = new double[count];   // v_0^max ← 0
    }

    protected override void Update(double[] theta, double[] g, long t)
    {
        double γ = LearningRate, β1 = Beta1, β2 = Beta2, ε = Epsilon, λ = WeightDecay;
        var β1t = Math.Pow(β1, t);
        var β2t = Math.Pow(β2, t);
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                         // g_t ← ∇_θ f_t(θ_{t−1})
            if (λ != 0)
            {
                gt += λ * theta[i];                                // g_t ← g_t + λθ_{t−1}
            }

            _m[i] = (β1 * _m[i]) + ((1 - β1) * gt);                // m_t ← β1 m_{t−1} + (1−β1) g_t
            _v[i] = (β2 * _v[i]) + ((1 - β2) * gt * gt);           // v_t ← β2 v_{t−1} + (1−β2) g_t²
            var mHat = _m[i] / (1 - β1t);                          // m̂_t ← m_t/(1−β1ᵗ)
            double vHat;
            if (AmsGrad)
            {
                _vMax[i] = Math.Max(_vMax[i], _v[i]);              // v_t^max ← max(v_{t−1}^max, v_t)
                vHat = _vMax[i] / (1 - β2t);                       // v̂_t ← v_t^max/(1−β2ᵗ)
            }
            else
            {
                vHat = _v[i] / (1 - β2t);                          // v̂_t ← v_t/(1−β2ᵗ)
            }

            theta[i] -= γ * mHat / (Math.Sqrt(vHat) + ε);          // θ_t ← θ_{t−1} − γ m̂_t/(√v̂_t + ε)
        }
    }
}

/// <summary>torch.optim.AdamW: decoupled weight decay θ ← θ − γλθ first, then Adam without coupled decay.</summary>
internal sealed class ReferenceAdamW : ReferenceOptimizer
{
    private double[] _m = [];
    private double[] _v = [];
    private double[] _vMax = [];

    public ReferenceAdamW(
        double learningRate = 0.001,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0.01,
        bool amsGrad = false,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        AmsGrad = amsGrad;
    }

    public double Beta1 { get; set; }

    public double Beta2 { get; set; }

    public double Epsilon { get; set; }

    /// <summary>λ (decoupled).</summary>
    public double WeightDecay { get; set; }

    public bool AmsGrad { get; }

    protected override void CreateState(int count)
    {
        _m = new double[count];
        _v = new double[count];
        _vMax = new double[count];
    }

    protected override void Update(double[] theta, double[] g, long t)
    {
        double γ = LearningRate, β1 = Beta1, β2 = Beta2, ε = Epsilon, λ = WeightDecay;
        var β1t = Math.Pow(β1, t);
        var β2t = Math.Pow(β2, t);
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                         // g_t ← ∇_θ f_t(θ_{t−1})
            theta[i] -= γ * λ * theta[i];                          // θ_t ← θ_{t−1} − γλθ_{t−1}
            _m[i] = (β1 * _m[i]) + ((1 - β1) * gt);                // m_t ← β1 m_{t−1} + (1−β1) g_t
            _v[i] = (β2 * _v[i]) + ((1 - β2) * gt * gt);           // v_t ← β2 v_{t−1} + (1−β2) g_t²
            var mHat = _m[i] / (1 - β1t);                          // m̂_t ← m_t/(1−β1ᵗ)
            double vHat;
            if (AmsGrad)
            {
                _vMax[i] = Math.Max(_vMax[i], _v[i]);              // v_t^max ← max(v_{t−1}^max, v_t)
                vHat = _vMax[i] / (1 - β2t);                       // v̂_t ← v_t^max/(1−β2ᵗ)
            }
            else
            {
                vHat = _v[i] / (1 - β2t);                          // v̂_t ← v_t/(1−β2ᵗ)
            }

            theta[i] -= γ * mHat / (Math.Sqrt(vHat) + ε);          // θ_t ← θ_t − γ m̂_t/(√v̂_t + ε)
        }
    }
}

/// <summary>torch.optim.Adamax (coupled weight decay).</summary>
internal sealed class ReferenceAdamax : ReferenceOptimizer
{
    private double[] _m = [];
    private double[] _u = [];

    public ReferenceAdamax(
        double learningRate = 0.002,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    public double Beta1 { get; set; }

    public double Beta2 { get; set; }

    public double Epsilon { get; set; }

    /// <summary>λ (coupled).</summary>
    public double WeightDecay { get; set; }

    protected override void CreateState(int count)
    {
        _m = new double[count];   // m_0 ← 0
        _u = new double[count];   // u_0 ← 0 (infinity norm)
    }

    protected override void Update(double[] theta, double[] g, long t)
    {
        double γ = LearningRate, β1 = Beta1, β2 = Beta2, ε = Epsilon, λ = WeightDecay;
        var β1t = Math.Pow(β1, t);
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                           // g_t ← ∇_θ f_t(θ_{t−1})
            if (λ != 0)
            {
                gt += λ * theta[i];                                  // g_t ← g_t + λθ_{t−1}
            }

            _m[i] = (β1 * _m[i]) + ((1 - β1) * gt);                  // m_t ← β1 m_{t−1} + (1−β1) g_t
            _u[i] = Math.Max(β2 * _u[i], Math.Abs(gt) + ε);          // u_t ← max(β2 u_{t−1}, |g_t| + ε)
            theta[i] -= γ * _m[i] / ((1 - β1t) * _u[i]);             // θ_t ← θ_{t−1} − γ m_t/((1−β1ᵗ) u_t)
        }
    }
}

/// <summary>torch.optim.NAdam (coupled weight decay; μ_t from the momentum decay ψ, running product of μ).</summary>
internal sealed class ReferenceNAdam : ReferenceOptimizer
{
    private double[] _m = [];
    private double[] _v = [];
    private double _muProduct = 1;   // ∏_{i=1}^{t} μ_i (empty product before the first update)

    public ReferenceNAdam(
        double learningRate = 0.002,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0,
        double momentumDecay = 0.004,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        MomentumDecay = momentumDecay;
    }

    public double Beta1 { get; set; }

    public double Beta2 { get; set; }

    public double Epsilon { get; set; }

    /// <summary>λ (coupled).</summary>
    public double WeightDecay { get; set; }

    /// <summary>ψ.</summary>
    public double MomentumDecay { get; set; }

    /// <summary>∏_{i=1}^{t} μ_i after update t (1 before the first).</summary>
    public double MuProduct => _muProduct;

    protected override void CreateState(int count)
    {
        _m = new double[count];   // m_0 ← 0
        _v = new double[count];   // v_0 ← 0
    }

    protected override void Update(double[] theta, double[] g, long t)
    {
        double γ = LearningRate, β1 = Beta1, β2 = Beta2, ε = Epsilon, λ = WeightDecay, ψ = MomentumDecay;
        var μt = β1 * (1 - (0.5 * Math.Pow(0.96, t * ψ)));              // μ_t ← β1(1 − ½·0.96^{tψ})
        var μNext = β1 * (1 - (0.5 * Math.Pow(0.96, (t + 1) * ψ)));     // μ_{t+1} ← β1(1 − ½·0.96^{(t+1)ψ})
        _muProduct *= μt;                                                // ∏_{i=1}^{t} μ_i
        var muProductNext = _muProduct * μNext;                          // ∏_{i=1}^{t+1} μ_i
        var β2t = Math.Pow(β2, t);
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                               // g_t ← ∇_θ f_t(θ_{t−1})
            if (λ != 0)
            {
                gt += λ * theta[i];                                      // g_t ← g_t + λθ_{t−1}
            }

            _m[i] = (β1 * _m[i]) + ((1 - β1) * gt);                      // m_t ← β1 m_{t−1} + (1−β1) g_t
            _v[i] = (β2 * _v[i]) + ((1 - β2) * gt * gt);                 // v_t ← β2 v_{t−1} + (1−β2) g_t²
            var mHat = (μNext * _m[i] / (1 - muProductNext))             // m̂_t ← μ_{t+1} m_t/(1 − ∏_{i=1}^{t+1} μ_i)
                       + ((1 - μt) * gt / (1 - _muProduct));             //       + (1−μ_t) g_t/(1 − ∏_{i=1}^{t} μ_i)
            var vHat = _v[i] / (1 - β2t);                                // v̂_t ← v_t/(1−β2ᵗ)
            theta[i] -= γ * mHat / (Math.Sqrt(vHat) + ε);                // θ_t ← θ_{t−1} − γ m̂_t/(√v̂_t + ε)
        }
    }
}

/// <summary>torch.optim.RAdam, 2.5 box (coupled weight decay; rectified when ρ_t &gt; 5, else θ ← θ − γm̂).</summary>
internal sealed class ReferenceRAdam : ReferenceOptimizer
{
    private double[] _m = [];
    private double[] _v = [];

    public ReferenceRAdam(
        double learningRate = 0.001,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    public double Beta1 { get; set; }

    public double Beta2 { get; set; }

    public double Epsilon { get; set; }

    /// <summary>λ (coupled).</summary>
    public double WeightDecay { get; set; }

    /// <summary>ρ_t = ρ∞ − 2tβ2ᵗ/(1−β2ᵗ) with ρ∞ = 2/(1−β2) − 1.</summary>
    public static double Rho(double beta2, long t)
    {
        var ρInf = (2 / (1 - beta2)) - 1;
        var β2t = Math.Pow(beta2, t);
        return ρInf - (2 * t * β2t / (1 - β2t));
    }

    protected override void CreateState(int count)
    {
        _m = new double[count];   // m_0 ← 0
        _v = new double[count];   // v_0 ← 0
    }

    protected override void Update(double[] theta, double[] g, long t)
    {
        double γ = LearningRate, β1 = Beta1, β2 = Beta2, ε = Epsilon, λ = WeightDecay;
        var ρInf = (2 / (1 - β2)) - 1;                                   // ρ∞ ← 2/(1−β2) − 1
        var β1t = Math.Pow(β1, t);
        var β2t = Math.Pow(β2, t);
        var ρt = ρInf - (2 * t * β2t / (1 - β2t));                       // ρ_t ← ρ∞ − 2tβ2ᵗ/(1−β2ᵗ)
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                               // g_t ← ∇_θ f_t(θ_{t−1})
            if (λ != 0)
            {
                gt += λ * theta[i];                                      // g_t ← g_t + λθ_{t−1}
            }

            _m[i] = (β1 * _m[i]) + ((1 - β1) * gt);                      // m_t ← β1 m_{t−1} + (1−β1) g_t
            _v[i] = (β2 * _v[i]) + ((1 - β2) * gt * gt);                 // v_t ← β2 v_{t−1} + (1−β2) g_t²
            var mHat = _m[i] / (1 - β1t);                                // m̂_t ← m_t/(1−β1ᵗ)
            if (ρt > 5)
            {
                var lt = Math.Sqrt(1 - β2t) / (Math.Sqrt(_v[i]) + ε);    // l_t ← √(1−β2ᵗ)/(√v_t + ε)
                var rt = Math.Sqrt((ρt - 4) * (ρt - 2) * ρInf            // r_t ← √((ρ_t−4)(ρ_t−2)ρ∞
                                   / ((ρInf - 4) * (ρInf - 2) * ρt));    //        / ((ρ∞−4)(ρ∞−2)ρ_t))
                theta[i] -= γ * mHat * rt * lt;                          // θ_t ← θ_{t−1} − γ m̂_t r_t l_t
            }
            else
            {
                theta[i] -= γ * mHat;                                    // θ_t ← θ_{t−1} − γ m̂_t
            }
        }
    }
}

/// <summary>torch.optim.RMSprop (coupled weight decay; centered and momentum variants).</summary>
internal sealed class ReferenceRmsProp : ReferenceOptimizer
{
    private double[] _v = [];
    private double[] _gAve = [];
    private double[] _b = [];

    public ReferenceRmsProp(
        double learningRate = 0.01,
        double alpha = 0.99,
        double epsilon = 1e-8,
        double momentum = 0,
        bool centered = false,
        double weightDecay = 0,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        Alpha = alpha;
        Epsilon = epsilon;
        Momentum = momentum;
        Centered = centered;
        WeightDecay = weightDecay;
    }

    /// <summary>α.</summary>
    public double Alpha { get; set; }

    public double Epsilon { get; set; }

    /// <summary>μ.</summary>
    public double Momentum { get; set; }

    public bool Centered { get; }

    /// <summary>λ (coupled).</summary>
    public double WeightDecay { get; set; }

    protected override void CreateState(int count)
    {
        _v = new double[count];      // v_0 ← 0 (square average)
        _gAve = new double[count];   // g^ave_0 ← 0
        _b = new double[count];      // b_0 ← 0 (buffer)
    }

    protected override void Update(double[] theta, double[] g, long t)
    {
        double γ = LearningRate, α = Alpha, ε = Epsilon, μ = Momentum, λ = WeightDecay;
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                               // g_t ← ∇_θ f_t(θ_{t−1})
            if (λ != 0)
            {
                gt += λ * theta[i];                                      // g_t ← g_t + λθ_{t−1}
            }

            _v[i] = (α * _v[i]) + ((1 - α) * gt * gt);                   // v_t ← αv_{t−1} + (1−α) g_t²
            var vTilde = _v[i];                                          // ṽ_t ← v_t
            if (Centered)
            {
                _gAve[i] = (_gAve[i] * α) + ((1 - α) * gt);              // g^ave_t ← g^ave_{t−1} α + (1−α) g_t
                vTilde -= _gAve[i] * _gAve[i];                           // ṽ_t ← ṽ_t − (g^ave_t)²
            }

            if (μ > 0)
            {
                _b[i] = (μ * _b[i]) + (gt / (Math.Sqrt(vTilde) + ε));    // b_t ← μb_{t−1} + g_t/(√ṽ_t + ε)
                theta[i] -= γ * _b[i];                                   // θ_t ← θ_{t−1} − γ b_t
            }
            else
            {
                theta[i] -= γ * gt / (Math.Sqrt(vTilde) + ε);            // θ_t ← θ_{t−1} − γ g_t/(√ṽ_t + ε)
            }
        }
    }
}

/// <summary>torch.optim.Adagrad, 2.5 box (state_sum starts at the initial accumulator value τ).</summary>
internal sealed class ReferenceAdaGrad : ReferenceOptimizer
{
    private double[] _stateSum = [];

    public ReferenceAdaGrad(
        double learningRate = 0.01,
        double learningRateDecay = 0,
        double initialAccumulatorValue = 0,
        double epsilon = 1e-10,
        double weightDecay = 0,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        LearningRateDecay = learningRateDecay;
        InitialAccumulatorValue = initialAccumulatorValue;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>η (lr decay).</summary>
    public double LearningRateDecay { get; set; }

    /// <summary>τ, the initial value of every state_sum.</summary>
    public double InitialAccumulatorValue { get; }

    public double Epsilon { get; set; }

    /// <summary>λ (coupled).</summary>
    public double WeightDecay { get; set; }

    protected override void CreateState(int count)
    {
        _stateSum = new double[count];
        Array.Fill(_stateSum, InitialAccumulatorValue);                  // state_sum_0 ← τ
    }

    protected override void Update(double[] theta, double[] g, long t)
    {
        double γ = LearningRate, η = LearningRateDecay, ε = Epsilon, λ = WeightDecay;
        var γTilde = γ / (1 + ((t - 1) * η));                            // γ̃ ← γ/(1 + (t−1)η)
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                               // g_t ← ∇_θ f_t(θ_{t−1})
            if (λ != 0)
            {
                gt += λ * theta[i];                                      // g_t ← g_t + λθ_{t−1}
            }

            _stateSum[i] += gt * gt;                                     // state_sum_t ← state_sum_{t−1} + g_t²
            theta[i] -= γTilde * gt / (Math.Sqrt(_stateSum[i]) + ε);     // θ_t ← θ_{t−1} − γ̃ g_t/(√state_sum_t + ε)
        }
    }
}

/// <summary>torch.optim.Adadelta (coupled weight decay).</summary>
internal sealed class ReferenceAdaDelta : ReferenceOptimizer
{
    private double[] _v = [];
    private double[] _u = [];

    public ReferenceAdaDelta(
        double learningRate = 1.0,
        double rho = 0.9,
        double epsilon = 1e-6,
        double weightDecay = 0,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        Rho = rho;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>ρ.</summary>
    public double Rho { get; set; }

    public double Epsilon { get; set; }

    /// <summary>λ (coupled).</summary>
    public double WeightDecay { get; set; }

    protected override void CreateState(int count)
    {
        _v = new double[count];   // v_0 ← 0 (square avg)
        _u = new double[count];   // u_0 ← 0 (accumulate variables)
    }

    protected override void Update(double[] theta, double[] g, long t)
    {
        double γ = LearningRate, ρ = Rho, ε = Epsilon, λ = WeightDecay;
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                                   // g_t ← ∇_θ f_t(θ_{t−1})
            if (λ != 0)
            {
                gt += λ * theta[i];                                          // g_t ← g_t + λθ_{t−1}
            }

            _v[i] = (_v[i] * ρ) + (gt * gt * (1 - ρ));                       // v_t ← v_{t−1}ρ + g_t²(1−ρ)
            var Δx = Math.Sqrt(_u[i] + ε) / Math.Sqrt(_v[i] + ε) * gt;       // Δx_t ← √(u_{t−1} + ε)/√(v_t + ε) · g_t
            _u[i] = (_u[i] * ρ) + (Δx * Δx * (1 - ρ));                       // u_t ← u_{t−1}ρ + Δx_t²(1−ρ)
            theta[i] -= γ * Δx;                                              // θ_t ← θ_{t−1} − γΔx_t
        }
    }
}

/// <summary>
/// torch.optim.Rprop, box and code: step sizes start at the learning rate, g_prev at 0; the step size is
/// clamped into [MinStep, MaxStep] at every update; setting LearningRate resets every step size to it.
/// </summary>
internal sealed class ReferenceRprop : ReferenceOptimizer
{
    private double[] _stepSize = [];
    private double[] _prev = [];

    public ReferenceRprop(
        double learningRate = 0.01,
        double etaMinus = 0.5,
        double etaPlus = 1.2,
        double minStep = 1e-6,
        double maxStep = 50,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        EtaMinus = etaMinus;
        EtaPlus = etaPlus;
        MinStep = minStep;
        MaxStep = maxStep;
    }

    /// <summary>The initial step size; setting it resets every parameter's step size to the new value.</summary>
    public override double LearningRate
    {
        get => base.LearningRate;
        set
        {
            base.LearningRate = value;
            Array.Fill(_stepSize, value);
        }
    }

    /// <summary>η₋.</summary>
    public double EtaMinus { get; set; }

    /// <summary>η₊.</summary>
    public double EtaPlus { get; set; }

    /// <summary>Γ_min.</summary>
    public double MinStep { get; set; }

    /// <summary>Γ_max.</summary>
    public double MaxStep { get; set; }

    /// <summary>The current step size η^i of each parameter (a copy; empty before the first Step).</summary>
    public double[] StepSizes => (double[])_stepSize.Clone();

    protected override void CreateState(int count)
    {
        _stepSize = new double[count];
        Array.Fill(_stepSize, LearningRate);                             // η_0 ← lr
        _prev = new double[count];                                       // g⁰_prev ← 0
    }

    protected override void Update(double[] theta, double[] g, long t)
    {
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                               // g_t ← ∇_θ f_t(θ_{t−1})
            var product = _prev[i] * gt;
            if (product > 0)
            {
                _stepSize[i] *= EtaPlus;                                 // g^i_prev g^i_t > 0: η^i_t ← η^i_{t−1} η₊
            }
            else if (product < 0)
            {
                _stepSize[i] *= EtaMinus;                                // g^i_prev g^i_t < 0: η^i_t ← η^i_{t−1} η₋
                gt = 0;                                                  //                     g^i_t ← 0
            }

            // else η^i_t ← η^i_{t−1}. torch's code clamps in every case: step_size.mul_(sign).clamp_(min, max).
            _stepSize[i] = Math.Clamp(_stepSize[i], MinStep, MaxStep);
            theta[i] -= _stepSize[i] * ReferenceClipping.Sign(gt);       // θ_t ← θ_{t−1} − η_t sign(g_t)
            _prev[i] = gt;                                               // g_prev ← g_t
        }
    }
}

/// <summary>Lion, Chen et al. 2023, Algorithm 2 (decoupled weight decay; sign(0) = 0).</summary>
internal sealed class ReferenceLion : ReferenceOptimizer
{
    private double[] _m = [];

    public ReferenceLion(
        double learningRate = 0.0001,
        double beta1 = 0.9,
        double beta2 = 0.99,
        double weightDecay = 0,
        double clipValue = 0,
        double clipNorm = 0)
        : base(learningRate, clipValue, clipNorm)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        WeightDecay = weightDecay;
    }

    public double Beta1 { get; set; }

    public double Beta2 { get; set; }

    /// <summary>λ (decoupled).</summary>
    public double WeightDecay { get; set; }

    protected override void CreateState(int count) => _m = new double[count];   // m_0 ← 0

    protected override void Update(double[] theta, double[] g, long t)
    {
        double η = LearningRate, β1 = Beta1, β2 = Beta2, λ = WeightDecay;
        for (var i = 0; i < theta.Length; i++)
        {
            var gt = g[i];                                                       // g_t ← ∇_θ f(θ_{t−1})
            var c = (β1 * _m[i]) + ((1 - β1) * gt);                              // c_t ← β1 m_{t−1} + (1−β1) g_t
            theta[i] -= η * (ReferenceClipping.Sign(c) + (λ * theta[i]));        // θ_t ← θ_{t−1} − η(sign(c_t) + λθ_{t−1})
            _m[i] = (β2 * _m[i]) + ((1 - β2) * gt);                              // m_t ← β2 m_{t−1} + (1−β2) g_t
        }
    }
}
