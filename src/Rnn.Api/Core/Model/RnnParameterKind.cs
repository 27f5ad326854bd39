namespace RnnNative;

/// <summary>The tensors of one layer and direction, named as in PyTorch's state_dict (weight_hr only with a projection).</summary>
public enum RnnParameterKind
{
    WeightIh,
    WeightHh,
    BiasIh,
    BiasHh,
    WeightHr,
}
