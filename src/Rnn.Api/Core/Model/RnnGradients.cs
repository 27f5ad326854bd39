namespace RnnNative;

/// <summary>Gradients with respect to the input (same layout as the input), h0, c0 and every parameter.</summary>
public sealed record RnnGradients(Tensor Input, Tensor InitialHidden, Tensor? InitialCell, RnnParameters Parameters);
