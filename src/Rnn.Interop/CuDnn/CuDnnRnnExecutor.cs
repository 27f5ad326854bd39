using System.Runtime.InteropServices;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// One model on one GPU through cuDNN 9's RNN API. Owns a stream, a cuDNN handle bound to it, the RNN and data
/// descriptors, the weight space, device scratch and pinned staging. A cuDNN handle must not be used by two threads
/// at once, so calls are serialised; each call leaves the stream idle before returning.
/// </summary>
internal sealed class CuDnnRnnExecutor : IRnnExecutor
{
    private readonly object _gate = new();
    private readonly CuDnnPrecision _precision;
    private readonly int _device;
    private readonly CudaStream _stream;
    private readonly CuDnnHandle _handle;
    private readonly CuDnnDropoutDescriptor _dropout;
    private readonly CuDnnRnnDescriptor _rnn;
    private readonly CuDnnRnnDataDescriptor _xDesc;
    private readonly CuDnnRnnDataDescriptor _yDesc;
    private readonly CuDnnTensorDescriptor _stateDesc;
    private readonly CuDnnWeightLayout _layout;
    private readonly GrowableDeviceBuffer _io;
    private readonly GrowableDeviceBuffer _scratch;
    private readonly GrowableDeviceBuffer _weightGradients;
    private readonly GrowablePinnedBuffer _staging;
    private CuDnnWeightSpace _weights;
    private bool _disposed;

