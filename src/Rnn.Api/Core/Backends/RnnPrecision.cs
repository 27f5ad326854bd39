namespace RnnNative;

/// <summary>Arithmetic precision of a backend. Reduced precisions keep f32 accumulation and f32 at the API.</summary>
public enum RnnPrecision
{
    F32,
    Bf16,
    F16,
}
