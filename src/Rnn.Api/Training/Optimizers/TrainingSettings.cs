using RnnNative.Models;

namespace RnnNative.Training;

/// <summary>How one training step treats the gradients before the optimizer sees them.</summary>
public sealed record TrainingSettings(double? MaxGradientNorm = null, double? MaxGradientValue = null)
{
    public static TrainingSettings Default { get; } = new();
}
