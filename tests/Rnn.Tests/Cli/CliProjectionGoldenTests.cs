using RnnNative.Formats;
using RnnNative.Tests.Golden;
using RnnNative.Validation;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Cli;

/// <summary>
/// <c>rnn forward</c> and <c>rnn backward</c> on PyTorch's own LSTM-with-projection files (tests/golden/projections):
/// the model file, inputs and output gradients exactly as PyTorch wrote them, and every result the CLI writes within
/// <see cref="ValidationTolerance.ReferenceAgainstPyTorch"/> of PyTorch's float64 results.
/// </summary>
public class CliProjectionGoldenTests
{
    private TempFolder _files = null!;

    [SetUp]
    public void CreateFolder() => _files = new TempFolder();

    [TearDown]
    public void DeleteFolder() => _files.Dispose();

    public static IEnumerable<TestCaseData> Cases() =>
        GoldenCase.Names().Where(n => n.StartsWith("projections/", StringComparison.Ordinal)).Select(n => new TestCaseData(n).SetName($"{{m}}({n})"));

    [Test]
    public void ThereAreProjectionCases() => Assert.That(Cases().Count(), Is.GreaterThanOrEqualTo(4));

    [TestCaseSource(nameof(Cases))]
    public void ForwardAndBackwardReproducePyTorch(string name)
    {
        var golden = GoldenCase.Load(name);
        Assert.That(golden.Inputs.Parameters.Spec.HasProjection, name);
        string dir = Path.Combine(GoldenCase.Root, name);
        string In(string file) => Path.Combine(dir, file);
        var common = new List<string> { "--model", In("model.safetensors"), "--input", In("x.npy"), "--lengths", In("lengths.npy"), "--backend", "managed" };
        if (golden.Inputs.Input.BatchFirst) common.Add("--batch-first");
        if (File.Exists(In("h0.npy"))) common.AddRange(["--h0", In("h0.npy"), "--c0", In("c0.npy")]);

        var forward = CliRunner.Run(["forward", .. common, "--output", _files["y.npy"], "--hn", _files["hn.npy"], "--cn", _files["cn.npy"]]);
        Assert.That(forward.ExitCode, Is.Zero, forward.Err);
        var backward = CliRunner.Run(["backward", .. common,
            "--grad-output", In("dy.npy"), "--grad-hn", In("dhn.npy"), "--grad-cn", In("dcn.npy"),
            "--grad-input", _files["dx.npy"], "--grad-h0", _files["dh0.npy"], "--grad-c0", _files["dc0.npy"], "--grad-weights", _files["g.safetensors"]]);
        Assert.That(backward.ExitCode, Is.Zero, backward.Err);

        var gradients = new RnnGradients(Read("dx.npy"), Read("dh0.npy"), Read("dc0.npy"), RnnModelFile.Load(_files["g.safetensors"]));
        var actual = new RnnRunResult(Read("y.npy"), Read("hn.npy"), Read("cn.npy"), gradients);
        var comparisons = golden.Expected.CompareWith(actual, ValidationTolerance.ReferenceAgainstPyTorch);
        Assert.That(comparisons.Where(c => !c.Passed).Select(c => c.ToString()), Is.Empty, golden.Description);
        Assert.That(comparisons.Select(c => c.Name), Has.Some.Contains("weight_hr"), "weight_hr's gradient is compared");
    }

    private Tensor<float> Read(string file) => NpyReader.ReadFloat32(_files[file]);
}
