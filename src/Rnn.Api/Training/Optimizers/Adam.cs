using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Training;

/// <summary>
/// Adam with bias correction, as PyTorch's torch.optim.Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// θ ← θ − lr·(m/(1−β₁ᵏ)) / (√(v/(1−β₂ᵏ)) + ε).
/// </summary>
public sealed class Adam : Optimizer
{
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    public override string Kind => "adam";
    protected override string[] SlotNames => ["exp_avg", "exp_avg_sq"];
    public override IReadOnlyDictionary<string, double> Settings =>
        new Dictionary<string, double> { ["beta1"] = Beta1, ["beta2"] = Beta2, ["eps"] = Epsilon };

    protected override void Update(Parameter parameter, Tensor<float>[] slots, double learningRate, int step)
    {
        var w = parameter.Value.Span;
        var g = parameter.Gradient.Span;
        var m = slots[0].Span;
        var v = slots[1].Span;
        double c1 = 1 - Math.Pow(Beta1, step), c2 = 1 - Math.Pow(Beta2, step);
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = (float)(Beta1 * m[i] + (1 - Beta1) * g[i]);
            v[i] = (float)(Beta2 * v[i] + (1 - Beta2) * g[i] * g[i]);
            w[i] -= (float)(learningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + Epsilon));
        }
    }
}
