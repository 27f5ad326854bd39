using RnnNative.Interop.OneDnn;
using RnnNative.Managed;
using RnnNative.Tests.OneDnn;
using RnnNative.Validation;

namespace RnnNative.Tests.Int8;

[TestFixture]
public sealed class OneDnnInt8Tests
{
    [SetUp]
    public void RequireBackend() => OneDnnTestSupport.RequireBackend();

    private static readonly ValidationCase[] Cases =
    [
        new("i01", RnnCellKind.Lstm, 2, true, 12, 20, 5, 7, LengthPattern.DistinctUnsorted, true, true, true, RnnMode.Inference, 11),
        new("i02", RnnCellKind.Lstm, 3, false, 30, 7, 5, 50, LengthPattern.OneAndFull, false, true, false, RnnMode.Inference, 12),
        new("i03", RnnCellKind.Lstm, 1, true, 16, 512, 5, 7, LengthPattern.AllEqual, true, false, false, RnnMode.Inference, 13),
        new("i04", RnnCellKind.Lstm, 1, false, 1, 8, 64, 7, LengthPattern.WithTies, false, true, true, RnnMode.Inference, 14),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Int8MatchesTheReferenceWithinTheQuantizationBound(ValidationCase validationCase)
    {
        var result = ValidationRunner.RunInt8Case(OneDnnBackend.Instance, validationCase);
        Assert.That(result.Passed, Is.True, result.FailureReason ?? string.Join("; ", result.Comparisons));
    }

    // The bound must be tight enough to catch a calibration that is off: a scale 4x too large saturates three quarters
    // of the range; a shift of 0 for a range around 0 saturates every negative value to 0. (A wrong shift alone is
    // still a self-consistent quantization, since oneDNN dequantizes with the same shift: it only moves the range.)
    [TestCase(4f, 0f)]
    [TestCase(1f, -255f)]
    public void AWrongCalibrationFailsTheBound(float scaleFactor, float shiftOffset)
    {
        var result = ValidationRunner.RunInt8Case(new MiscalibratingBackend(scaleFactor, shiftOffset), Cases[0]);
        Assert.That(result.Error, Is.Null, "the miscalibrated run itself must work");
        Assert.That(result.Passed, Is.False, string.Join("; ", result.Comparisons));
    }

    [Test]
    public void TheCorrectCalibrationPassesThroughTheSameWrapper()
    {
        var result = ValidationRunner.RunInt8Case(new MiscalibratingBackend(1f, 0f), Cases[0]);
        Assert.That(result.Passed, Is.True, result.FailureReason ?? string.Join("; ", result.Comparisons));
    }

    [Test]
    public void TheRunnerValidatesOnlyLstmInferenceInInt8()
    {
        var output = new StringWriter();
        var summary = ValidationRunner.Run(OneDnnBackend.Instance, RnnPrecision.Int8, ValidationGrid.Smoke, output);
        int expected = ValidationGrid.Smoke.Count(c => c.Cell == RnnCellKind.Lstm && c.Mode == RnnMode.Inference);
        Assert.That(expected, Is.GreaterThan(0));
        Assert.That((summary.Passed, summary.Failed), Is.EqualTo((expected, 0)), output.ToString());
        Assert.That(output.ToString(), Does.Contain("ValidationTolerance.Int8"));
    }

    [Test]
    public void WeightsTakeAboutAQuarterOfTheirF32Memory()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 256, 256, 2, true);
        var parameters = RnnParameters.InitializeUniform(spec, 3);
        var quantization = new Int8Quantization([new(127.5f, 127.5f), new(127.5f, 127.5f)]);
        using var executor = (OneDnnInt8Executor)OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: quantization));
        long f32 = RnnParameterInfo.Enumerate(spec).Where(i => i.Kind is RnnParameterKind.WeightIh or RnnParameterKind.WeightHh).Sum(i => 4L * i.ElementCount);
        Assert.That(executor.WeightBytes, Is.LessThan(f32 * 0.3), $"int8 {executor.WeightBytes} bytes, f32 weights {f32} bytes");
        Assert.That(executor.F32WeightBytes, Is.GreaterThanOrEqualTo(f32));
    }

    [Test]
    public void CallsFromSeveralThreadsGiveTheSameResultAsOneAtATime()
    {
        var validationCase = Cases[0];
        var inputs = validationCase.CreateInputs();
        var quantization = Int8Calibration.Calibrate(inputs.Parameters, inputs.Input);
        using var executor = OneDnnBackend.Instance.CreateExecutor(inputs.Parameters, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: quantization));
        using var serial = executor.Forward(inputs.Input);
        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var r = executor.Forward(inputs.Input);
            results[i] = r.Output.Span.ToArray();
        });
        foreach (var r in results) Assert.That(r, Is.EqualTo(serial.Output.Span.ToArray()));
    }

    [Test]
    public void GruAndVanillaRnnAreRefusedNamingTheCellAndWhatWorks()
    {
        foreach (var cell in new[] { RnnCellKind.Gru, RnnCellKind.RnnTanh })
        {
            var parameters = RnnParameters.InitializeUniform(new RnnSpec(cell, 3, 4), 1);
            var e = Assert.Throws<NotSupportedException>(() => OneDnnBackend.Instance.CreateExecutor(parameters,
                new RnnExecutorOptions(RnnPrecision.Int8, Quantization: new Int8Quantization([new(100f, 128f)]))));
            Assert.That(e!.Message, Does.Contain(cell.ToModeName()).And.Contain("LSTM").And.Contain("f32"));
        }
    }

    [Test]
    public void TrainingAndMissingCalibrationAreRefusedWithWhatToDo()
    {
        var parameters = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 3, 4), 1);
        var e = Assert.Throws<InvalidOperationException>(() => OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Int8)));
        Assert.That(e!.Message, Does.Contain("rnn calibrate"));
        var wrongLayers = Assert.Throws<ArgumentException>(() => OneDnnBackend.Instance.CreateExecutor(parameters,
            new RnnExecutorOptions(RnnPrecision.Int8, Quantization: new Int8Quantization([new(1f, 0f), new(1f, 0f)]))));
        Assert.That(wrongLayers!.Message, Does.Contain("2 layer(s)"));

        using var executor = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: new Int8Quantization([new(100f, 128f)])));
        var input = new RnnInput(RnnTensors.Zeros(2, 1, 3));
        var training = Assert.Throws<NotSupportedException>(() => executor.Forward(input, RnnMode.Training));
        Assert.That(training!.Message, Does.Contain("inference only"));
    }

    [Test]
    public void OtherBackendsRefuseInt8()
    {
        Assert.That(ManagedBackend.Instance.Supports(RnnPrecision.Int8), Is.False);
        Assert.That(RnnNative.Interop.CuDnn.CuDnnBackend.Instance.Supports(RnnPrecision.Int8), Is.False);
        var parameters = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 3, 4), 1);
        var e = Assert.Throws<RnnBackendUnavailableException>(() => ManagedBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Int8)));
        Assert.That(e!.Message, Does.Contain("onednn"));
    }

    [Test]
    public void TheShimValidatesInt8Inputs()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 4);
        var parameters = RnnParameters.InitializeUniform(spec, 1);
        Assert.Throws<ArgumentException>(() => new Int8Quantization([new(0f, 10f)]));
        Assert.Throws<ArgumentException>(() => new Int8Quantization([new(1f, 300f)]));
        using var executor = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: new Int8Quantization([new(100f, 128f)])));
        Assert.Throws<ArgumentException>(() => executor.Forward(new RnnInput(RnnTensors.Zeros(2, 1, 5))));
        unsafe
        {
            using var garbage = new OneDnnInt8ExecutorHandle(new IntPtr(0x1234), ownsHandle: false);
            var status = OneDnnInt8Native.Forward(garbage, null);
            Assert.That(status, Is.EqualTo(NativeStatus.InvalidArgument));
            Assert.That(OneDnnNative.LastError(), Does.Contain("int8 executor handle is not live"));
        }
    }
}
