using System.Runtime.InteropServices;
using RnnNative.Interop.CuDnn.Native;
using System.Numerics.Tensors;
using RnnNative.Extensibility;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// One model on one GPU through cuDNN 9's RNN API. Any number of threads may call it at once: the weight layout and
/// the weight space are shared and read-only during calls, and everything a call hands to cuDNN (a stream with its own
/// cuDNN handle, its own RNN descriptor, the batch descriptors, device scratch, pinned staging) is a
/// <see cref="CuDnnCallWorkspace"/> lent by the executor's pool, so calls run side by side on their own streams. The
/// only locks are the pool's free list and the weight-space pointer, each held for a few instructions. Each call leaves
/// its stream idle before returning.
/// </summary>
internal sealed class CuDnnRnnExecutor : RnnExecutor
{
    private readonly CuDnnPrecision _precision;
    private readonly int _device;
    private readonly CallWorkspacePool<CuDnnCallWorkspace> _workspaces;
    private readonly CuDnnWeightLayout _layout;
    // Guards which weight space is current: a call retains the current one for its duration, and UpdateParameters
    // swaps in a fresh one while any call or training context still holds the old.
    private readonly object _weightsGate = new();
    private CuDnnWeightSpace _weights;

    public CuDnnRnnExecutor(CuDnnBackend backend, RnnParameters parameters, RnnExecutorOptions options, CuDnnPrecision precision)
        : base(backend, parameters.Spec, options)
    {
        _precision = precision;
        _device = options.Device;
        var created = new List<IDisposable>();
        T Own<T>(T item) where T : IDisposable
        {
            created.Add(item);
            return item;
        }

        try
        {
            SetDevice();
            // Every thread that creates a workspace has made the executor's device current first.
            _workspaces = Own(new CallWorkspacePool<CuDnnCallWorkspace>(CreateWorkspace));
            var first = Own(_workspaces.Take());

            CuDnnStatusCheck.Check(CuDnnNative.cudnnGetRNNWeightSpaceSize(first.Handle, first.Rnn, out nuint weightBytes), "cudnnGetRNNWeightSpaceSize");
            var memory = Own(CudaDeviceMemory.Allocate(_device, (long)weightBytes));
            _layout = CuDnnWeightLayout.Query(first.Handle, first.Rnn, Spec, precision, memory);
            _weights = new CuDnnWeightSpace(memory);
            UploadWeights(parameters, _weights, first);
            _workspaces.Return(first);
        }
        catch
        {
            for (int i = created.Count - 1; i >= 0; i--) created[i].Dispose();
            throw;
        }
    }

    // Each call's host side (staging, descriptor set-up) runs on its caller's thread.
    protected override bool RunsCallsOnSeveralThreads => false;

