using RnnNative.Formats;
using RnnNative.Models;
using RnnNative.Onnx;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Onnx;

/// <summary><c>rnn convert</c>: what it writes loads as our model files; bad input is one line on stderr and exit 2.</summary>
public sealed class ConvertCommandTests
{
    private static string Model(string caseName) => new OnnxGoldenCase(caseName).ModelPath;

    [Test]
    public void AnRnnGraphBecomesAnRnnModelFileWithTheSameWeights()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run("convert", Model("gru_2layers"), "--output", folder["gru.safetensors"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(result.Out, Does.Contain("not a ready model"));
        var loaded = RnnModelFile.Load(folder["gru.safetensors"]);
        var imported = OnnxModelImporter.Import(Model("gru_2layers")).Layers.Single().Parameters;
        Assert.That(loaded.Spec, Is.EqualTo(imported.Spec));
        TensorAssert.Close(loaded, imported, 0, "written");
    }

    [Test]
    public void AReadyModelGraphBecomesACheckpointThatRestores()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run("convert", Model("classifier"), "--output", folder["model.safetensors"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var config = ModelCheckpoint.ReadConfig(folder["model.safetensors"]);
        Assert.That(config, Is.EqualTo(new ModelConfig(ModelKind.Classifier, RnnCellKind.Lstm, 7, 3, 4, 3)));
        ModelCheckpoint.Restore(folder["model.safetensors"], new SequenceClassifier(config, Managed.ManagedBackend.Instance, seed: 1));
    }

    [Test]
    public void LayerOptionWritesTheRnnOfAReadyModel()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run("convert", Model("tagger"), "--output", folder["rnn.safetensors"], "--layer", "0");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(RnnModelFile.Load(folder["rnn.safetensors"]).Spec, Is.EqualTo(new RnnSpec(RnnCellKind.Gru, 3, 4, 1, bidirectional: true)));
    }

    [TestCase("missing", "file not found")]
    [TestCase("garbage", "not a valid ONNX protobuf")]
    [TestCase("layer", "--layer 3 is out of range")]
    public void BadInputIsOneLineAndExitTwo(string what, string expected)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder["garbage.onnx"], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        var args = what switch
        {
            "missing" => new[] { "convert", folder["none.onnx"], "--output", folder["o.safetensors"] },
            "garbage" => ["convert", folder["garbage.onnx"], "--output", folder["o.safetensors"]],
            _ => ["convert", Model("lstm"), "--output", folder["o.safetensors"], "--layer", "3"],
        };
        var result = CliRunner.Run(args);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Err);
        Assert.That(result.Err, Does.Contain(expected));
        Assert.That(File.Exists(folder["o.safetensors"]), Is.False);
    }
}
