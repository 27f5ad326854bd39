using RnnNative.Interop.OneDnn;
using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Onnx;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Onnx;

/// <summary>
/// ONNX files exported by PyTorch, converted by <see cref="OnnxModelImporter"/> and run by our backends, against ONNX
/// Runtime's own outputs on the same files: max|a − b| ≤ 1e-5 · max(1, max|ref|) for Y, h_n and c_n.
/// </summary>
public sealed class OnnxGoldenTests
{
    private const double Tolerance = 1e-5;

    /// <summary>Case, the RNN the converter must find (input 3, hidden 4), whether x is batch-major in the exported graph.</summary>
    private static readonly (string Name, RnnCellKind Cell, int Layers, bool Bidirectional, bool BatchFirstInput)[] RnnCases =
    [
        ("lstm", RnnCellKind.Lstm, 1, false, false),
        ("gru", RnnCellKind.Gru, 1, false, false),
        ("rnn_tanh", RnnCellKind.RnnTanh, 1, false, false),
        ("bilstm", RnnCellKind.Lstm, 1, true, false),
        ("gru_2layers", RnnCellKind.Gru, 2, false, false),
        ("bilstm_2layers_opset7", RnnCellKind.Lstm, 2, true, false),
        ("lstm_batchfirst", RnnCellKind.Lstm, 1, false, true),
    ];

    public static IEnumerable<TestCaseData> Cases() =>
        from c in RnnCases
        from backend in new[] { "managed", "onednn" }
        select new TestCaseData(c.Name, new RnnSpec(c.Cell, 3, 4, c.Layers, c.Bidirectional), c.BatchFirstInput, backend).SetName($"ConvertedRnnMatchesOnnxRuntime({c.Name}, {backend})");

    [TestCaseSource(nameof(Cases))]
    public void ConvertedRnnMatchesOnnxRuntime(string name, RnnSpec spec, bool batchFirstInput, string backendName)
    {
        var backend = Backend(backendName);
        var golden = new OnnxGoldenCase(name);
        var import = OnnxModelImporter.Import(golden.ModelPath);
        Assert.That(import.Layers, Has.Count.EqualTo(1), "one (stacked) RNN");
        var parameters = import.Layers[0].Parameters;
        Assert.That(parameters.Spec, Is.EqualTo(spec));

        var input = new RnnInput(golden.Float("input_x.npy"), null, golden.OptionalFloat("input_h0.npy"), golden.OptionalFloat("input_c0.npy"), batchFirstInput);
        using var executor = backend.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.F32));
        using var result = executor.Forward(input);
        TensorAssert.Close(result.Output, golden.Float("ort_y.npy"), Tolerance, $"{name} Y");
        TensorAssert.Close(result.Hidden, golden.Float("ort_hn.npy"), Tolerance, $"{name} h_n");
        if (golden.Has("ort_cn.npy")) TensorAssert.Close(result.Cell, golden.Float("ort_cn.npy"), Tolerance, $"{name} c_n");
    }

    [TestCase("classifier", ModelKind.Classifier, "managed")]
    [TestCase("classifier", ModelKind.Classifier, "onednn")]
    [TestCase("tagger", ModelKind.Tagger, "managed")]
    [TestCase("tagger", ModelKind.Tagger, "onednn")]
    public void ConvertedReadyModelMatchesOnnxRuntime(string name, ModelKind kind, string backendName)
    {
        var backend = Backend(backendName);
        var golden = new OnnxGoldenCase(name);
        var import = OnnxModelImporter.Import(golden.ModelPath);
        Assert.That(import.Model, Is.Not.Null, import.WhyNotReadyModel);
        Assert.That(import.Model!.Config.Kind, Is.EqualTo(kind));

        // Through the file format, as rnn convert writes it and rnn predict reads it.
        string path = Path.Combine(Path.GetTempPath(), $"onnx-golden-{name}-{backendName}-{Environment.ProcessId}.safetensors");
        try
        {
            RnnNative.Formats.SafetensorsWriter.Write(path, import.Model.Tensors, import.Model.Config.ToMetadata());
            var config = ModelCheckpoint.ReadConfig(path);
            Assert.That(config, Is.EqualTo(import.Model.Config));
            var tokens = golden.Int32("input_tokens.npy");
            int steps = tokens.Shape[0], batch = tokens.Shape[1];
            var sequences = Enumerable.Range(0, batch).Select(n => (IReadOnlyList<int>)Enumerable.Range(0, steps).Select(t => tokens.Data[t * batch + n]).ToList()).ToList();
            var tokenBatch = TokenBatch.FromSequences(sequences);
            var expected = golden.Float("ort_logits.npy");
            Tensor<float> logits;
            if (kind == ModelKind.Classifier)
            {
                var model = new SequenceClassifier(config, backend, seed: 1);
                ModelCheckpoint.Restore(path, model);
                logits = model.Logits(tokenBatch);
            }
            else
            {
                var model = new SequenceTagger(config, backend, seed: 1);
                ModelCheckpoint.Restore(path, model);
                logits = model.Logits(tokenBatch).Logits;
            }
            TensorAssert.Close(RnnTensors.Create(logits.Span.ToArray(), expected.Shape.ToArray()), expected, Tolerance, $"{name} logits");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Layout1LstmGivesPyTorchsOwnWeights()
    {
        var golden = new OnnxGoldenCase("layout1_lstm");
        var import = OnnxModelImporter.Import(Path.Combine(golden.Folder, "layout1.onnx"));
        var layer = import.Layers.Single();
        Assert.That(layer.BatchFirst, Is.True);
        foreach (var name in new[] { "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0" })
            Assert.That(layer.Parameters[name].Span.ToArray(), Is.EqualTo(golden.Float($"torch_{name}.npy").Span.ToArray()), name);
    }

    private static IRnnBackend Backend(string name)
    {
        if (name == "managed") return ManagedBackend.Instance;
        var availability = OneDnnBackend.Instance.Availability;
        if (!availability.IsAvailable) Assert.Ignore($"oneDNN backend unavailable here: {availability.Reason}");
        return OneDnnBackend.Instance;
    }
}
