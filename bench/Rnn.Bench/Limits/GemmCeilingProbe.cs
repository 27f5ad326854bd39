using System.Diagnostics;
using System.Runtime.InteropServices;
using RnnNative.Cli.Benchmarking;

namespace RnnNative.Bench.Limits;

/// <summary>
/// Measures this machine's GEMM ceiling with oneDNN's own GEMMs at the gate GEMM shapes of a configuration
/// (<see cref="GateGemms"/>), with the thread count the runs get. Each shape: one warm-up call (it pays for the JIT
/// kernels), then <see cref="Rounds"/> rounds of back-to-back calls, each at least <see cref="SecondsPerRound"/>; the
/// ceiling is the best round's rate (a limit, so the best, not the mean). Rates are cached per precision and shape.
/// </summary>
public sealed unsafe class GemmCeilingProbe
{
    private readonly OneDnnGemm? _gemm;
    private readonly string _unavailable;
    private readonly Dictionary<(GemmPrecision, long, long, long), GemmRate> _cache = [];

    public GemmCeilingProbe(int threads, double secondsPerRound = 0.2, int rounds = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(secondsPerRound);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        Threads = threads;
        SecondsPerRound = secondsPerRound;
        Rounds = rounds;
        _gemm = OneDnnGemm.TryOpen(out _unavailable);
    }

    public int Threads { get; }
    public double SecondsPerRound { get; }
    public int Rounds { get; }

    /// <summary>The libdnnl the ceilings come from, or why there is none.</summary>
    public string Source => _gemm?.LibraryPath ?? $"n/a ({_unavailable})";

    /// <summary>Why this CPU has no bf16 GEMM, or null when oneDNN has one for it (native avx512_bf16/AMX, or emulated on AVX-512).</summary>
    public static string? Bf16Unsupported(IReadOnlySet<string> cpuFlags) =>
        cpuFlags.Contains("avx512f") && cpuFlags.Contains("avx512bw") && cpuFlags.Contains("avx512vl") && cpuFlags.Contains("avx512dq")
            ? null
            : "the CPU has no AVX-512 (avx512f/bw/vl/dq), which oneDNN's bf16 GEMM needs";

    /// <summary>How this CPU runs bf16 GEMMs, for the table.</summary>
    public static string Bf16Support(IReadOnlySet<string> cpuFlags) =>
        Bf16Unsupported(cpuFlags) is { } why ? $"n/a: {why}"
        : cpuFlags.Contains("amx_bf16") ? "native (AMX bf16)"
        : cpuFlags.Contains("avx512_bf16") ? "native (avx512_bf16)"
        : "emulated by oneDNN on AVX-512 (no avx512_bf16)";

    public ConfigurationLimit Limit(StandardConfiguration configuration, GemmPrecision precision) =>
        ConfigurationLimit.Combine(configuration.Name, precision, GateGemms.For(configuration).Select(s => Measure(precision, s)).ToList());

    /// <summary>The ceiling at one shape (cached; <see cref="GemmShape.Count"/> is carried through, not measured).</summary>
    public GemmRate Measure(GemmPrecision precision, GemmShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.M < 1 || shape.N < 1 || shape.K < 1) throw new ArgumentException($"A GEMM shape needs positive dimensions; got {shape}.", nameof(shape));
        var key = (precision, shape.M, shape.N, shape.K);
        if (!_cache.TryGetValue(key, out var rate))
        {
            rate = MeasureUncached(precision, shape);
            _cache[key] = rate;
        }
        return rate with { Shape = shape };
    }

    private GemmRate MeasureUncached(GemmPrecision precision, GemmShape shape)
    {
        if (_gemm is null) return GemmRate.NotAvailable(precision, shape, _unavailable);
        if (precision == GemmPrecision.Bf16)
        {
            if (Bf16Unsupported(CpuInfo.Flags) is { } why) return GemmRate.NotAvailable(precision, shape, why);
            if (!_gemm.HasBf16) return GemmRate.NotAvailable(precision, shape, $"{_gemm.LibraryPath} does not export {precision.EntryPoint()}");
        }
        long m = shape.M, n = shape.N, k = shape.K;
        int elementBytes = precision switch { GemmPrecision.F32 => 4, GemmPrecision.Bf16 => 2, _ => 1 };
        void* a = Allocate(m * k * elementBytes), b = Allocate(k * n * elementBytes), c = Allocate(m * n * 4), co = Allocate(4);
        try
        {
            Fill(precision, a, m * k, seed: 1);
            Fill(precision, b, k * n, seed: 2);
            *(int*)co = 0;
            int Call() => precision switch
            {
                GemmPrecision.F32 => _gemm.Sgemm(m, n, k, (float*)a, (float*)b, (float*)c),
                GemmPrecision.Bf16 => _gemm.GemmBf16(m, n, k, (ushort*)a, (ushort*)b, (float*)c),
                _ => _gemm.GemmU8S8(m, n, k, (byte*)a, (sbyte*)b, (int*)c, (int*)co),
            };
            _gemm.SetThreads(Threads);
            int status = Call();
            if (status != 0) return GemmRate.NotAvailable(precision, shape, $"{precision.EntryPoint()} returned oneDNN status {status} at {shape}");
            double best = 0;
            var clock = new Stopwatch();
            for (int round = 0; round < Rounds; round++)
            {
                long calls = 0;
                clock.Restart();
                do
                {
                    Call();
                    calls++;
                } while (clock.Elapsed.TotalSeconds < SecondsPerRound);
                best = Math.Max(best, shape.Operations * calls / clock.Elapsed.TotalSeconds);
            }
            return new GemmRate(precision, shape, best);
        }
        finally
        {
            NativeMemory.AlignedFree(a);
            NativeMemory.AlignedFree(b);
            NativeMemory.AlignedFree(c);
            NativeMemory.AlignedFree(co);
        }
    }

    private static void* Allocate(long bytes) => NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 64), 64);

    // Values in [-1, 1) (bf16: the upper half of the f32 pattern; int8: small codes), so no operation is a special case.
    private static void Fill(GemmPrecision precision, void* data, long count, int seed)
    {
        var rng = new Random(seed);
        for (long i = 0; i < count; i++)
        {
            float v = (float)(rng.NextDouble() * 2 - 1);
            switch (precision)
            {
                case GemmPrecision.F32: ((float*)data)[i] = v; break;
                case GemmPrecision.Bf16: ((ushort*)data)[i] = (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16); break;
                default: ((sbyte*)data)[i] = (sbyte)(v * 64); break;
            }
        }
    }
}
