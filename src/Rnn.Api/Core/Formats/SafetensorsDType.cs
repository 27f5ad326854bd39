namespace RnnNative.Formats;

/// <summary>The floating-point element types this library reads from safetensors files (it writes F32 only).</summary>
public enum SafetensorsDType
{
    F32,
    F64,
    F16,
    BF16,
}

internal static class SafetensorsDTypes
{
    /// <summary>Element types the format defines that we recognise but cannot use for RNN weights.</summary>
    private static readonly HashSet<string> KnownButUnsupported =
        ["BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"];

    public static int SizeOf(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => 8,
        SafetensorsDType.F32 => 4,
        _ => 2,
    };

    public static bool TryParse(string text, out SafetensorsDType dtype, out string? problem)
    {
        problem = null;
        switch (text)
        {
            case "F32": dtype = SafetensorsDType.F32; return true;
            case "F64": dtype = SafetensorsDType.F64; return true;
            case "F16": dtype = SafetensorsDType.F16; return true;
            case "BF16": dtype = SafetensorsDType.BF16; return true;
        }
        dtype = default;
        problem = KnownButUnsupported.Contains(text)
            ? $"dtype {text} is not supported; RNN tensors must be F32, F64, F16 or BF16"
            : $"unknown dtype '{text}'";
        return false;
    }
}
