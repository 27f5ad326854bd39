using System.Numerics.Tensors;

namespace RnnNative;

/// <summary>
/// One inference batch read straight from caller memory, without a copy: input (T, N, I), or (N, T, I) when
/// <see cref="BatchFirst"/>; optional <see cref="Lengths"/> (N values, 1 ≤ length ≤ T, any order); optional initial
/// states (L·D, N, H). An empty span means "absent". A ref struct over spans: it can wrap arrays, a
/// <see cref="Tensor{T}"/>, stack memory or another runtime's buffers (an ONNX Runtime <c>OrtValue</c>), and building one
/// per call allocates nothing. Pair it with <see cref="RnnOutputBuffers"/> and
/// <see cref="RnnExecutor.Forward(in RnnInferenceRequest, in RnnOutputBuffers)"/>.
/// </summary>
public readonly ref struct RnnInferenceRequest
{
    /// <summary>A request over flat input memory of <paramref name="seqLen"/> × <paramref name="batch"/> × input_size elements.</summary>
    public RnnInferenceRequest(ReadOnlySpan<float> input, int seqLen, int batch, bool batchFirst = false)
    {
        Input = input;
        SeqLen = seqLen;
        Batch = batch;
        BatchFirst = batchFirst;
    }

    /// <summary>A request over a dense 3-D tensor: (T, N, I), or (N, T, I) when <paramref name="batchFirst"/>.</summary>
    public RnnInferenceRequest(ReadOnlyTensorSpan<float> input, bool batchFirst = false)
    {
        if (input.Rank != 3)
            throw new ArgumentException($"input must be 3-D {(batchFirst ? "(N, T, input_size)" : "(T, N, input_size)")}; got shape {RnnTensors.ShapeToString(input.Lengths)}.", nameof(input));
        Input = input.Span;
        SeqLen = checked((int)input.Lengths[batchFirst ? 1 : 0]);
        Batch = checked((int)input.Lengths[batchFirst ? 0 : 1]);
        BatchFirst = batchFirst;
    }

    public ReadOnlySpan<float> Input { get; }
    public int SeqLen { get; }
    public int Batch { get; }
    public bool BatchFirst { get; }

    /// <summary>Each sequence's length, or empty for all <see cref="SeqLen"/>.</summary>
    public ReadOnlySpan<int> Lengths { get; init; }

    /// <summary>h0 (L·D, N, S), or empty for zeros.</summary>
    public ReadOnlySpan<float> InitialHidden { get; init; }

    /// <summary>c0 (L·D, N, H) for LSTM, or empty for zeros.</summary>
    public ReadOnlySpan<float> InitialCell { get; init; }

    /// <summary>
    /// CPU threads for this call; 0 uses <see cref="RnnExecutorOptions.Threads"/>. With K callers on one executor,
    /// keep K × threads ≤ cores: K callers × 1 thread fill K cores side by side, while more threads than cores in all
    /// make the calls compete and each one slows down. On a machine shared with other busy processes, count only the
    /// cores they leave free, and prefer 1 thread for small models (see <see cref="RnnExecutorOptions.Threads"/> for
    /// how the oneDNN backend waits). Backends that run a call on its caller's thread (the managed reference, cuDNN's
    /// host side) refuse more than 1.
    /// </summary>
    public int Threads { get; init; }
}
