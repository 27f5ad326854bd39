using RnnNative.Interop.CuDnn;
using System.Numerics.Tensors;

namespace RnnNative.Tests.CuDnn;

public class SequenceStagingTests
{
    // x[n, t, c] = 100·n + 10·t + c + 1 (batch-first, N = 2, T = 3, C = 2), so every element says where it came from.
    private static Tensor<float> BatchFirst()
    {
        var data = new float[2 * 3 * 2];
        for (int n = 0; n < 2; n++)
        for (int t = 0; t < 3; t++)
        for (int c = 0; c < 2; c++)
            data[(n * 3 + t) * 2 + c] = 100 * n + 10 * t + c + 1;
        return RnnTensors.Create(data, 2, 3, 2);
    }

    [Test]
    public void StagingWritesTimeMajorWithZerosPastEachLength()
    {
        var bytes = new byte[3 * 2 * 2 * sizeof(float)];
        SequenceStaging.Stage(BatchFirst().Span, batchFirst: true, seqLen: 3, batch: 2, width: 2, lengths: [3, 1], CuDnnPrecision.F32, bytes);
        var staged = new float[12];
        Buffer.BlockCopy(bytes, 0, staged, 0, bytes.Length);
        Assert.That(staged, Is.EqualTo(new float[]
        {
            1, 2, 101, 102,   // t = 0: n = 0, n = 1
            11, 12, 0, 0,     // t = 1: sequence 1 has ended
            21, 22, 0, 0,     // t = 2
        }));
    }

    [Test]
    public void UnstagingRestoresTheCallersLayoutWithZeroPadding()
    {
        float[] timeMajor = [1, 2, 101, 102, 11, 12, 99, 99, 21, 22, 99, 99];
        var bytes = new byte[timeMajor.Length * sizeof(float)];
        Buffer.BlockCopy(timeMajor, 0, bytes, 0, bytes.Length);
        // The destination starts dirty: padded steps must be written as zeros, not left as they were.
        var result = Enumerable.Repeat(float.NaN, 12).ToArray();
        SequenceStaging.Unstage(bytes, batchFirst: true, seqLen: 3, batch: 2, width: 2, lengths: [3, 1], CuDnnPrecision.F32, result);
        Assert.That(result, Is.EqualTo(new float[] { 1, 2, 11, 12, 21, 22, 101, 102, 0, 0, 0, 0 }));

        var timeMajorResult = Enumerable.Repeat(float.NaN, 12).ToArray();
        SequenceStaging.Unstage(bytes, batchFirst: false, seqLen: 3, batch: 2, width: 2, lengths: [3, 3], CuDnnPrecision.F32, timeMajorResult);
        Assert.That(timeMajorResult, Is.EqualTo(timeMajor));
    }
}
