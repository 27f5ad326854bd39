using RnnNative.Interop.OneDnn;

namespace RnnNative.Tests.Concurrency;

/// <summary>Caller-memory requests built from the same random batches as <see cref="RnnInput"/>, and the backends to run them on.</summary>
internal static class CallerMemoryCases
{
    public static IRnnBackend Backend(string name)
    {
        IRnnBackend backend = name switch
        {
            "managed" => RnnNative.Managed.ManagedBackend.Instance,
            "onednn" => OneDnnBackend.Instance,
            "cudnn" => RnnNative.Interop.CuDnn.CuDnnBackend.Instance,
            _ => throw new ArgumentException($"no backend '{name}' in these tests", nameof(name)),
        };
        if (!backend.Availability.IsAvailable) Assert.Ignore($"{name} backend unavailable here: {backend.Availability.Reason}");
        return backend;
    }

    public static RnnInput RandomInput(RnnSpec spec, Random rng, int seqLen, int batch, bool varlen, bool withStates, bool batchFirst)
    {
        int[]? lengths = null;
        if (varlen)
        {
            // Unsorted, with a length-1 sequence whenever the batch has two or more.
            lengths = Enumerable.Range(0, batch).Select(_ => rng.Next(1, seqLen + 1)).ToArray();
            if (batch > 1) lengths[rng.Next(batch)] = 1;
        }
        return OneDnn.OneDnnTestSupport.RandomInput(spec, rng, seqLen, batch, lengths, withStates, batchFirst);
    }

    public static RnnInferenceRequest ToRequest(RnnInput input, int threads = 0)
    {
        int seqLen = input.BatchFirst ? input.Input.Dim(1) : input.Input.Dim(0);
        int batch = input.BatchFirst ? input.Input.Dim(0) : input.Input.Dim(1);
        return new RnnInferenceRequest(input.Input.Span, seqLen, batch, input.BatchFirst)
        {
            Lengths = input.Lengths,
            InitialHidden = input.InitialHidden is null ? default : input.InitialHidden.Span,
            InitialCell = input.InitialCell is null ? default : input.InitialCell.Span,
            Threads = threads,
        };
    }
}
