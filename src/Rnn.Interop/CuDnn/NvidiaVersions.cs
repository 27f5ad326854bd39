namespace RnnNative.Interop.CuDnn;

/// <summary>Decodes the integer versions NVIDIA libraries report, and says which cuDNN versions this binding speaks.</summary>
internal static class NvidiaVersions
{
    /// <summary>cuDNN 9.0.0 as cudnnGetVersion reports it.</summary>
    public const long MinimumCuDnn = 90000;

    /// <summary>cuDNN 10 would be a new major API; its enums and signatures may differ from the ones bound here.</summary>
    public const long FirstUnsupportedCuDnn = 100000;

    /// <summary>
    /// cuDNN 9 encodes MAJOR·10000 + MINOR·100 + PATCH (91900 is 9.19.0); cuDNN ≤ 8 used MAJOR·1000 + MINOR·100 + PATCH
    /// (8907 is 8.9.7), always below 10000, so the two encodings cannot be confused.
    /// </summary>
    public static Version DecodeCuDnn(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return version < 10000
            ? new Version((int)(version / 1000), (int)(version % 1000 / 100), (int)(version % 100))
            : new Version((int)(version / 10000), (int)(version % 10000 / 100), (int)(version % 100));
    }

    /// <summary>CUDA runtime and driver versions are MAJOR·1000 + MINOR·10 (13000 is 13.0, 12040 is 12.4).</summary>
    public static Version DecodeCuda(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new Version((int)(version / 1000), (int)(version % 1000 / 10));
    }

    public static bool IsSupportedCuDnn(long version) => version is >= MinimumCuDnn and < FirstUnsupportedCuDnn;
}