    public CuDnnRnnExecutor(CuDnnBackend backend, RnnParameters parameters, RnnExecutorOptions options, CuDnnPrecision precision)
    {
        Backend = backend;
        Options = options;
        Spec = parameters.Spec;
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
            _stream = Own(CudaStream.Create());
            _handle = Own(CuDnnHandle.Create());
            _handle.SetStream(_stream);
            _dropout = Own(CuDnnDropoutDescriptor.CreateDisabled(_handle));
            _rnn = Own(CuDnnRnnDescriptor.Create());
            _rnn.Configure(Spec, precision, _dropout);
            _xDesc = Own(CuDnnRnnDataDescriptor.Create());
            _yDesc = Own(CuDnnRnnDataDescriptor.Create());
            _stateDesc = Own(CuDnnTensorDescriptor.Create());
            _io = Own(new GrowableDeviceBuffer(_device));
            _scratch = Own(new GrowableDeviceBuffer(_device));
            _weightGradients = Own(new GrowableDeviceBuffer(_device));
            _staging = Own(new GrowablePinnedBuffer());

            CuDnnException.Check(CuDnnNative.cudnnGetRNNWeightSpaceSize(_handle, _rnn, out nuint weightBytes), "cudnnGetRNNWeightSpaceSize");
            var memory = Own(CudaDeviceMemory.Allocate(_device, (long)weightBytes));
            _layout = CuDnnWeightLayout.Query(_handle, _rnn, Spec, precision, memory);
            _weights = new CuDnnWeightSpace(memory);
            UploadWeights(parameters, _weights);
        }
        catch
        {
            for (int i = created.Count - 1; i >= 0; i--) created[i].Dispose();
            throw;
        }
    }

    public RnnSpec Spec { get; }
    public IRnnBackend Backend { get; }
    public RnnExecutorOptions Options { get; }

    /// <summary>
    /// Caller-memory inference. The GPU path still stages through <see cref="Forward(RnnInput, RnnMode)"/> (copies and
    /// the executor's lock); a per-call workspace and stream pool is the next step for this backend.
    /// </summary>
    public void Forward(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        RnnBatchValidator.Validate(Spec, request, outputs);
        using var result = Forward(request.ToStagedInput(Spec));
        outputs.CopyFrom(result);
    }

    public RnnForwardResult Forward(RnnInput input, RnnMode mode = RnnMode.Inference)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var shape = RnnBatchValidator.Validate(Spec, input);
        bool training = mode == RnnMode.Training;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SetDevice();
            var fwdMode = training ? CuDnnForwardMode.Training : CuDnnForwardMode.Inference;
            var (workBytes, reserveBytes) = DescribeBatch(shape, fwdMode);
            var sizes = new TensorSizes(Spec, shape, _precision);
            bool hasCell = Spec.Cell.HasCellState();

            // Buffers that backward needs live in the context's own allocation; the rest in executor scratch.
            var io = new RegionPlan();
            var x = io.Add(sizes.X);
            var y = io.Add(sizes.Y);
            var hx = io.Add(training || input.InitialHidden is not null ? sizes.State : 0);
            var cx = io.Add(hasCell && (training || input.InitialCell is not null) ? sizes.State : 0);
            var lengths = io.Add(sizes.Lengths);
            var reserve = io.Add(training ? (long)reserveBytes : 0);
            var scratch = new RegionPlan();
            var hy = scratch.Add(sizes.State);
            var cy = scratch.Add(hasCell ? sizes.State : 0);
            var work = scratch.Add((long)workBytes);

            var staging = new RegionPlan();
            var xHost = staging.Add(sizes.X);
            var hxHost = staging.Add(input.InitialHidden is not null ? sizes.State : 0);
            var cxHost = staging.Add(input.InitialCell is not null ? sizes.State : 0);
            var lengthsHost = staging.Add(sizes.Lengths);
            var yHost = staging.Add(sizes.Y);
            var hyHost = staging.Add(sizes.State);
            var cyHost = staging.Add(hasCell ? sizes.State : 0);

            CudaDeviceMemory? contextMemory = training ? CudaDeviceMemory.Allocate(_device, io.TotalBytes) : null;
            try
            {
                IntPtr ioBase = contextMemory?.Address ?? _io.Ensure(io.TotalBytes);
                IntPtr scratchBase = _scratch.Ensure(scratch.TotalBytes);
                IntPtr host = _staging.Ensure(staging.TotalBytes);

                SequenceStaging.Stage(input.Input, shape.BatchFirst, shape.SeqLen, shape.Batch, Spec.InputSize, shape.Lengths, _precision, xHost.AsSpan(host));
                MemoryMarshal.AsBytes(shape.Lengths.AsSpan()).CopyTo(lengthsHost.AsSpan(host));
                Upload(xHost, host, x, ioBase);
                Upload(lengthsHost, host, lengths, ioBase);
                StageState(input.InitialHidden, hxHost, host, hx, ioBase);
                StageState(input.InitialCell, cxHost, host, cx, ioBase);

                CuDnnException.Check(CuDnnNative.cudnnRNNForward(_handle, _rnn, fwdMode, lengths.At(ioBase),
                    _xDesc, x.At(ioBase), _yDesc, y.At(ioBase), _stateDesc, hx.At(ioBase), hy.At(scratchBase),
                    _stateDesc, cx.At(ioBase), cy.At(scratchBase), (nuint)_layout.SizeInBytes, _weights.Address,
                    workBytes, work.At(scratchBase), (nuint)reserve.Bytes, reserve.At(ioBase)), "cudnnRNNForward");

                Download(y, ioBase, yHost, host);
                Download(hy, scratchBase, hyHost, host);
                Download(cy, scratchBase, cyHost, host);
                _stream.Synchronize();

                var output = SequenceStaging.Unstage(yHost.AsSpan(host), shape.BatchFirst, shape.SeqLen, shape.Batch, Spec.OutputSize, shape.Lengths, _precision);
                var hidden = DecodeState(hyHost, host, shape.Batch);
                var cell = hasCell ? DecodeState(cyHost, host, shape.Batch) : null;
                var context = contextMemory is null
                    ? null
                    : new CuDnnTrainingContext(this, shape, contextMemory, _weights.Retain(), x, y, hx, cx, lengths, reserve);
                return new RnnForwardResult(output, hidden, cell, context);
            }
            catch
            {
                contextMemory?.Dispose();
                throw;
            }
        }
    }

    public RnnGradients Backward(RnnTrainingContext context, RnnOutputGradients gradients)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(context);
        context.EnsureUsableBy(this);
        var ctx = (CuDnnTrainingContext)context;
        var shape = ctx.Shape;
        RnnBatchValidator.ValidateGradients(Spec, shape, gradients);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ObjectDisposedException.ThrowIf(ctx.IsDisposed, ctx);
            SetDevice();
            var (workBytes, reserveBytes) = DescribeBatch(shape, CuDnnForwardMode.Training);
            if ((long)reserveBytes != ctx.Reserve.Bytes)
                throw new InvalidOperationException($"cuDNN now wants a {reserveBytes}-byte reserve space for this batch; the forward pass kept {ctx.Reserve.Bytes}.");
            var sizes = new TensorSizes(Spec, shape, _precision);
            bool hasCell = Spec.Cell.HasCellState();

            var scratch = new RegionPlan();
            var dy = scratch.Add(sizes.Y);
            var dx = scratch.Add(sizes.X);
            var dhy = scratch.Add(gradients.Hidden is not null ? sizes.State : 0);
            var dcy = scratch.Add(gradients.Cell is not null ? sizes.State : 0);
            var dhx = scratch.Add(sizes.State);
            var dcx = scratch.Add(hasCell ? sizes.State : 0);
            var work = scratch.Add((long)workBytes);

            var staging = new RegionPlan();
            var dyHost = staging.Add(gradients.Output is not null ? sizes.Y : 0);
            var dhyHost = staging.Add(dhy.Bytes);
            var dcyHost = staging.Add(dcy.Bytes);
            var dxHost = staging.Add(sizes.X);
            var dhxHost = staging.Add(sizes.State);
            var dcxHost = staging.Add(dcx.Bytes);
            var dwHost = staging.Add(_layout.SizeInBytes);

            IntPtr scratchBase = _scratch.Ensure(scratch.TotalBytes);
            IntPtr host = _staging.Ensure(staging.TotalBytes);
            IntPtr dw = _weightGradients.Ensure(_layout.SizeInBytes);
            IntPtr ctxBase = ctx.Base;

            if (gradients.Output is { } gradOutput)
            {
                SequenceStaging.Stage(gradOutput, shape.BatchFirst, shape.SeqLen, shape.Batch, Spec.OutputSize, shape.Lengths, _precision, dyHost.AsSpan(host));
                Upload(dyHost, host, dy, scratchBase);
            }
            else
            {
                Zero(dy, scratchBase);
            }
            StageState(gradients.Hidden, dhyHost, host, dhy, scratchBase);
            StageState(gradients.Cell, dcyHost, host, dcy, scratchBase);
            // Weight gradients accumulate (CUDNN_WGRAD_MODE_ADD), so they start from zero.
            CudaException.Check(CudaRuntimeNative.cudaMemsetAsync(dw, 0, (nuint)_layout.SizeInBytes, _stream), "cudaMemsetAsync");

            // Backward data first: it consumes and updates the reserve space that backward weights then reads.
            CuDnnException.Check(CuDnnNative.cudnnRNNBackwardData_v8(_handle, _rnn, ctx.Lengths.At(ctxBase),
                _yDesc, ctx.Y.At(ctxBase), dy.At(scratchBase), _xDesc, dx.At(scratchBase),
                _stateDesc, ctx.Hx.At(ctxBase), dhy.At(scratchBase), dhx.At(scratchBase),
                _stateDesc, ctx.Cx.At(ctxBase), dcy.At(scratchBase), dcx.At(scratchBase),
                (nuint)_layout.SizeInBytes, ctx.Weights.Address, workBytes, work.At(scratchBase),
                (nuint)ctx.Reserve.Bytes, ctx.Reserve.At(ctxBase)), "cudnnRNNBackwardData_v8");
            CuDnnException.Check(CuDnnNative.cudnnRNNBackwardWeights_v8(_handle, _rnn, CuDnnWgradMode.Add, ctx.Lengths.At(ctxBase),
                _xDesc, ctx.X.At(ctxBase), _stateDesc, ctx.Hx.At(ctxBase), _yDesc, ctx.Y.At(ctxBase),
                (nuint)_layout.SizeInBytes, dw, workBytes, work.At(scratchBase),
                (nuint)ctx.Reserve.Bytes, ctx.Reserve.At(ctxBase)), "cudnnRNNBackwardWeights_v8");

            Download(dx, scratchBase, dxHost, host);
            Download(dhx, scratchBase, dhxHost, host);
            Download(dcx, scratchBase, dcxHost, host);
            CudaException.Check(CudaRuntimeNative.cudaMemcpyAsync(dwHost.At(host), dw, (nuint)_layout.SizeInBytes,
                CudaMemcpyKind.DeviceToHost, _stream), "cudaMemcpyAsync");
            _stream.Synchronize();
            context.Dispose();

            var inputGradient = SequenceStaging.Unstage(dxHost.AsSpan(host), shape.BatchFirst, shape.SeqLen, shape.Batch, Spec.InputSize, shape.Lengths, _precision);
            var hiddenGradient = DecodeState(dhxHost, host, shape.Batch);
            var cellGradient = hasCell ? DecodeState(dcxHost, host, shape.Batch) : null;
            return new RnnGradients(inputGradient, hiddenGradient, cellGradient, _layout.Unpack(dwHost.AsSpan(host)));
        }
    }

    public void UpdateParameters(RnnParameters parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RnnBatchValidator.ValidateParameters(Spec, parameters);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SetDevice();
            if (_weights.IsShared)
            {
                // A live training context still needs the old weights: give the executor a fresh weight space.
                var fresh = new CuDnnWeightSpace(CudaDeviceMemory.Allocate(_device, _layout.SizeInBytes));
                try
                {
                    UploadWeights(parameters, fresh);
                }
                catch
                {
                    fresh.Release();
                    throw;
                }
                _weights.Release();
                _weights = fresh;
            }
            else
            {
                UploadWeights(parameters, _weights);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            // Best effort: releasing must not throw, and each handle frees itself even if this fails.
            CudaRuntimeNative.cudaSetDevice(_device);
            _staging.Dispose();
            _weightGradients.Dispose();
            _scratch.Dispose();
            _io.Dispose();
            _weights.Release();
            _stateDesc.Dispose();
            _yDesc.Dispose();
            _xDesc.Dispose();
            _rnn.Dispose();
            _dropout.Dispose();
            _handle.Dispose();
            _stream.Dispose();
        }
    }

    /// <summary>Sets the x/y/state descriptors for a batch and returns cuDNN's work and reserve sizes for it.</summary>
    private (nuint Work, nuint Reserve) DescribeBatch(RnnBatchShape shape, CuDnnForwardMode mode)
    {
        _xDesc.SetSequenceMajor(_precision.DataType, shape.SeqLen, Spec.InputSize, shape.Lengths);
        _yDesc.SetSequenceMajor(_precision.DataType, shape.SeqLen, Spec.OutputSize, shape.Lengths);
        _stateDesc.SetPacked3d(_precision.DataType, Spec.NumLayers * Spec.Directions, shape.Batch, Spec.HiddenSize);
        CuDnnException.Check(CuDnnNative.cudnnGetRNNTempSpaceSizes(_handle, _rnn, mode, _xDesc, out nuint work, out nuint reserve),
            "cudnnGetRNNTempSpaceSizes");
        return (work, reserve);
    }

    private void UploadWeights(RnnParameters parameters, CuDnnWeightSpace target)
    {
        IntPtr host = _staging.Ensure(_layout.SizeInBytes);
        var image = new DeviceRegion(0, _layout.SizeInBytes);
        _layout.Pack(parameters, image.AsSpan(host));
        CudaException.Check(CudaRuntimeNative.cudaMemcpyAsync(target.Address, host, (nuint)_layout.SizeInBytes,
            CudaMemcpyKind.HostToDevice, _stream), "cudaMemcpyAsync");
        _stream.Synchronize();
    }

    /// <summary>Copies a state tensor (h0, c0, dh_n, dc_n) to its device region; zero-fills the region when absent.</summary>
    private void StageState(Tensor? state, DeviceRegion hostRegion, IntPtr host, DeviceRegion deviceRegion, IntPtr deviceBase)
    {
        if (deviceRegion.IsEmpty) return;
        if (state is null)
        {
            Zero(deviceRegion, deviceBase);
            return;
        }
        _precision.Encode(state.Data, hostRegion.AsSpan(host));
        Upload(hostRegion, host, deviceRegion, deviceBase);
    }

    private Tensor DecodeState(DeviceRegion hostRegion, IntPtr host, int batch)
    {
        var tensor = Tensor.Zeros(Spec.NumLayers * Spec.Directions, batch, Spec.HiddenSize);
        _precision.Decode(hostRegion.AsSpan(host), tensor.Data);
        return tensor;
    }

    private void Upload(DeviceRegion hostRegion, IntPtr host, DeviceRegion deviceRegion, IntPtr deviceBase) =>
        CudaException.Check(CudaRuntimeNative.cudaMemcpyAsync(deviceRegion.At(deviceBase), hostRegion.At(host), (nuint)deviceRegion.Bytes,
            CudaMemcpyKind.HostToDevice, _stream), "cudaMemcpyAsync");

    private void Download(DeviceRegion deviceRegion, IntPtr deviceBase, DeviceRegion hostRegion, IntPtr host)
    {
        if (deviceRegion.IsEmpty) return;
        CudaException.Check(CudaRuntimeNative.cudaMemcpyAsync(hostRegion.At(host), deviceRegion.At(deviceBase), (nuint)deviceRegion.Bytes,
            CudaMemcpyKind.DeviceToHost, _stream), "cudaMemcpyAsync");
    }

    private void Zero(DeviceRegion region, IntPtr deviceBase) =>
        CudaException.Check(CudaRuntimeNative.cudaMemsetAsync(region.At(deviceBase), 0, (nuint)region.Bytes, _stream), "cudaMemsetAsync");

    private void SetDevice() => CudaException.Check(CudaRuntimeNative.cudaSetDevice(_device), $"cudaSetDevice({_device})");

    /// <summary>Byte sizes of one batch's tensors in the executor's precision.</summary>
    private readonly record struct TensorSizes(long X, long Y, long State, long Lengths)
    {
        public TensorSizes(RnnSpec spec, RnnBatchShape shape, CuDnnPrecision precision)
            : this(
                (long)shape.SeqLen * shape.Batch * spec.InputSize * precision.ElementSize,
                (long)shape.SeqLen * shape.Batch * spec.OutputSize * precision.ElementSize,
                (long)spec.NumLayers * spec.Directions * shape.Batch * spec.HiddenSize * precision.ElementSize,
                (long)shape.Batch * sizeof(int))
        {
        }
    }
}
