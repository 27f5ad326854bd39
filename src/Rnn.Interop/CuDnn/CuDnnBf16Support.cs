namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Whether cuDNN can run a bf16 RNN: cuDNN versions before 9.13.0 refuse BFLOAT16 RNNs, and bf16 tensor-core math
/// needs a GPU of compute capability 8.0 (Ampere) or later. PyTorch gates its cuDNN bf16 RNNs on the same two
/// conditions (cuDNN ≥ 91300 and a device of major capability ≥ 8). A pure rule, so its boundaries are testable without
/// a GPU; the backend feeds it cudnnGetVersion() and the device's cudaDevAttrComputeCapabilityMajor/Minor.
/// </summary>
internal static class CuDnnBf16Support
{
    /// <summary>cuDNN 9.13.0 as cudnnGetVersion reports it (MAJOR·10000 + MINOR·100 + PATCH).</summary>
    public const long MinimumCuDnn = 91300;

    public const int MinimumComputeMajor = 8;
    public const int MinimumComputeMinor = 0;

    /// <summary>
    /// Null when this cuDNN version on a GPU of this compute capability runs bf16 RNNs; otherwise why not, naming the
    /// versions found and the versions needed.
    /// </summary>
    public static string? Refusal(long cudnnVersion, int computeMajor, int computeMinor)
    {
        bool cudnnTooOld = cudnnVersion < MinimumCuDnn;
        bool gpuTooOld = (computeMajor, computeMinor).CompareTo((MinimumComputeMajor, MinimumComputeMinor)) < 0;
        if (!cudnnTooOld && !gpuTooOld) return null;

        var found = new List<string>();
        if (cudnnTooOld) found.Add($"cuDNN {NvidiaVersions.DecodeCuDnn(cudnnVersion)} ({cudnnVersion})");
        if (gpuTooOld) found.Add($"a GPU of compute capability {computeMajor}.{computeMinor}");
        return $"bf16 RNNs need cuDNN ≥ {NvidiaVersions.DecodeCuDnn(MinimumCuDnn)} ({MinimumCuDnn}) and a GPU of compute capability "
            + $"≥ {MinimumComputeMajor}.{MinimumComputeMinor}; found {string.Join(" and ", found)}. Use f16 or f32 on this machine.";
    }
}
