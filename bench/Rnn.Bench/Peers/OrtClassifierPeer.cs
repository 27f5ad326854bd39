using Microsoft.ML.OnnxRuntime;

namespace RnnNative.Bench.Peers;

/// <summary>
/// ONNX Runtime running a whole classifier graph (<see cref="OnnxClassifierModelWriter"/>) the way a user would: records
/// in arrival order, <see cref="BatchSize"/> at a time, each batch padded to its longest record and given its
/// sequence_lens. All cores (IntraOpNumThreads), every graph optimization on.
/// </summary>
public sealed class OrtClassifierPeer : IDisposable
{
    private static readonly string[] InputNames = ["tokens", "lengths"];
    private static readonly string[] OutputNames = ["probabilities"];
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public OrtClassifierPeer(byte[] model, int classes, int threads, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Classes = classes;
        BatchSize = batchSize;
        _options = OrtSessionSettings.WithThreads(threads);
        _session = new InferenceSession(model, _options);
    }

    public int Classes { get; }
    public int BatchSize { get; }

    /// <summary>Steps computed (batch × its longest record, summed) and useful (the records' lengths) in the last <see cref="Predict"/>.</summary>
    public (long Useful, long Computed) LastPadding { get; private set; }

    /// <summary>Each record's class probabilities, in the records' order.</summary>
    public float[][] Predict(IReadOnlyList<int[]> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new float[records.Count][];
        long useful = 0, computed = 0;
        for (int start = 0; start < records.Count; start += BatchSize)
        {
            int n = Math.Min(BatchSize, records.Count - start);
            int steps = 0;
            for (int b = 0; b < n; b++) steps = Math.Max(steps, records[start + b].Length);
            // Time-major (T, N), padded with token 0; sequence_lens keeps the padding out of every state.
            var tokens = new long[(long)steps * n];
            var lengths = new int[n];
            for (int b = 0; b < n; b++)
            {
                var record = records[start + b];
                lengths[b] = record.Length;
                useful += record.Length;
                for (int t = 0; t < record.Length; t++) tokens[(long)t * n + b] = record[t];
            }
            computed += (long)steps * n;
            using var tokensValue = OrtValue.CreateTensorValueFromMemory(tokens, [steps, n]);
            using var lengthsValue = OrtValue.CreateTensorValueFromMemory(lengths, [n]);
            using var outputs = _session.Run(_runOptions, InputNames, [tokensValue, lengthsValue], OutputNames);
            var probabilities = outputs[0].GetTensorDataAsSpan<float>();
            for (int b = 0; b < n; b++) results[start + b] = probabilities.Slice(b * Classes, Classes).ToArray();
        }
        LastPadding = (useful, computed);
        return results;
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
