using RnnNative.Cli;
using RnnNative.Formats;
using RnnNative.Interop.OneDnn;
using RnnNative.Tests.Cli;
using RnnNative.Tests.OneDnn;

namespace RnnNative.Tests.Int8;

/// <summary><c>rnn calibrate</c>, then <c>rnn forward --precision int8</c> and <c>rnn bench --precision int8</c>, end to end.</summary>
public sealed class CliInt8Tests
{
    private TempFolder _files = null!;

    [SetUp]
    public void CreateFolder() => _files = new TempFolder();

    [TearDown]
    public void DeleteFolder() => _files.Dispose();

    [Test]
    public void CalibrateWritesTheQuantizationThatForwardInt8Uses()
    {
        OneDnnTestSupport.RequireBackend();
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 5, 2, bidirectional: true);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 4);
        string model = _files["m.safetensors"];
        RnnModelFile.Save(model, parameters);
        var x = OneDnnTestSupport.Random(new Random(3), 6, 4, 3);
        string xPath = _files["x.npy"];
        NpyWriter.Write(xPath, x);

        var noCalibration = CliRunner.Run("forward", "--model", model, "--input", xPath, "--output", _files["y.npy"], "--backend", "onednn", "--precision", "int8");
        Assert.That(noCalibration.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(noCalibration.Err, Does.Contain("rnn calibrate"));

        var calibrate = CliRunner.Run("calibrate", "--model", model, "--input", xPath);
        Assert.That(calibrate.ExitCode, Is.EqualTo(ExitCodes.Success), calibrate.Err);
        string calibrated = _files["m.int8.safetensors"];
        var expected = Int8Calibration.Calibrate(parameters, new RnnInput(x));
        Assert.That(RnnModelFile.LoadInt8Quantization(calibrated), Is.EqualTo(expected));

        var forward = CliRunner.Run("forward", "--model", calibrated, "--input", xPath, "--output", _files["y.npy"], "--backend", "onednn", "--precision", "int8");
        Assert.That(forward.ExitCode, Is.EqualTo(ExitCodes.Success), forward.Err);
        using var executor = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: expected));
        using var direct = executor.Forward(new RnnInput(x));
        Assert.That(NpyReader.ReadFloat32(_files["y.npy"]).Span.ToArray(), Is.EqualTo(direct.Output.Span.ToArray()));
    }

    [Test]
    public void CalibrateRefusesAGruModel()
    {
        string model = _files["g.safetensors"];
        RnnModelFile.Save(model, RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Gru, 3, 5), seed: 4));
        NpyWriter.Write(_files["x.npy"], RnnTensors.Zeros(2, 1, 3));
        var run = CliRunner.Run("calibrate", "--model", model, "--input", _files["x.npy"]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(run.ErrLines, Has.Length.EqualTo(1));
        Assert.That(run.Err, Does.Contain("gru").And.Contain("LSTM"));
    }

    [Test]
    public void BenchInt8CalibratesOnItsInputAndSaysSo()
    {
        OneDnnTestSupport.RequireBackend();
        var run = CliRunner.Run("bench", "--mode", "lstm", "--input-size", "8", "--hidden-size", "8", "--layers", "1", "--batch", "2", "--seq-len", "3",
            "--backend", "onednn", "--precision", "int8", "--seconds", "0.05");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Err);
        Assert.That(run.Out, Does.Contain("calibrated").And.Contain("bench input"));
        var gru = CliRunner.Run("bench", "--mode", "gru", "--input-size", "8", "--hidden-size", "8", "--layers", "1", "--batch", "2", "--seq-len", "3",
            "--backend", "onednn", "--precision", "int8", "--seconds", "0.05");
        Assert.That(gru.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(gru.Err, Does.Contain("gru").And.Contain("LSTM"));
        var train = CliRunner.Run("bench", "--mode", "lstm", "--input-size", "8", "--hidden-size", "8", "--layers", "1", "--batch", "2", "--seq-len", "3",
            "--backend", "onednn", "--precision", "int8", "--seconds", "0.05", "--train");
        Assert.That(train.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(train.Err, Does.Contain("inference only"));
    }
}
