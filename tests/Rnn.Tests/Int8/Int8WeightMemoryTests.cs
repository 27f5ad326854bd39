using RnnNative.Cli.Benchmarking;
using RnnNative.Interop.OneDnn;
using RnnNative.Tests.OneDnn;

namespace RnnNative.Tests.Int8;

/// <summary>
/// Weight memory of int8 against f32 at lstm-infer's sizes (input 256, hidden 512, 2 layers). The prepared s8 weights
/// (one layout, with oneDNN's compensation and the f32 bias) must take under 30% of the same weights in f32. Both
/// executors also keep the plain f32 weights as the source of every layout a new batch shape may ask for; the printed
/// lines give what each holds.
/// </summary>
[TestFixture]
public sealed class Int8WeightMemoryTests
{
    [Test]
    public void LstmInferWeightsInInt8TakeAboutAQuarterOfF32()
    {
        OneDnnTestSupport.RequireBackend();
        var config = StandardConfiguration.All.Single(c => c.Name == "lstm-infer");
        var parameters = RnnParameters.InitializeUniform(config.Spec, 5);
        var quantization = new Int8Quantization(Enumerable.Repeat(new Int8LayerQuantization(127.5f, 127.5f), config.Spec.NumLayers).ToArray());
        long weightBytes = 4L * parameters.Tensors.Where(t => t.Key.StartsWith("weight", StringComparison.Ordinal)).Sum(t => (long)t.Value.Length);
        using var int8 = (OneDnnInt8Executor)OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: quantization));

        double ratio = int8.WeightBytes / (double)int8.F32WeightBytes;
        const double MiB = 1048576.0;
        TestContext.Out.WriteLine($"lstm-infer {config.Spec}: weights and bias in f32 {int8.F32WeightBytes / MiB:F2} MiB; prepared int8 (s8 weights + compensation + f32 bias, one layout) {int8.WeightBytes / MiB:F2} MiB = {ratio:P1}");
        TestContext.Out.WriteLine($"  held per executor with one layout in use: f32 {2 * int8.F32WeightBytes / MiB:F2} MiB (plain + prepared), int8 {(int8.F32WeightBytes + int8.WeightBytes) / MiB:F2} MiB (plain f32 + s8); each further layout adds {int8.F32WeightBytes / MiB:F2} vs {int8.WeightBytes / MiB:F2} MiB");
        Assert.That(int8.F32WeightBytes, Is.GreaterThanOrEqualTo(weightBytes));
        Assert.That(ratio, Is.LessThan(0.3));
    }
}
