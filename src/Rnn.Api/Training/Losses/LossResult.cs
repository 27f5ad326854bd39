using RnnNative.Models;

namespace RnnNative.Training;

/// <summary>A loss value (mean over the counted elements) and its gradient with respect to the loss's input.</summary>
public sealed record LossResult(double Value, Tensor Gradient, double Weight);