    /// <summary>
    /// Caller-memory inference: the input is encoded into pinned staging straight from the caller's memory, and the
    /// results are decoded straight into the caller's buffers.
    /// </summary>
    protected override void ForwardCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        var lengths = new int[request.Batch];
        if (request.Lengths.IsEmpty) lengths.AsSpan().Fill(request.SeqLen);
        else request.Lengths.CopyTo(lengths);
        Run(request, outputs, new RnnBatchShape(request.SeqLen, request.Batch, lengths, request.BatchFirst), training: false);
    }

    protected override RnnTrainingContext ForwardForTrainingCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs, RnnBatchShape shape) =>
        Run(request, outputs, shape, training: true)!;

    private CuDnnTrainingContext? Run(in RnnInferenceRequest request, in RnnOutputBuffers outputs, RnnBatchShape shape, bool training)
    {
        SetDevice();
        var ws = _workspaces.Take();
        bool streamIdle = false;
        CuDnnWeightSpace? weights = null;
        try
        {
            weights = AcquireWeights();
            var fwdMode = training ? CuDnnForwardMode.Training : CuDnnForwardMode.Inference;
            var (workBytes, reserveBytes) = DescribeBatch(ws, shape, fwdMode);
            var sizes = new TensorSizes(Spec, shape, _precision);
            bool hasCell = Spec.Cell.HasCellState();

            // Buffers that backward needs live in the context's own allocation; the rest in executor scratch.
            var io = new RegionPlan();
            var x = io.Add(sizes.X);
            var y = io.Add(sizes.Y);
            var hx = io.Add(training || !request.InitialHidden.IsEmpty ? sizes.State : 0);
            var cx = io.Add(hasCell && (training || !request.InitialCell.IsEmpty) ? sizes.Cell : 0);
            var lengths = io.Add(sizes.Lengths);
            var reserve = io.Add(training ? (long)reserveBytes : 0);
            var scratch = new RegionPlan();
            var hy = scratch.Add(sizes.State);
            var cy = scratch.Add(hasCell ? sizes.Cell : 0);
            var work = scratch.Add((long)workBytes);

            var staging = new RegionPlan();
            var xHost = staging.Add(sizes.X);
            var hxHost = staging.Add(!request.InitialHidden.IsEmpty ? sizes.State : 0);
            var cxHost = staging.Add(!request.InitialCell.IsEmpty ? sizes.Cell : 0);
            var lengthsHost = staging.Add(sizes.Lengths);
            var yHost = staging.Add(sizes.Y);
            var hyHost = staging.Add(sizes.State);
            var cyHost = staging.Add(hasCell ? sizes.Cell : 0);

            CudaDeviceMemory? contextMemory = training ? CudaDeviceMemory.Allocate(_device, io.TotalBytes) : null;
            try
            {
                IntPtr ioBase = contextMemory?.Address ?? ws.Io.Ensure(io.TotalBytes);
                IntPtr scratchBase = ws.Scratch.Ensure(scratch.TotalBytes);
                IntPtr host = ws.Staging.Ensure(staging.TotalBytes);

                SequenceStaging.Stage(request.Input, shape.BatchFirst, shape.SeqLen, shape.Batch, Spec.InputSize, shape.Lengths, _precision, xHost.AsSpan(host));
                MemoryMarshal.AsBytes(shape.Lengths.AsSpan()).CopyTo(lengthsHost.AsSpan(host));
                Upload(ws, xHost, host, x, ioBase);
                Upload(ws, lengthsHost, host, lengths, ioBase);
                StageState(ws, request.InitialHidden, hxHost, host, hx, ioBase);
                StageState(ws, request.InitialCell, cxHost, host, cx, ioBase);

                CuDnnStatusCheck.Check(CuDnnNative.cudnnRNNForward(ws.Handle, ws.Rnn, fwdMode, lengths.At(ioBase),
                    ws.XDesc, x.At(ioBase), ws.YDesc, y.At(ioBase), ws.StateDesc, hx.At(ioBase), hy.At(scratchBase),
                    ws.CellDesc, cx.At(ioBase), cy.At(scratchBase), (nuint)_layout.SizeInBytes, weights.Address,
                    workBytes, work.At(scratchBase), (nuint)reserve.Bytes, reserve.At(ioBase)), "cudnnRNNForward");

                Download(ws, y, ioBase, yHost, host);
                Download(ws, hy, scratchBase, hyHost, host);
                Download(ws, cy, scratchBase, cyHost, host);
                ws.Stream.Synchronize();
                streamIdle = true;

                SequenceStaging.Unstage(yHost.AsSpan(host), shape.BatchFirst, shape.SeqLen, shape.Batch, Spec.OutputSize, shape.Lengths, _precision, outputs.Output);
                _precision.Decode(hyHost.AsSpan(host), outputs.Hidden);
                if (hasCell && !outputs.Cell.IsEmpty) _precision.Decode(cyHost.AsSpan(host), outputs.Cell);
                return contextMemory is null
                    ? null
                    : new CuDnnTrainingContext(this, shape, contextMemory, weights.Retain(), x, y, hx, cx, lengths, reserve);
            }
            catch
            {
                contextMemory?.Dispose();
                throw;
            }
        }
        finally
        {
            weights?.Release();
            GiveBack(ws, streamIdle);
        }
    }

    protected override RnnGradients BackwardCore(RnnTrainingContext context, RnnOutputGradients gradients)
    {
        var ctx = (CuDnnTrainingContext)context;
        var shape = ctx.Shape;
        SetDevice();
        var ws = _workspaces.Take();
        bool streamIdle = false;
        try
        {
            ObjectDisposedException.ThrowIf(ctx.IsDisposed, ctx);
            var (workBytes, reserveBytes) = DescribeBatch(ws, shape, CuDnnForwardMode.Training);
            if ((long)reserveBytes != ctx.Reserve.Bytes)
                throw new InvalidOperationException($"cuDNN now wants a {reserveBytes}-byte reserve space for this batch; the forward pass kept {ctx.Reserve.Bytes}.");
            var sizes = new TensorSizes(Spec, shape, _precision);
            bool hasCell = Spec.Cell.HasCellState();

            var scratch = new RegionPlan();
            var dy = scratch.Add(sizes.Y);
            var dx = scratch.Add(sizes.X);
            var dhy = scratch.Add(gradients.Hidden is not null ? sizes.State : 0);
            var dcy = scratch.Add(gradients.Cell is not null ? sizes.Cell : 0);
            var dhx = scratch.Add(sizes.State);
            var dcx = scratch.Add(hasCell ? sizes.Cell : 0);
            var work = scratch.Add((long)workBytes);

            var staging = new RegionPlan();
            var dyHost = staging.Add(gradients.Output is not null ? sizes.Y : 0);
            var dhyHost = staging.Add(dhy.Bytes);
            var dcyHost = staging.Add(dcy.Bytes);
            var dxHost = staging.Add(sizes.X);
            var dhxHost = staging.Add(sizes.State);
            var dcxHost = staging.Add(dcx.Bytes);
            var dwHost = staging.Add(_layout.SizeInBytes);

            IntPtr scratchBase = ws.Scratch.Ensure(scratch.TotalBytes);
            IntPtr host = ws.Staging.Ensure(staging.TotalBytes);
            IntPtr dw = ws.WeightGradients.Ensure(_layout.SizeInBytes);
            IntPtr ctxBase = ctx.Base;

            if (gradients.Output is { } gradOutput)
            {
                SequenceStaging.Stage(gradOutput.Span, shape.BatchFirst, shape.SeqLen, shape.Batch, Spec.OutputSize, shape.Lengths, _precision, dyHost.AsSpan(host));
                Upload(ws, dyHost, host, dy, scratchBase);
            }
            else
            {
                Zero(ws, dy, scratchBase);
            }
            StageState(ws, gradients.Hidden is null ? default : gradients.Hidden.Span, dhyHost, host, dhy, scratchBase);
            StageState(ws, gradients.Cell is null ? default : gradients.Cell.Span, dcyHost, host, dcy, scratchBase);
            // Weight gradients accumulate (CUDNN_WGRAD_MODE_ADD), so they start from zero.
            CudaStatusCheck.Check(CudaRuntimeNative.cudaMemsetAsync(dw, 0, (nuint)_layout.SizeInBytes, ws.Stream), "cudaMemsetAsync");

            // Backward data first: it consumes and updates the reserve space that backward weights then reads.
            CuDnnStatusCheck.Check(CuDnnNative.cudnnRNNBackwardData_v8(ws.Handle, ws.Rnn, ctx.Lengths.At(ctxBase),
                ws.YDesc, ctx.Y.At(ctxBase), dy.At(scratchBase), ws.XDesc, dx.At(scratchBase),
                ws.StateDesc, ctx.Hx.At(ctxBase), dhy.At(scratchBase), dhx.At(scratchBase),
                ws.CellDesc, ctx.Cx.At(ctxBase), dcy.At(scratchBase), dcx.At(scratchBase),
                (nuint)_layout.SizeInBytes, ctx.Weights.Address, workBytes, work.At(scratchBase),
                (nuint)ctx.Reserve.Bytes, ctx.Reserve.At(ctxBase)), "cudnnRNNBackwardData_v8");
            CuDnnStatusCheck.Check(CuDnnNative.cudnnRNNBackwardWeights_v8(ws.Handle, ws.Rnn, CuDnnWgradMode.Add, ctx.Lengths.At(ctxBase),
                ws.XDesc, ctx.X.At(ctxBase), ws.StateDesc, ctx.Hx.At(ctxBase), ws.YDesc, ctx.Y.At(ctxBase),
                (nuint)_layout.SizeInBytes, dw, workBytes, work.At(scratchBase),
                (nuint)ctx.Reserve.Bytes, ctx.Reserve.At(ctxBase)), "cudnnRNNBackwardWeights_v8");

            Download(ws, dx, scratchBase, dxHost, host);
            Download(ws, dhx, scratchBase, dhxHost, host);
            Download(ws, dcx, scratchBase, dcxHost, host);
            CudaStatusCheck.Check(CudaRuntimeNative.cudaMemcpyAsync(dwHost.At(host), dw, (nuint)_layout.SizeInBytes,
                CudaMemcpyKind.DeviceToHost, ws.Stream), "cudaMemcpyAsync");
            ws.Stream.Synchronize();
            streamIdle = true;
            context.Dispose();

            var inputGradient = shape.NewSequence(Spec.InputSize);
            SequenceStaging.Unstage(dxHost.AsSpan(host), shape.BatchFirst, shape.SeqLen, shape.Batch, Spec.InputSize, shape.Lengths, _precision, inputGradient.Span);
            var hiddenGradient = DecodeState(dhxHost, host, shape.Batch, Spec.HiddenStateSize);
            var cellGradient = hasCell ? DecodeState(dcxHost, host, shape.Batch, Spec.CellStateSize) : null;
            return new RnnGradients(inputGradient, hiddenGradient, cellGradient, _layout.Unpack(dwHost.AsSpan(host)));
        }
        finally
        {
            GiveBack(ws, streamIdle);
        }
    }

    protected override void UpdateParametersCore(RnnParameters parameters)
    {
        SetDevice();
        var ws = _workspaces.Take();
        bool streamIdle = false;
        try
        {
            lock (_weightsGate)
            {
                // No call and no training context holds the weights, and none can take them while the lock is held:
                // overwrite them in place.
                if (!_weights.IsShared)
                {
                    UploadWeights(parameters, _weights, ws);
                    streamIdle = true;
                    return;
                }
            }
            // Calls in flight or live training contexts still read the old weights: they keep them, and the
            // executor moves on to a fresh weight space.
            var fresh = new CuDnnWeightSpace(CudaDeviceMemory.Allocate(_device, _layout.SizeInBytes));
            try
            {
                UploadWeights(parameters, fresh, ws);
                streamIdle = true;
            }
            catch
            {
                fresh.Release();
                throw;
            }
            CuDnnWeightSpace old;
            lock (_weightsGate)
            {
                old = _weights;
                _weights = fresh;
            }
            old.Release();
        }
        finally
        {
            GiveBack(ws, streamIdle);
        }
    }

    /// <summary>
    /// Releases the executor's resources. Calls still in flight (a caller's bug) keep the weights they retained and
    /// free their workspace when they finish; descriptors closed under them make them fail, not crash.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        // Best effort: releasing must not throw, and each handle frees itself even if this fails.
        CudaRuntimeNative.cudaSetDevice(_device);
        lock (_weightsGate) _weights.Release();
        _workspaces.Dispose();
    }

    /// <summary>
    /// Returns a call's workspace to the pool. A call that failed midway may have left copies queued on the stream that
    /// would land in the next call's staging, so its stream is drained first; a stream that cannot be drained (a
    /// sticky CUDA error) takes its workspace with it.
    /// </summary>
    private void GiveBack(CuDnnCallWorkspace ws, bool streamIdle)
    {
        if (!streamIdle && CudaRuntimeNative.cudaStreamSynchronize(ws.Stream) != CudaError.Success)
        {
            ws.Dispose();
            return;
        }
        _workspaces.Return(ws);
    }

    /// <summary>
    /// A workspace for the pool, made on a thread whose current device is the executor's. Every workspace after the first
    /// must describe a weight space of the size the layout was queried for: cuDNN sizing identically configured
    /// descriptors differently would mean their layouts differ too, and the shared weights would be misread.
    /// </summary>
    private CuDnnCallWorkspace CreateWorkspace()
    {
        var ws = CuDnnCallWorkspace.Create(_device, Spec, _precision);
        if (_layout is null) return ws; // the first workspace, whose descriptor the layout is queried from
        try
        {
            CuDnnStatusCheck.Check(CuDnnNative.cudnnGetRNNWeightSpaceSize(ws.Handle, ws.Rnn, out nuint weightBytes), "cudnnGetRNNWeightSpaceSize");
            if ((long)weightBytes != _layout.SizeInBytes)
                throw new InvalidOperationException(
                    $"cuDNN sized a second RNN descriptor for {Spec} at {weightBytes} bytes of weights; the first had {_layout.SizeInBytes}.");
            return ws;
        }
        catch
        {
            ws.Dispose();
            throw;
        }
    }

    /// <summary>The current weights, held by the calling call until it releases them.</summary>
    private CuDnnWeightSpace AcquireWeights()
    {
        lock (_weightsGate)
        {
            ThrowIfDisposed();
            return _weights.Retain();
        }
    }

    /// <summary>Sets a workspace's x/y/h/c descriptors for a batch and returns cuDNN's work and reserve sizes for it.</summary>
    private (nuint Work, nuint Reserve) DescribeBatch(CuDnnCallWorkspace ws, RnnBatchShape shape, CuDnnForwardMode mode)
    {
        ws.XDesc.SetSequenceMajor(_precision.DataType, shape.SeqLen, Spec.InputSize, shape.Lengths);
        ws.YDesc.SetSequenceMajor(_precision.DataType, shape.SeqLen, Spec.OutputSize, shape.Lengths);
        ws.StateDesc.SetPacked3d(_precision.DataType, Spec.NumLayers * Spec.Directions, shape.Batch, Spec.HiddenStateSize);
        ws.CellDesc.SetPacked3d(_precision.DataType, Spec.NumLayers * Spec.Directions, shape.Batch, Spec.CellStateSize);
        CuDnnStatusCheck.Check(CuDnnNative.cudnnGetRNNTempSpaceSizes(ws.Handle, ws.Rnn, mode, ws.XDesc, out nuint work, out nuint reserve),
            "cudnnGetRNNTempSpaceSizes");
        return (work, reserve);
    }

    private void UploadWeights(RnnParameters parameters, CuDnnWeightSpace target, CuDnnCallWorkspace ws)
    {
        IntPtr host = ws.Staging.Ensure(_layout.SizeInBytes);
        var image = new DeviceRegion(0, _layout.SizeInBytes);
        _layout.Pack(parameters, image.AsSpan(host));
        CudaStatusCheck.Check(CudaRuntimeNative.cudaMemcpyAsync(target.Address, host, (nuint)_layout.SizeInBytes,
            CudaMemcpyKind.HostToDevice, ws.Stream), "cudaMemcpyAsync");
        ws.Stream.Synchronize();
    }

    /// <summary>Copies a state tensor (h0, c0, dh_n, dc_n) to its device region; zero-fills the region when absent.</summary>
    private void StageState(CuDnnCallWorkspace ws, ReadOnlySpan<float> state, DeviceRegion hostRegion, IntPtr host, DeviceRegion deviceRegion, IntPtr deviceBase)
    {
        if (deviceRegion.IsEmpty) return;
        if (state.IsEmpty)
        {
            Zero(ws, deviceRegion, deviceBase);
            return;
        }
        _precision.Encode(state, hostRegion.AsSpan(host));
        Upload(ws, hostRegion, host, deviceRegion, deviceBase);
    }

    private Tensor<float> DecodeState(DeviceRegion hostRegion, IntPtr host, int batch, int width)
    {
        var tensor = RnnTensors.Zeros(Spec.NumLayers * Spec.Directions, batch, width);
        _precision.Decode(hostRegion.AsSpan(host), tensor.Span);
        return tensor;
    }

    private static void Upload(CuDnnCallWorkspace ws, DeviceRegion hostRegion, IntPtr host, DeviceRegion deviceRegion, IntPtr deviceBase) =>
        CudaStatusCheck.Check(CudaRuntimeNative.cudaMemcpyAsync(deviceRegion.At(deviceBase), hostRegion.At(host), (nuint)deviceRegion.Bytes,
            CudaMemcpyKind.HostToDevice, ws.Stream), "cudaMemcpyAsync");

    private static void Download(CuDnnCallWorkspace ws, DeviceRegion deviceRegion, IntPtr deviceBase, DeviceRegion hostRegion, IntPtr host)
    {
        if (deviceRegion.IsEmpty) return;
        CudaStatusCheck.Check(CudaRuntimeNative.cudaMemcpyAsync(hostRegion.At(host), deviceRegion.At(deviceBase), (nuint)deviceRegion.Bytes,
            CudaMemcpyKind.DeviceToHost, ws.Stream), "cudaMemcpyAsync");
    }

    private static void Zero(CuDnnCallWorkspace ws, DeviceRegion region, IntPtr deviceBase) =>
        CudaStatusCheck.Check(CudaRuntimeNative.cudaMemsetAsync(region.At(deviceBase), 0, (nuint)region.Bytes, ws.Stream), "cudaMemsetAsync");

    private void SetDevice() => CudaStatusCheck.Check(CudaRuntimeNative.cudaSetDevice(_device), $"cudaSetDevice({_device})");

    /// <summary>Byte sizes of one batch's tensors in the executor's precision; h states are P wide with a projection, c states H.</summary>
    private readonly record struct TensorSizes(long X, long Y, long State, long Cell, long Lengths)
    {
        public TensorSizes(RnnSpec spec, RnnBatchShape shape, CuDnnPrecision precision)
            : this(
                (long)shape.SeqLen * shape.Batch * spec.InputSize * precision.ElementSize,
                (long)shape.SeqLen * shape.Batch * spec.OutputSize * precision.ElementSize,
                (long)spec.NumLayers * spec.Directions * shape.Batch * spec.HiddenStateSize * precision.ElementSize,
                (long)spec.NumLayers * spec.Directions * shape.Batch * spec.CellStateSize * precision.ElementSize,
                (long)shape.Batch * sizeof(int))
        {
        }
    }
}
