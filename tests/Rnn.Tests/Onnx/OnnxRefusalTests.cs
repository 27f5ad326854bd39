using RnnNative.Formats;
using RnnNative.Onnx;
using RnnNative.Onnx.Protos;

namespace RnnNative.Tests.Onnx;

/// <summary>
/// What PyTorch's equations cannot express is refused with one line naming the node and the attribute; a converted
/// model is never silently different.
/// </summary>
public sealed class OnnxRefusalTests
{
    private const string Source = "edited.onnx";

    private static string Refused(ModelProto model)
    {
        var e = Assert.Throws<FileFormatException>(() => OnnxModelImporter.Import(OnnxTestModels.Bytes(model), Source))!;
        Assert.That(e.Message, Does.StartWith(Source + ": "));
        Assert.That(e.Message, Does.Not.Contain('\n'));
        return e.Problem;
    }

    private static string RefusedWith(string caseName, Action<NodeProto> edit)
    {
        var model = OnnxTestModels.Load(caseName);
        var node = OnnxTestModels.Recurrent(model);
        edit(node);
        string problem = Refused(model);
        Assert.That(problem, Does.Contain($"node '{node.Name}'"));
        return problem;
    }

    [Test]
    public void GruWithLinearBeforeResetZero() =>
        Assert.That(RefusedWith("gru", n => OnnxTestModels.Set(n, OnnxTestModels.Int("linear_before_reset", 0))), Does.Contain("linear_before_reset = 0"));

    [Test]
    public void GruWithoutLinearBeforeResetMeansZero() =>
        Assert.That(RefusedWith("gru", n => n.Attribute.Remove(n.Attribute.First(a => a.Name == "linear_before_reset"))), Does.Contain("linear_before_reset = 0"));

    [Test]
    public void Clip() =>
        Assert.That(RefusedWith("lstm", n => OnnxTestModels.Set(n, OnnxTestModels.Float("clip", 3f))), Does.Contain("clip"));

    [Test]
    public void InputForget() =>
        Assert.That(RefusedWith("lstm", n => OnnxTestModels.Set(n, OnnxTestModels.Int("input_forget", 1))), Does.Contain("input_forget = 1"));

    [Test]
    public void Peepholes() =>
        Assert.That(RefusedWith("lstm", n => n.Input.Add(n.Input[1])), Does.Contain("peephole"));

    [Test]
    public void NonDefaultLstmActivations() =>
        Assert.That(RefusedWith("lstm", n => OnnxTestModels.Set(n, OnnxTestModels.Strings("activations", "Sigmoid", "Relu", "Tanh"))), Does.Contain("activations"));

    [Test]
    public void ActivationParameters() =>
        Assert.That(RefusedWith("gru", n => OnnxTestModels.Set(n, OnnxTestModels.Float("activation_alpha", 0.5f))), Does.Contain("activation_alpha"));

    [Test]
    public void ReverseOnlyDirection() =>
        Assert.That(RefusedWith("lstm", n => OnnxTestModels.Set(n, OnnxTestModels.String("direction", "reverse"))), Does.Contain("direction = reverse"));

    [Test]
    public void HiddenSizeContradictingR() =>
        Assert.That(RefusedWith("rnn_tanh", n => OnnxTestModels.Set(n, OnnxTestModels.Int("hidden_size", 5))), Does.Contain("hidden_size = 5"));

    [Test]
    public void WeightsComputedAtRunTime() =>
        Assert.That(RefusedWith("gru", n => n.Input[1] = "x"), Does.Contain("computed at run time"));

    [Test]
    public void DefaultActivationsWrittenOutAreAccepted()
    {
        var model = OnnxTestModels.Load("bilstm");
        OnnxTestModels.Set(OnnxTestModels.Recurrent(model), OnnxTestModels.Strings("activations", "Sigmoid", "Tanh", "Tanh", "sigmoid", "tanh", "tanh"));
        Assert.That(OnnxModelImporter.Import(OnnxTestModels.Bytes(model), Source).Layers.Single().Parameters.Spec.Bidirectional, Is.True);
    }

    [Test]
    public void ReluRnnBecomesRnnRelu()
    {
        var model = OnnxTestModels.Load("rnn_tanh");
        OnnxTestModels.Set(OnnxTestModels.Recurrent(model), OnnxTestModels.Strings("activations", "Relu"));
        Assert.That(OnnxModelImporter.Import(OnnxTestModels.Bytes(model), Source).Layers.Single().Parameters.Spec.Cell, Is.EqualTo(RnnCellKind.RnnRelu));
    }

    [Test]
    public void AGraphWithoutARecurrentHeadIsNotAReadyModelAndSaysWhy()
    {
        var import = OnnxModelImporter.Import(new OnnxGoldenCase("gru_2layers").ModelPath);
        Assert.That(import.Layers.Single().Parameters.Spec.NumLayers, Is.EqualTo(2));
        Assert.That(import.Model, Is.Null);
        Assert.That(import.WhyNotReadyModel, Does.Contain("embedding"));
    }
}
