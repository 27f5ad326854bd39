using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// The result of <see cref="RecurrentLayer.Forward"/>: y (T, N, D·H) time-major with zeros at padded steps, and the final
/// state. In training it also holds what <see cref="RecurrentLayer.Backward"/> needs (the executors' contexts and the
/// dropout masks); dispose it if backward is never called.
/// </summary>
public sealed class RecurrentPass : IDisposable
{
    internal RecurrentPass(Tensor<float> output, RecurrentState final, RnnForwardResult[] stages, float[]?[] masks, bool training)
    {
        Output = output;
        Final = final;
        Stages = stages;
        Masks = masks;
        IsTraining = training;
    }

    public Tensor<float> Output { get; }
    public RecurrentState Final { get; }
    public bool IsTraining { get; }
    internal RnnForwardResult[] Stages { get; }
    /// <summary>Masks[s] was applied to stage s's output before stage s+1 read it.</summary>
    internal float[]?[] Masks { get; }

    public void Dispose()
    {
        foreach (var s in Stages) s.Dispose();
    }
}
