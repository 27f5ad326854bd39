using System.Diagnostics;

namespace RnnNative.Streaming;

/// <summary>
/// Stateful streams over one RNN executor, with steps of many streams batched into one call (the sequence batcher of
/// an inference server, in process). A stream is a key; <see cref="StepAsync(string, ReadOnlyMemory{float}, Memory{float}, CancellationToken)"/>
/// runs its next 1..k time steps from the state its previous steps left and returns their outputs (the top layer's h
/// at each step). A stream opens on its first step with zero states (or explicitly, <see cref="Open"/>,
/// <see cref="ImportState"/>) and closes with <see cref="End"/>, by eviction past <see cref="RnnStreamOptions.MaxLiveStreams"/>
/// (least recently used first) or after <see cref="RnnStreamOptions.IdleTimeout"/>; every eviction is reported
/// (<see cref="StreamEvicted"/>) and a later step on a closed key fails with <see cref="RnnStreamClosedException"/>.
/// <para>
/// Batching: pending steps of different streams are gathered, oldest first, into one executor call of up to
/// <see cref="RnnStreamOptions.MaxBatchSize"/> streams: their states into h0/c0, their step counts as variable lengths;
/// outputs and final states are scattered back. A call starts when it is full, when the oldest step has waited
/// <see cref="RnnStreamOptions.MaxQueueDelayMicroseconds"/>, or at once when that is 0. Up to
/// <see cref="RnnStreamOptions.Concurrency"/> calls run at once on dedicated threads. One stream's steps never reorder
/// and never run concurrently: a stream has at most one step queued for a call or in one.
/// </para>
/// <para>
/// Exactness: a stream's outputs are those of its whole sequence run alone through the same executor, whatever the
/// interleaving and batch composition (within the backend's own tolerance between batch sizes). Bidirectional models
/// read each sequence from its end and cannot stream; they are refused. The executor stays the caller's: dispose it
/// after the batcher.
/// </para>
/// </summary>
public sealed class RnnStreamBatcher : IDisposable
{
    private readonly RnnExecutor _executor;
    private readonly RnnStreamOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<string, StreamSlot> _streams = new(StringComparer.Ordinal);
    private readonly LinkedList<StreamSlot> _lru = new();
    private readonly Queue<PendingStep> _ready = new();
    private readonly Dictionary<string, (RnnStreamCloseReason Reason, long Serial)> _closed = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Serial)> _closedOrder = new();
    private readonly Thread[] _callers;
    private readonly Timer? _idleTimer;
    private readonly StreamMetrics _metrics;
    private readonly long _delayTimestampTicks;
    private readonly long _idleTimestampTicks;
    private readonly int _layers, _hidden, _cell;
    private long _closedSerial;
    private bool _disposed;

    public RnnStreamBatcher(RnnExecutor executor, RnnStreamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ObjectDisposedException.ThrowIf(executor.IsDisposed, executor);
        options ??= RnnStreamOptions.Default;
        options.Validate();
        if (executor.Spec.Bidirectional)
            throw new NotSupportedException(
                $"{executor.Spec} is bidirectional: its backward direction reads each sequence from the end, so it cannot run step by step; streams need a unidirectional model.");
        _executor = executor;
        _options = options;
        Spec = executor.Spec;
        _layers = Spec.NumLayers;
        _hidden = Spec.HiddenStateSize;
        _cell = Spec.Cell.HasCellState() ? Spec.CellStateSize : 0;
        _delayTimestampTicks = options.MaxQueueDelayMicroseconds * Stopwatch.Frequency / 1_000_000;
        _idleTimestampTicks = options.IdleTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue
            : (long)Math.Min(long.MaxValue / 2.0, options.IdleTimeout.TotalSeconds * Stopwatch.Frequency);
        _metrics = new StreamMetrics(options.MeterFactory, () => LiveStreams);
        _callers = new Thread[options.Concurrency];
        for (int i = 0; i < _callers.Length; i++)
        {
            _callers[i] = new Thread(CallerLoop) { IsBackground = true, Name = $"RnnStreamBatcher caller {i}" };
            _callers[i].Start();
        }
        if (options.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            // Checked a few times per timeout, so a stream outlives its timeout by a quarter of it at most.
            var period = TimeSpan.FromTicks(Math.Clamp(options.IdleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 5, TimeSpan.TicksPerSecond));
            _idleTimer = new Timer(_ => EvictIdle(), null, period, period);
        }
    }

    public RnnSpec Spec { get; }

    public RnnStreamOptions Options => _options;

    /// <summary>Raised once per evicted stream (capacity or idle timeout), outside the batcher's lock, on the thread that evicted it. Handlers must not throw.</summary>
    public event EventHandler<RnnStreamEvictedEventArgs>? StreamEvicted;

    public int LiveStreams
    {
        get { lock (_gate) return _streams.Count; }
    }

    public bool IsLive(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate) return _streams.ContainsKey(key);
    }

    /// <summary>
    /// Runs the stream's next k steps: <paramref name="input"/> holds k × input_size values (k ≥ 1), and
    /// <paramref name="output"/> receives k × output_size values, the top layer's h after each step. Both must stay
    /// untouched until the task completes. The task gives k. Cancelling before the step's call starts removes the step
    /// (the state is as if it was never sent); a step already in a call completes.
    /// </summary>
    public Task<int> StepAsync(string key, ReadOnlyMemory<float> input, Memory<float> output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        int steps = CheckStep(input);
        if (output.Length < steps * Spec.OutputSize)
            throw new ArgumentException($"output holds {output.Length} values; {steps} step(s) of output_size {Spec.OutputSize} need {steps * Spec.OutputSize}.", nameof(output));
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<int>(cancellationToken);
        List<RnnStreamEvictedEventArgs>? evicted = null;
        PendingStep step;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_streams.TryGetValue(key, out var slot))
            {
                if (_closed.TryGetValue(key, out var closed)) return Task.FromException<int>(new RnnStreamClosedException(key, closed.Reason));
                if (!_options.OpenOnFirstStep) return Task.FromException<int>(new RnnStreamNotFoundException(key));
                slot = new StreamSlot(key, _layers * _hidden, _layers * _cell);
                Add(slot, ref evicted);
            }
            else if (slot.Ending)
            {
                return Task.FromException<int>(new RnnStreamClosedException(key, RnnStreamCloseReason.Ended));
            }
            long now = Stopwatch.GetTimestamp();
            Touch(slot, now);
            step = new PendingStep(slot, input, output, steps, now);
            if (cancellationToken.CanBeCanceled)
                step.Registration = cancellationToken.UnsafeRegister(static (state, token) =>
                {
                    var (batcher, pending) = ((RnnStreamBatcher, PendingStep))state!;
                    batcher.Cancel(pending, token);
                }, (this, step));
            if (slot.Busy)
            {
                slot.Waiting.Enqueue(step);
            }
            else
            {
                slot.Busy = true;
                _ready.Enqueue(step);
                Monitor.Pulse(_gate);
            }
        }
        Report(evicted);
        return step.Completion.Task;
    }

    /// <summary>The same, into a new array of k × output_size values.</summary>
    public Task<float[]> StepAsync(string key, ReadOnlyMemory<float> input, CancellationToken cancellationToken = default)
    {
        // Not an async method, so that bad arguments throw here, as in the overload above.
        var output = new float[CheckStep(input) * Spec.OutputSize];
        return StepAsync(key, input, output, cancellationToken).ContinueWith(
            static (step, output) => { step.GetAwaiter().GetResult(); return (float[])output!; },
            output, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Opens a stream with the given states, h (L, S) and for an LSTM c (L, H) (empty spans: zeros). The key must not
    /// be live; a key that was ended or evicted starts afresh.
    /// </summary>
    public void Open(string key, ReadOnlySpan<float> initialHidden = default, ReadOnlySpan<float> initialCell = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!initialHidden.IsEmpty && initialHidden.Length != _layers * _hidden)
            throw new ArgumentException($"initialHidden holds {initialHidden.Length} values; {Spec} needs (layers {_layers}, {_hidden}) = {_layers * _hidden}.", nameof(initialHidden));
        if (!initialCell.IsEmpty && _cell == 0)
            throw new ArgumentException($"initialCell was given, but a {Spec.Cell.ToModeName()} has no cell state.", nameof(initialCell));
        if (!initialCell.IsEmpty && initialCell.Length != _layers * _cell)
            throw new ArgumentException($"initialCell holds {initialCell.Length} values; {Spec} needs (layers {_layers}, {_cell}) = {_layers * _cell}.", nameof(initialCell));
        var slot = new StreamSlot(key, _layers * _hidden, _layers * _cell);
        initialHidden.CopyTo(slot.Hidden);
        initialCell.CopyTo(slot.Cell);
        AddExplicitly(slot);
    }

    /// <summary>
    /// Ends a stream: steps already submitted still run, later ones fail with <see cref="RnnStreamClosedException"/>.
    /// False when the key names no live stream.
    /// </summary>
    public bool End(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_streams.TryGetValue(key, out var slot) || slot.Ending) return false;
            if (slot.Busy) slot.Ending = true;
            else Close(slot, RnnStreamCloseReason.Ended);
            return true;
        }
    }

    /// <summary>
    /// The stream's state after its completed steps, as bytes that <see cref="ImportState"/> reads here or in another
    /// process with the same model. The stream must have no step pending: await its steps first.
    /// </summary>
    public byte[] ExportState(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            var slot = Live(key);
            if (slot.Busy)
                throw new InvalidOperationException($"stream '{key}' has steps pending; await them before exporting its state, so the state is the one after a known step.");
            return StreamStateFormat.Write(Spec, slot.Hidden, slot.Cell);
        }
    }

    /// <summary>Opens a stream from <see cref="ExportState"/>'s bytes (checked against this model). The key must not be live.</summary>
    public void ImportState(string key, ReadOnlySpan<byte> state)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slot = new StreamSlot(key, _layers * _hidden, _layers * _cell);
        StreamStateFormat.Read(Spec, state, slot.Hidden, slot.Cell);
        AddExplicitly(slot);
    }

    /// <summary>
    /// Stops the callers: steps not yet in a call fail with <see cref="ObjectDisposedException"/>, calls in flight
    /// finish first. The executor is not disposed.
    /// </summary>
    public void Dispose()
    {
        var abandoned = new List<PendingStep>();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            while (_ready.TryDequeue(out var step)) abandoned.Add(step);
            foreach (var slot in _streams.Values)
                while (slot.Waiting.TryDequeue(out var step)) abandoned.Add(step);
            Monitor.PulseAll(_gate);
        }
        _idleTimer?.Dispose();
        foreach (var step in abandoned)
        {
            step.Registration.Dispose();
            step.Completion.TrySetException(new ObjectDisposedException(nameof(RnnStreamBatcher), "the stream batcher was disposed before this step ran."));
        }
        foreach (var caller in _callers) caller.Join();
        _metrics.Dispose();
    }

    private int CheckStep(ReadOnlyMemory<float> input)
    {
        int width = Spec.InputSize;
        if (input.Length == 0 || input.Length % width != 0)
            throw new ArgumentException($"input holds {input.Length} values; a request is k ≥ 1 steps of input_size {width}.", nameof(input));
        int steps = input.Length / width;
        if (steps > _options.MaxStepsPerRequest)
            throw new ArgumentException($"input holds {steps} steps; one request may bring at most {_options.MaxStepsPerRequest} (MaxStepsPerRequest).", nameof(input));
        return steps;
    }

    private StreamSlot Live(string key)
    {
        if (_streams.TryGetValue(key, out var slot)) return slot;
        if (_closed.TryGetValue(key, out var closed)) throw new RnnStreamClosedException(key, closed.Reason);
        throw new RnnStreamNotFoundException(key);
    }

    private void AddExplicitly(StreamSlot slot)
    {
        List<RnnStreamEvictedEventArgs>? evicted = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_streams.ContainsKey(slot.Key))
                throw new InvalidOperationException($"stream '{slot.Key}' is live; end it before opening it again.");
            _closed.Remove(slot.Key);
            Add(slot, ref evicted);
            Touch(slot, Stopwatch.GetTimestamp());
        }
        Report(evicted);
    }

    /// <summary>Adds a new stream, evicting the least recently used idle streams past the bound. Under the lock.</summary>
    private void Add(StreamSlot slot, ref List<RnnStreamEvictedEventArgs>? evicted)
    {
        while (_streams.Count >= _options.MaxLiveStreams)
        {
            var victim = _lru.First;
            while (victim is not null && victim.Value.Busy) victim = victim.Next;
            if (victim is null)
                throw new InvalidOperationException(
                    $"all {_streams.Count} live streams (MaxLiveStreams) have steps pending, so none can be evicted for '{slot.Key}'; raise the bound or retry.");
            Close(victim.Value, RnnStreamCloseReason.EvictedForCapacity);
            (evicted ??= []).Add(new RnnStreamEvictedEventArgs(victim.Value.Key, RnnStreamCloseReason.EvictedForCapacity));
        }
        _streams.Add(slot.Key, slot);
        _lru.AddLast(slot.Lru);
    }

    private void Touch(StreamSlot slot, long now)
    {
        slot.LastUsedTimestamp = now;
        if (slot.Lru.List is null) return;
        _lru.Remove(slot.Lru);
        _lru.AddLast(slot.Lru);
    }

    /// <summary>Takes the stream out of the table and remembers why, so later steps on the key fail clearly. Under the lock.</summary>
    private void Close(StreamSlot slot, RnnStreamCloseReason reason)
    {
        _streams.Remove(slot.Key);
        if (slot.Lru.List is not null) _lru.Remove(slot.Lru);
        slot.Closed = true;
        if (reason != RnnStreamCloseReason.Ended) _metrics.Eviction(reason);
        if (_options.RememberClosedStreams == 0) return;
        long serial = ++_closedSerial;
        _closed[slot.Key] = (reason, serial);
        _closedOrder.Enqueue((slot.Key, serial));
        while (_closedOrder.Count > _options.RememberClosedStreams)
        {
            var (old, oldSerial) = _closedOrder.Dequeue();
            if (_closed.TryGetValue(old, out var entry) && entry.Serial == oldSerial) _closed.Remove(old);
        }
    }

    private void Report(List<RnnStreamEvictedEventArgs>? evicted)
    {
        if (evicted is null) return;
        foreach (var e in evicted) StreamEvicted?.Invoke(this, e);
    }

    private void EvictIdle()
    {
        List<RnnStreamEvictedEventArgs>? evicted = null;
        lock (_gate)
        {
            if (_disposed) return;
            long now = Stopwatch.GetTimestamp();
            // The list runs from least to most recently used: stop at the first stream used within the timeout.
            var node = _lru.First;
            while (node is not null && now - node.Value.LastUsedTimestamp >= _idleTimestampTicks)
            {
                var next = node.Next;
                if (!node.Value.Busy)
                {
                    Close(node.Value, RnnStreamCloseReason.EvictedIdle);
                    (evicted ??= []).Add(new RnnStreamEvictedEventArgs(node.Value.Key, RnnStreamCloseReason.EvictedIdle));
                }
                node = next;
            }
        }
        Report(evicted);
    }

    private void Cancel(PendingStep step, CancellationToken token)
    {
        lock (_gate)
        {
            if (step.State != PendingStep.Waiting) return;
            step.State = PendingStep.Cancelled;
        }
        step.Completion.TrySetCanceled(token);
    }

    /// <summary>
    /// The stream's step has finished (or was cancelled): queue its next waiting step, or mark it idle and close it if
    /// its end was asked. Under the lock.
    /// </summary>
    private void Advance(StreamSlot slot)
    {
        slot.Busy = false;
        while (slot.Waiting.TryDequeue(out var next))
        {
            if (next.State == PendingStep.Cancelled) continue;
            slot.Busy = true;
            _ready.Enqueue(next);
            Monitor.Pulse(_gate);
            return;
        }
        if (slot.Ending && !slot.Closed) Close(slot, RnnStreamCloseReason.Ended);
    }

    private void CallerLoop()
    {
        var buffers = new StreamCallBuffers(Spec);
        var batch = new List<PendingStep>(_options.MaxBatchSize);
        while (TakeBatch(batch))
        {
            if (batch.Count == 0) continue;
            Exception? failure = null;
            try
            {
                Run(batch, buffers);
            }
            catch (Exception e)
            {
                // The states were not touched (they are scattered only after a call succeeds): the streams stay usable.
                failure = e;
            }
            lock (_gate)
            {
                long now = Stopwatch.GetTimestamp();
                foreach (var step in batch)
                {
                    if (!step.Stream.Closed) Touch(step.Stream, now);
                    Advance(step.Stream);
                }
            }
            foreach (var step in batch)
            {
                step.Registration.Dispose();
                if (failure is null) step.Completion.TrySetResult(step.Steps);
                else step.Completion.TrySetException(failure);
            }
            batch.Clear();
        }
    }

    /// <summary>
    /// Waits for pending steps, then for the batch to fill or the oldest step's queue delay to pass, and takes up to
    /// MaxBatchSize steps, oldest first. False once the batcher is disposed.
    /// </summary>
    private bool TakeBatch(List<PendingStep> batch)
    {
        Monitor.Enter(_gate);
        try
        {
            while (true)
            {
                if (_disposed) return false;
                while (_ready.TryPeek(out var head) && head.State == PendingStep.Cancelled)
                    Advance(_ready.Dequeue().Stream);
                if (_ready.Count == 0)
                {
                    Monitor.Wait(_gate);
                    continue;
                }
                if (_ready.Count < _options.MaxBatchSize && _delayTimestampTicks > 0)
                {
                    long left = _ready.Peek().SubmittedTimestamp + _delayTimestampTicks - Stopwatch.GetTimestamp();
                    if (left > 0)
                    {
                        var wait = TimeSpan.FromSeconds((double)left / Stopwatch.Frequency);
                        if (wait >= TimeSpan.FromMilliseconds(1))
                        {
                            Monitor.Wait(_gate, wait);
                        }
                        else
                        {
                            // Below the timer's resolution: let submitters in, then look again.
                            Monitor.Exit(_gate);
                            Thread.Yield();
                            Monitor.Enter(_gate);
                        }
                        continue;
                    }
                }
                break;
            }
            long now = Stopwatch.GetTimestamp();
            while (batch.Count < _options.MaxBatchSize && _ready.TryDequeue(out var step))
            {
                if (step.State == PendingStep.Cancelled)
                {
                    Advance(step.Stream);
                    continue;
                }
                step.State = PendingStep.Running;
                batch.Add(step);
                _metrics.QueueDelay((now - step.SubmittedTimestamp) * 1e6 / Stopwatch.Frequency);
            }
            return true;
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    /// <summary>One executor call: gather inputs and states, run, scatter outputs and final states. Outside the lock.</summary>
    private void Run(List<PendingStep> batch, StreamCallBuffers buffers)
    {
        int n = batch.Count, width = Spec.InputSize, outWidth = Spec.OutputSize;
        int steps = 0;
        bool ragged = false;
        foreach (var step in batch)
        {
            if (steps != 0 && step.Steps != steps) ragged = true;
            steps = Math.Max(steps, step.Steps);
        }
        buffers.Ensure(steps, n);
        var x = buffers.Input.AsSpan(0, steps * n * width);
        if (ragged) x.Clear();
        var h0 = buffers.InitialHidden.AsSpan(0, _layers * n * _hidden);
        var c0 = buffers.InitialCell.AsSpan(0, _layers * n * _cell);
        for (int b = 0; b < n; b++)
        {
            var step = batch[b];
            var input = step.Input.Span;
            for (int t = 0; t < step.Steps; t++)
                input.Slice(t * width, width).CopyTo(x.Slice((t * n + b) * width, width));
            buffers.Lengths[b] = step.Steps;
            for (int l = 0; l < _layers; l++)
            {
                step.Stream.Hidden.AsSpan(l * _hidden, _hidden).CopyTo(h0.Slice((l * n + b) * _hidden, _hidden));
                if (_cell > 0) step.Stream.Cell.AsSpan(l * _cell, _cell).CopyTo(c0.Slice((l * n + b) * _cell, _cell));
            }
        }
        var outputs = new RnnOutputBuffers(buffers.Output, buffers.Hidden, buffers.Cell).Slice(Spec, steps, n);
        _executor.Forward(new RnnInferenceRequest(x, steps, n)
        {
            Lengths = ragged ? buffers.Lengths.AsSpan(0, n) : default,
            InitialHidden = h0,
            InitialCell = c0,
            Threads = _options.ThreadsPerCall,
        }, outputs);
        long total = 0;
        for (int b = 0; b < n; b++)
        {
            var step = batch[b];
            var output = step.Output.Span;
            for (int t = 0; t < step.Steps; t++)
                outputs.Output.Slice((t * n + b) * outWidth, outWidth).CopyTo(output.Slice(t * outWidth, outWidth));
            for (int l = 0; l < _layers; l++)
            {
                outputs.Hidden.Slice((l * n + b) * _hidden, _hidden).CopyTo(step.Stream.Hidden.AsSpan(l * _hidden, _hidden));
                if (_cell > 0) outputs.Cell.Slice((l * n + b) * _cell, _cell).CopyTo(step.Stream.Cell.AsSpan(l * _cell, _cell));
            }
            total += step.Steps;
        }
        _metrics.Call(n, total);
    }
}
