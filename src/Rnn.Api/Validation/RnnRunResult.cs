using System.Numerics.Tensors;
namespace RnnNative.Validation;

/// <summary>What one backend produced for one <see cref="ValidationInputs"/>: outputs, final states and, in training, every gradient.</summary>
public sealed record RnnRunResult(Tensor<float> Output, Tensor<float> Hidden, Tensor<float>? Cell, RnnGradients? Gradients)
{
    /// <summary>Prepares the model on <paramref name="backend"/>, runs forward and, for training inputs, backward.</summary>
    public static RnnRunResult Execute(IRnnBackend backend, RnnPrecision precision, ValidationInputs inputs) =>
        Execute(backend, new RnnExecutorOptions(precision), inputs);

    public static RnnRunResult Execute(IRnnBackend backend, RnnExecutorOptions options, ValidationInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputs);
        using var executor = backend.CreateExecutor(inputs.Parameters, options);
        using var forward = executor.Forward(inputs.Input, inputs.Mode);
        RnnGradients? gradients = null;
        if (inputs.OutputGradients is { } outputGradients)
        {
            var context = forward.Context
                ?? throw new InvalidOperationException($"The {backend.Name} backend returned no training context from a training forward pass.");
            gradients = executor.Backward(context, outputGradients);
        }
        return new RnnRunResult(forward.Output, forward.Hidden, forward.Cell, gradients);
    }

    /// <summary>
    /// Compares every tensor this (the reference) holds with <paramref name="actual"/>: y, h_n, c_n and, when gradients
    /// were computed, dx, dh0, dc0 and each parameter's gradient by its PyTorch name (with <paramref name="gradientTolerance"/>
    /// when given; see <see cref="ValidationTolerance.ForGradients"/>).
    /// </summary>
    public IReadOnlyList<TensorComparison> CompareWith(RnnRunResult actual, double tolerance, double? gradientTolerance = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var list = new List<TensorComparison>
        {
            TensorComparison.Compare("y", actual.Output, Output, tolerance),
            TensorComparison.Compare("h_n", actual.Hidden, Hidden, tolerance),
        };
        if (Cell is not null) list.Add(TensorComparison.Compare("c_n", actual.Cell, Cell, tolerance));
        if (Gradients is null) return list;

        if (actual.Gradients is not { } got)
        {
            list.Add(TensorComparison.Missing("gradients"));
            return list;
        }
        double gradients = gradientTolerance ?? tolerance;
        list.Add(TensorComparison.Compare("dx", got.Input, Gradients.Input, gradients));
        list.Add(TensorComparison.Compare("dh0", got.InitialHidden, Gradients.InitialHidden, gradients));
        if (Gradients.InitialCell is not null) list.Add(TensorComparison.Compare("dc0", got.InitialCell, Gradients.InitialCell, gradients));
        foreach (var (name, expected) in Gradients.Parameters.Tensors)
        {
            Tensor<float>? tensor = got.Parameters.Spec == Gradients.Parameters.Spec ? got.Parameters[name] : null;
            list.Add(TensorComparison.Compare("d" + name, tensor, expected, gradients));
        }
        return list;
    }
}
