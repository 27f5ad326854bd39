using RnnNative.Formats;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Int8;

[TestFixture]
public sealed class Int8CalibrationTests
{
    [Test]
    public void ARangeMapsOntoAllCodesAndAlwaysIncludesZero()
    {
        var q = Int8LayerQuantization.FromRange(-1, 1);
        Assert.That(q.Scale, Is.EqualTo(127.5f));
        Assert.That(q.Shift, Is.EqualTo(127.5f));
        var positive = Int8LayerQuantization.FromRange(2, 5.1); // widened to [0, 5.1]
        Assert.That(positive.Scale, Is.EqualTo(50f).Within(1e-5));
        Assert.That(positive.Shift, Is.EqualTo(0f));
        Assert.That(positive.Max, Is.EqualTo(5.1).Within(1e-5));
        Assert.Throws<ArgumentException>(() => Int8LayerQuantization.FromRange(double.NaN, 1));
    }

    [Test]
    public void LayerZeroTakesTheInputRangeAtLiveStepsAndUpperLayersStayInsideTanhRange()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 2, 3, 2);
        var parameters = RnnParameters.InitializeUniform(spec, 5);
        // Batch-first (N=2, T=2, I=2); sequence 1 has length 1, so its padded step (holding 9 and -9) is not data.
        var x = RnnTensors.Create([0.5f, -0.25f, 2.0f, 0.0f, -1.5f, 1.0f, 9f, -9f], 2, 2, 2);
        var q = Int8Calibration.Calibrate(parameters, new RnnInput(x, [2, 1], BatchFirst: true));
        // Layer 0 saw [-1.5, 2] in x and h in (-1, 1): its range is [-1.5, 2] unless h went beyond, which it cannot.
        Assert.That(q.Layers[0].Min, Is.EqualTo(-1.5).Within(1e-5));
        Assert.That(q.Layers[0].Max, Is.EqualTo(2.0).Within(1e-5));
        Assert.That(q.Layers[1].Min, Is.GreaterThan(-1).And.LessThan(0));
        Assert.That(q.Layers[1].Max, Is.LessThan(1).And.GreaterThan(0));
    }

    [Test]
    public void OnlyLstmCanBeCalibrated()
    {
        var parameters = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Gru, 2, 3), 5);
        var e = Assert.Throws<NotSupportedException>(() => Int8Calibration.Calibrate(parameters, new RnnInput(RnnTensors.Zeros(1, 1, 2))));
        Assert.That(e!.Message, Does.Contain("gru"));
    }

    [Test]
    public void TheQuantizationRoundTripsThroughTheModelFileMetadata()
    {
        using var folder = new TempFolder();
        var spec = new RnnSpec(RnnCellKind.Lstm, 2, 3, 2, true);
        var parameters = RnnParameters.InitializeUniform(spec, 5);
        var q = new Int8Quantization([new(71.25f, 100.5f), new(127.49f, 127.51f)]);
        string path = folder["m.int8.safetensors"];
        RnnModelFile.Save(path, parameters, q);
        Assert.That(RnnModelFile.LoadInt8Quantization(path), Is.EqualTo(q));
        Assert.That(RnnModelFile.Load(path).Spec, Is.EqualTo(spec));

        string plain = folder["m.safetensors"];
        RnnModelFile.Save(plain, parameters);
        Assert.That(RnnModelFile.LoadInt8Quantization(plain), Is.Null);
    }

    [Test]
    public void APartialOrMalformedQuantizationInAFileIsAnError()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 2, 3, 2);
        var metadata = new Dictionary<string, string>(RnnModelFile.MetadataFor(spec))
        {
            [RnnModelFile.Int8ScaleKey(0)] = "10", [RnnModelFile.Int8ShiftKey(0)] = "128",
        };
        var e = Assert.Throws<FileFormatException>(() => RnnModelFile.Int8QuantizationFrom(metadata, spec, "m"));
        Assert.That(e!.Message, Does.Contain("int8.layer1.scale"));
        metadata[RnnModelFile.Int8ScaleKey(1)] = "-3";
        metadata[RnnModelFile.Int8ShiftKey(1)] = "0";
        Assert.Throws<FileFormatException>(() => RnnModelFile.Int8QuantizationFrom(metadata, spec, "m"));
        metadata[RnnModelFile.Int8ScaleKey(1)] = "3";
        metadata["int8.layer7.scale"] = "3";
        Assert.Throws<FileFormatException>(() => RnnModelFile.Int8QuantizationFrom(metadata, spec, "m"));
    }
}
