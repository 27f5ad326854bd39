using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, as PyTorch's torch.optim.SGD: v ← μ·v + g (v = g on the first
/// step), θ ← θ − lr·v.
/// </summary>
public sealed class Sgd : Optimizer
{
    public Sgd(double learningRate, double momentum = 0) : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        Momentum = momentum;
    }

    public double Momentum { get; }
    public override string Kind => "sgd";
    protected override string[] SlotNames => ["momentum_buffer"];
    public override IReadOnlyDictionary<string, double> Settings => new Dictionary<string, double> { ["momentum"] = Momentum };

    protected override void Update(Parameter parameter, Tensor<float>[] slots, double learningRate, int step)
    {
        var w = parameter.Value.Span;
        var g = parameter.Gradient.Span;
        var v = slots[0].Span;
        float mu = (float)Momentum, lr = (float)learningRate;
        for (int i = 0; i < w.Length; i++)
        {
            v[i] = Momentum > 0 && step > 1 ? mu * v[i] + g[i] : g[i];
            w[i] -= lr * v[i];
        }
    }
}
