using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Training;

/// <summary>A loss value (mean over the counted elements) and its gradient with respect to the loss's input.</summary>
public sealed record LossResult(double Value, Tensor<float> Gradient, double Weight);
