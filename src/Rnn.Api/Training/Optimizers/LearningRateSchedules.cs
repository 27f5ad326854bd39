using RnnNative.Models;

namespace RnnNative.Training;

/// <summary>Ready schedules for <see cref="Optimizer.Schedule"/>; any Func&lt;int, double&gt; of the step index works.</summary>
public static class LearningRateSchedules
{
    /// <summary>lr·γ^⌊step/every⌋ (PyTorch's StepLR).</summary>
    public static Func<int, double> StepDecay(double learningRate, int every, double gamma)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        return step => learningRate * Math.Pow(gamma, step / every);
    }

    /// <summary>lr·γ^step (PyTorch's ExponentialLR).</summary>
    public static Func<int, double> Exponential(double learningRate, double gamma) => step => learningRate * Math.Pow(gamma, step);

    /// <summary>Linear warm-up from lr/warmup to lr over the first steps, then constant.</summary>
    public static Func<int, double> Warmup(double learningRate, int warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(warmupSteps, 1);
        return step => learningRate * Math.Min(1.0, (step + 1.0) / warmupSteps);
    }
}
