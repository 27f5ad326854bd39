using System.Numerics.Tensors;
using RnnNative.Managed.Cells;

namespace RnnNative.Managed;

/// <summary>
/// The oracle: PyTorch's RNN/LSTM/GRU forward and backpropagation through time, in double, written for clarity.
/// Arrays are time-major: x (T, N, I), y (T, N, D·S), h states (L·D, N, S), c states (L·D, N, H), where S is the h
/// state size (the projection size P of an LSTM with proj_size, else H). Each sequence n runs over its own
/// steps t &lt; lengths[n] only (packed-sequence semantics): padded outputs stay zero, final states are taken at the
/// sequence's own end, and the reverse direction starts there.
/// </summary>
internal static class ReferenceRnn
{
    public static ReferenceForward Forward(ReferenceWeights w, double[] x, int seqLen, int batch, int[] lengths,
        double[]? h0, double[]? c0, bool keepCache)
    {
        var spec = w.Spec;
        int dirs = spec.Directions;
        var cell = ReferenceCell.For(spec.Cell);
        bool hasC = spec.Cell.HasCellState();
        int stateRows = spec.NumLayers * dirs;

        var hn = new double[stateRows * batch * spec.HiddenStateSize];
        var cn = hasC ? new double[stateRows * batch * spec.CellStateSize] : null;
        var caches = keepCache ? new ReferenceLayerCache[stateRows] : null;

        double[] layerInput = x;
        double[] layerOutput = x;
        var scratch = new ReferenceScratch();
        scratch.Ensure(spec, batch);
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            int inSize = spec.LayerInputSize(layer);
            layerOutput = new double[seqLen * batch * spec.OutputSize];
            for (int dir = 0; dir < dirs; dir++)
            {
                int index = layer * dirs + dir;
                var cache = keepCache ? new ReferenceLayerCache(layerInput, seqLen, batch, spec) : null;
                RunDirection(w, cell, index, dir, layerInput, inSize, layerOutput, seqLen, batch, lengths,
                    h0, c0, hn, cn, cache, scratch);
                if (caches is not null) caches[index] = cache!;
            }
            layerInput = layerOutput;
        }
        return new ReferenceForward(layerOutput, hn, cn, seqLen, batch, (int[])lengths.Clone(), caches);
    }

    /// <summary>
    /// Inference over caller memory with every buffer from <paramref name="work"/>: the same arithmetic, in the same
    /// order, as <see cref="Forward"/>, so the results are identical; only the float/double and layout conversions differ
    /// in where they happen.
    /// </summary>
    public static void Infer(ReferenceWeights w, in RnnInferenceRequest request, in RnnOutputBuffers outputs, ReferenceWorkspace work)
    {
        var spec = w.Spec;
        int seqLen = request.SeqLen, batch = request.Batch, dirs = spec.Directions;
        int inSize0 = spec.InputSize, outWidth = spec.OutputSize, rows = spec.NumLayers * dirs * batch;
        var cell = ReferenceCell.For(spec.Cell);
        work.Ensure(spec, seqLen, batch);

        var x = work.Input.AsSpan(0, seqLen * batch * inSize0);
        var src = request.Input;
        for (int t = 0; t < seqLen; t++)
        for (int n = 0; n < batch; n++)
        {
            var from = src.Slice((request.BatchFirst ? n * seqLen + t : t * batch + n) * inSize0, inSize0);
            var to = x.Slice((t * batch + n) * inSize0, inSize0);
            for (int i = 0; i < inSize0; i++) to[i] = from[i];
        }
        var lengths = work.Lengths.AsSpan(0, batch);
        if (request.Lengths.IsEmpty) lengths.Fill(seqLen);
        else request.Lengths.CopyTo(lengths);
        Span<double> h0 = request.InitialHidden.IsEmpty ? default : Widen(request.InitialHidden, work.H0);
        Span<double> c0 = request.InitialCell.IsEmpty ? default : Widen(request.InitialCell, work.C0);
        var hn = work.Hn.AsSpan(0, rows * spec.HiddenStateSize);
        var cn = spec.Cell.HasCellState() ? work.Cn.AsSpan(0, rows * spec.CellStateSize) : default;

        Span<double> layerInput = x;
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            var layerOutput = (layer % 2 == 0 ? work.LayerA : work.LayerB).AsSpan(0, seqLen * batch * outWidth);
            layerOutput.Clear();
            for (int dir = 0; dir < dirs; dir++)
                RunDirection(w, cell, layer * dirs + dir, dir, layerInput, spec.LayerInputSize(layer), layerOutput, seqLen, batch,
                    lengths, h0, c0, hn, cn, null, work.Scratch);
            layerInput = layerOutput;
        }

        var y = outputs.Output;
        for (int t = 0; t < seqLen; t++)
        for (int n = 0; n < batch; n++)
        {
            var from = layerInput.Slice((t * batch + n) * outWidth, outWidth);
            var to = y.Slice((request.BatchFirst ? n * seqLen + t : t * batch + n) * outWidth, outWidth);
            for (int i = 0; i < outWidth; i++) to[i] = (float)from[i];
        }
        Narrow(hn, outputs.Hidden);
        if (!outputs.Cell.IsEmpty) Narrow(cn, outputs.Cell);
    }

    private static Span<double> Widen(ReadOnlySpan<float> src, double[] dst)
    {
        var d = dst.AsSpan(0, src.Length);
        for (int i = 0; i < src.Length; i++) d[i] = src[i];
        return d;
    }

    private static void Narrow(ReadOnlySpan<double> src, Span<float> dst)
    {
        for (int i = 0; i < src.Length; i++) dst[i] = (float)src[i];
    }

    private static void RunDirection(ReferenceWeights w, ReferenceCell cell, int index, int dir, ReadOnlySpan<double> input, int inSize,
        Span<double> output, int seqLen, int batch, ReadOnlySpan<int> lengths, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0,
        Span<double> hn, Span<double> cn, ReferenceLayerCache? cache, ReferenceScratch scratch)
    {
        var spec = w.Spec;
        int hs = spec.HiddenSize, ss = spec.HiddenStateSize, gates = spec.GateCount * hs, outWidth = spec.OutputSize;
        var wih = w.WeightIh[index];
        var whh = w.WeightHh[index];
        var bih = w.BiasIh[index];
        var bhh = w.BiasHh[index];
        var whr = w.WeightHr[index];

        // Running state per sequence, starting from h0/c0 (zeros when absent): h is S wide, c is H wide.
        var h = scratch.H.AsSpan(0, batch * ss);
        var c = scratch.C.AsSpan(0, batch * hs);
        if (!h0.IsEmpty) h0.Slice(index * batch * ss, batch * ss).CopyTo(h);
        else h.Clear();
        if (!c0.IsEmpty) c0.Slice(index * batch * hs, batch * hs).CopyTo(c);
        else c.Clear();

        var gi = scratch.Gi.AsSpan(0, gates);
        var gh = scratch.Gh.AsSpan(0, gates);
        var hNew = scratch.HNew.AsSpan(0, hs);
        var cNew = scratch.CNew.AsSpan(0, hs);
        // Without a projection the cell's h is the state; with one, the state is W_hr·h.
        var hState = whr is null ? hNew : scratch.HProjected.AsSpan(0, ss);

        for (int step = 0; step < seqLen; step++)
        {
            int t = dir == 0 ? step : seqLen - 1 - step;
            for (int n = 0; n < batch; n++)
            {
                if (t >= lengths[n]) continue;
                var xin = input.Slice((t * batch + n) * inSize, inSize);
                var hPrev = h.Slice(n * ss, ss);
                var cPrev = c.Slice(n * hs, hs);
                Affine(wih, bih, xin, gi);
                Affine(whh, bhh, hPrev, gh);
                cell.Forward(gi, gh, hPrev, cPrev, hNew, cNew);
                if (whr is not null) Affine(whr, null, hNew, hState);
                cache?.Store(t, n, gi, gh, hPrev, cPrev, hNew);
                hState.CopyTo(hPrev);
                cNew.CopyTo(cPrev);
                hState.CopyTo(output.Slice((t * batch + n) * outWidth + dir * ss, ss));
            }
        }

        h.CopyTo(hn.Slice(index * batch * ss, batch * ss));
        if (!cn.IsEmpty) c.CopyTo(cn.Slice(index * batch * hs, batch * hs));
    }

    /// <summary>y = W·v + b for a row-major W (rows = y.Length).</summary>
    private static void Affine(double[] weight, double[]? bias, ReadOnlySpan<double> v, Span<double> y)
    {
        int cols = v.Length;
        for (int row = 0; row < y.Length; row++)
            y[row] = TensorPrimitives.Dot(weight.AsSpan(row * cols, cols), v) + (bias is null ? 0.0 : bias[row]);
    }

    public static ReferenceBackward Backward(ReferenceWeights w, ReferenceForward forward, double[]? dy, double[]? dhn, double[]? dcn)
    {
        var spec = w.Spec;
        var caches = forward.Caches ?? throw new InvalidOperationException("The forward pass kept no cache: run it in training mode.");
        int dirs = spec.Directions, seqLen = forward.SeqLen, batch = forward.Batch, rows = spec.NumLayers * dirs * batch;
        var cell = ReferenceCell.For(spec.Cell);
        bool hasC = spec.Cell.HasCellState();
        var grads = new ReferenceWeights(spec);
        var dh0 = new double[rows * spec.HiddenStateSize];
        var dc0 = hasC ? new double[rows * spec.CellStateSize] : null;

        // Gradient with respect to the current layer's output; starts as dy, becomes dx of the layer above.
        double[] dOut = dy ?? new double[seqLen * batch * spec.OutputSize];
        for (int layer = spec.NumLayers - 1; layer >= 0; layer--)
        {
            int inSize = spec.LayerInputSize(layer);
            var dIn = new double[seqLen * batch * inSize];
            for (int dir = 0; dir < dirs; dir++)
            {
                int index = layer * dirs + dir;
                BackwardDirection(w, grads, cell, caches[index], index, dir, dOut, dIn, inSize, forward.Lengths, dhn, dcn, dh0, dc0);
            }
            dOut = dIn;
        }
        return new ReferenceBackward(dOut, dh0, dc0, grads);
    }

    private static void BackwardDirection(ReferenceWeights w, ReferenceWeights grads, ReferenceCell cell, ReferenceLayerCache cache,
        int index, int dir, double[] dOut, double[] dIn, int inSize, int[] lengths, double[]? dhn, double[]? dcn, double[] dh0, double[]? dc0)
    {
        var spec = w.Spec;
        int hs = spec.HiddenSize, ss = spec.HiddenStateSize, gates = spec.GateCount * hs, outWidth = spec.OutputSize;
        int seqLen = cache.SeqLen, batch = cache.Batch;
        var wih = w.WeightIh[index];
        var whh = w.WeightHh[index];
        var whr = w.WeightHr[index];
        var dWih = grads.WeightIh[index];
        var dWhh = grads.WeightHh[index];
        var dBih = grads.BiasIh[index];
        var dBhh = grads.BiasHh[index];
        var dWhr = grads.WeightHr[index];

        int hOffset = index * batch * ss, cOffset = index * batch * hs;
        var dh = new double[batch * ss];
        var dc = new double[batch * hs];
        if (dhn is not null) Array.Copy(dhn, hOffset, dh, 0, batch * ss);
        if (dcn is not null) Array.Copy(dcn, cOffset, dc, 0, batch * hs);

        var dhStep = new double[ss];
        // The gradient at the cell's own h (H wide): dhStep itself, or W_hrᵀ·dhStep under a projection.
        var dhCell = whr is null ? dhStep : new double[hs];
        var dgi = new double[gates];
        var dgh = new double[gates];
        var dhPrev = new double[ss];
        var dcPrev = new double[hs];

        // Visit steps in the reverse of the forward processing order.
        for (int step = seqLen - 1; step >= 0; step--)
        {
            int t = dir == 0 ? step : seqLen - 1 - step;
            for (int n = 0; n < batch; n++)
            {
                if (t >= lengths[n]) continue;
                var dhN = dh.AsSpan(n * ss, ss);
                var dcN = dc.AsSpan(n * hs, hs);
                TensorPrimitives.Add(dhN, dOut.AsSpan((t * batch + n) * outWidth + dir * ss, ss), dhStep);
                if (whr is not null)
                {
                    // state = W_hr·h: dW_hr += dstate ⊗ h, dh = W_hrᵀ·dstate.
                    var hCell = cache.HCell(t, n);
                    Array.Clear(dhCell);
                    for (int p = 0; p < ss; p++)
                    {
                        TensorPrimitives.MultiplyAdd(hCell, dhStep[p], dWhr.AsSpan(p * hs, hs), dWhr.AsSpan(p * hs, hs));
                        TensorPrimitives.MultiplyAdd(whr.AsSpan(p * hs, hs), dhStep[p], dhCell, dhCell);
                    }
                }

                var gi = cache.Gi(t, n);
                var gh = cache.Gh(t, n);
                var hPrev = cache.HPrev(t, n);
                cell.Backward(gi, gh, hPrev, cache.CPrev(t, n), dhCell, dcN, dgi, dgh, dhPrev, dcPrev);

                var xin = cache.Input.AsSpan((t * batch + n) * inSize, inSize);
                var dx = dIn.AsSpan((t * batch + n) * inSize, inSize);
                for (int g = 0; g < gates; g++)
                {
                    var rowIh = wih.AsSpan(g * inSize, inSize);
                    TensorPrimitives.MultiplyAdd(xin, dgi[g], dWih.AsSpan(g * inSize, inSize), dWih.AsSpan(g * inSize, inSize));
                    TensorPrimitives.MultiplyAdd(rowIh, dgi[g], dx, dx);
                    var rowHh = whh.AsSpan(g * ss, ss);
                    TensorPrimitives.MultiplyAdd(hPrev, dgh[g], dWhh.AsSpan(g * ss, ss), dWhh.AsSpan(g * ss, ss));
                    TensorPrimitives.MultiplyAdd(rowHh, dgh[g], dhPrev, dhPrev);
                }
                if (dBih is not null) TensorPrimitives.Add(dBih, dgi, dBih);
                if (dBhh is not null) TensorPrimitives.Add(dBhh, dgh, dBhh);

                dhPrev.CopyTo(dhN);
                dcPrev.CopyTo(dcN);
            }
        }

        Array.Copy(dh, 0, dh0, hOffset, batch * ss);
        if (dc0 is not null) Array.Copy(dc, 0, dc0, cOffset, batch * hs);
    }
}

