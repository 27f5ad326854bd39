using RnnNative.Formats;
using RnnNative.Interop.OneDnn;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.Errors;

/// <summary>An argument error names the argument of the method the caller called, never a helper's own parameter.</summary>
public class ArgumentNameTests
{
    private static readonly RnnParameters TwoLayers = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 3, 4, numLayers: 2), 1);
    private static readonly Int8Quantization OneLayer = new([new(100f, 128f)]);

    [Test]
    public void AQuantizationForAnotherModelNamesTheExecutorOptions()
    {
        RequireBackend();
        var e = Assert.Throws<ArgumentException>(() =>
            OneDnnBackend.Instance.CreateExecutor(TwoLayers, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: OneLayer)));
        Assert.That(e!.ParamName, Is.EqualTo("options"));
    }

    [Test]
    public void SavingAQuantizationForAnotherModelNamesTheQuantization()
    {
        string path = Path.Combine(Path.GetTempPath(), $"never-written-{Guid.NewGuid():N}.safetensors");
        var e = Assert.Throws<ArgumentException>(() => RnnModelFile.Save(path, TwoLayers, OneLayer));
        Assert.That((e!.ParamName, File.Exists(path)), Is.EqualTo(("quantization", false)));
    }

    [TestCase(0f, 128f)]
    [TestCase(1f, 300f)]
    public void AnInvalidLayerNamesTheLayersArgument(float scale, float shift)
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new Int8Quantization([new(1f, 0f), new(scale, shift)]));
        Assert.That(e!.ParamName, Is.EqualTo("layers"));
        Assert.That(e.Message, Does.Contain("int8 layer 1"));
    }
}
