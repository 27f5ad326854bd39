namespace RnnNative;

/// <summary>The four tensors of one layer and direction, named as in PyTorch's state_dict.</summary>
public enum RnnParameterKind
{
    WeightIh,
    WeightHh,
    BiasIh,
    BiasHh,
}
