namespace RnnNative;

/// <summary>Inference keeps nothing for a backward pass; training returns a context that backward consumes.</summary>
public enum RnnMode
{
    Inference,
    Training,
}
