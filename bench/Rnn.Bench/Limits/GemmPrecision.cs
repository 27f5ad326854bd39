namespace RnnNative.Bench.Limits;

/// <summary>The three oneDNN GEMMs whose ceilings bound our precisions: f32 (dnnl_sgemm), bf16 inputs with f32 accumulation, u8×s8 with s32 accumulation.</summary>
public enum GemmPrecision
{
    F32,
    Bf16,
    Int8,
}

public static class GemmPrecisions
{
    /// <summary>The GEMM an RNN of this precision runs its gates on.</summary>
    public static GemmPrecision For(RnnPrecision precision) => precision switch
    {
        RnnPrecision.F32 => GemmPrecision.F32,
        RnnPrecision.Bf16 => GemmPrecision.Bf16,
        RnnPrecision.Int8 => GemmPrecision.Int8,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "No oneDNN GEMM ceiling is probed for this precision."),
    };

    public static string EntryPoint(this GemmPrecision precision) => precision switch
    {
        GemmPrecision.F32 => "dnnl_sgemm",
        GemmPrecision.Bf16 => "dnnl_gemm_bf16bf16f32",
        _ => "dnnl_gemm_u8s8s32",
    };

    /// <summary>int8 counts integer operations: GOP/s rather than GFLOP/s.</summary>
    public static string RateUnit(this GemmPrecision precision) => precision == GemmPrecision.Int8 ? "GOP/s" : "GFLOP/s";
}