/// <summary>
/// What one layer and direction's forward pass keeps for backward: its input and, per (t, n), gi, gh, h₋₁ (S wide),
/// c₋₁ and, under a projection, the cell's unprojected h (H wide) that W_hr multiplied.
/// </summary>
internal sealed class ReferenceLayerCache
{
    private readonly double[] _gi, _gh, _hPrev, _cPrev, _hCell;
    private readonly int _gates, _hidden, _state;

    public ReferenceLayerCache(double[] input, int seqLen, int batch, RnnSpec spec)
    {
        Input = input;
        SeqLen = seqLen;
        Batch = batch;
        _gates = spec.GateCount * spec.HiddenSize;
        _hidden = spec.HiddenSize;
        _state = spec.HiddenStateSize;
        _gi = new double[seqLen * batch * _gates];
        _gh = new double[seqLen * batch * _gates];
        _hPrev = new double[seqLen * batch * _state];
        _cPrev = new double[seqLen * batch * _hidden];
        _hCell = spec.HasProjection ? new double[seqLen * batch * _hidden] : [];
    }

    public double[] Input { get; }
    public int SeqLen { get; }
    public int Batch { get; }

    public void Store(int t, int n, ReadOnlySpan<double> gi, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        ReadOnlySpan<double> hCell)
    {
        gi.CopyTo(_gi.AsSpan((t * Batch + n) * _gates, _gates));
        gh.CopyTo(_gh.AsSpan((t * Batch + n) * _gates, _gates));
        hPrev.CopyTo(_hPrev.AsSpan((t * Batch + n) * _state, _state));
        cPrev.CopyTo(_cPrev.AsSpan((t * Batch + n) * _hidden, _hidden));
        if (_hCell.Length > 0) hCell.CopyTo(_hCell.AsSpan((t * Batch + n) * _hidden, _hidden));
    }

    public ReadOnlySpan<double> Gi(int t, int n) => _gi.AsSpan((t * Batch + n) * _gates, _gates);
    public ReadOnlySpan<double> Gh(int t, int n) => _gh.AsSpan((t * Batch + n) * _gates, _gates);
    public ReadOnlySpan<double> HPrev(int t, int n) => _hPrev.AsSpan((t * Batch + n) * _state, _state);
    public ReadOnlySpan<double> CPrev(int t, int n) => _cPrev.AsSpan((t * Batch + n) * _hidden, _hidden);
    public ReadOnlySpan<double> HCell(int t, int n) => _hCell.AsSpan((t * Batch + n) * _hidden, _hidden);
}

internal sealed record ReferenceForward(double[] Output, double[] Hidden, double[]? Cell, int SeqLen, int Batch, int[] Lengths,
    ReferenceLayerCache[]? Caches);

internal sealed record ReferenceBackward(double[] Input, double[] InitialHidden, double[]? InitialCell, ReferenceWeights Parameters);
