using RnnNative.Formats;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Formats;

/// <summary>The model file: safetensors with PyTorch names and configuration metadata, or a bare state_dict whose configuration is inferred.</summary>
public class RnnModelFileTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), $"rnn-model-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>What <c>safetensors.torch.save_file(rnn.state_dict(), path)</c> writes: tensors only, no metadata.</summary>
    private string WriteStateDict(RnnSpec spec, string name = "state_dict.safetensors")
    {
        string path = PathOf(name);
        SafetensorsWriter.Write(path, RnnParameters.InitializeUniform(spec, seed: 3).Tensors);
        return path;
    }

    public static IEnumerable<RnnSpec> Specs()
    {
        yield return new RnnSpec(RnnCellKind.Lstm, 3, 4, 3, bidirectional: true);
        yield return new RnnSpec(RnnCellKind.Gru, 1, 1);
        yield return new RnnSpec(RnnCellKind.RnnTanh, 5, 2, 2);
        yield return new RnnSpec(RnnCellKind.RnnRelu, 2, 3, 1, bidirectional: true, hasBias: false);
        yield return new RnnSpec(RnnCellKind.Lstm, 3, 5, 2, bidirectional: true, projectionSize: 2);
        yield return new RnnSpec(RnnCellKind.Lstm, 2, 4, 1, hasBias: false, projectionSize: 1);
    }

    [TestCaseSource(nameof(Specs))]
    public void SaveThenLoadKeepsSpecAndWeights(RnnSpec spec)
    {
        var parameters = RnnParameters.InitializeUniform(spec, seed: 11);
        string path = PathOf("model.safetensors");
        RnnModelFile.Save(path, parameters);

        var loaded = RnnModelFile.Load(path);
        Assert.That(loaded.Spec, Is.EqualTo(spec));
        foreach (var (name, tensor) in parameters.Tensors)
            Assert.That(loaded[name].Span.ToArray(), Is.EqualTo(tensor.Span.ToArray()), name);
        Assert.That(SafetensorsReader.Read(path).Metadata[RnnModelFile.ModeKey], Is.EqualTo(spec.Cell.ToModeName()));
    }

    [Test]
    public void InfersLstmAndGruFromABareStateDict()
    {
        var lstm = new RnnSpec(RnnCellKind.Lstm, 3, 4, 3, bidirectional: true);
        Assert.That(RnnModelFile.Load(WriteStateDict(lstm)).Spec, Is.EqualTo(lstm));
        var gru = new RnnSpec(RnnCellKind.Gru, 7, 2, 1, hasBias: false);
        Assert.That(RnnModelFile.Load(WriteStateDict(gru, "gru.safetensors")).Spec, Is.EqualTo(gru));
    }

    [Test]
    public void AVanillaRnnWithoutMetadataAsksForTheMode()
    {
        string path = WriteStateDict(new RnnSpec(RnnCellKind.RnnRelu, 2, 3));
        var e = Assert.Throws<ArgumentException>(() => RnnModelFile.Load(path))!;
        Assert.That(e.Message, Does.Contain("--mode").And.Contain(path));
        Assert.That(RnnModelFile.Load(path, RnnCellKind.RnnRelu).Spec, Is.EqualTo(new RnnSpec(RnnCellKind.RnnRelu, 2, 3)));
    }

    [Test]
    public void AModeThatContradictsTheFileIsRefused()
    {
        string path = PathOf("gru.safetensors");
        RnnModelFile.Save(path, RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Gru, 2, 3), 1));
        Assert.That(Assert.Throws<ArgumentException>(() => RnnModelFile.Load(path, RnnCellKind.Lstm))!.Message, Does.Contain("contradicts"));

        string bare = WriteStateDict(new RnnSpec(RnnCellKind.Lstm, 2, 3));
        Assert.That(Assert.Throws<FileFormatException>(() => RnnModelFile.Load(bare, RnnCellKind.Gru))!.Problem, Does.Contain("gate block"));
    }

    [TestCase(RnnModelFile.HiddenSizeKey, "8", "hidden=8")]
    [TestCase(RnnModelFile.InputSizeKey, "9", "weight_ih_l0")]
    [TestCase(RnnModelFile.NumLayersKey, "1000000", "describe 2 layer")]
    [TestCase(RnnModelFile.NumLayersKey, "two", "positive integer")]
    [TestCase(RnnModelFile.BidirectionalKey, "true", "missing")]
    [TestCase(RnnModelFile.BidirectionalKey, "yes", "true or false")]
    [TestCase(RnnModelFile.HiddenSizeKey, "1073741824", "too large")]
    [TestCase(RnnModelFile.ModeKey, "transformer", "not one of")]
    [TestCase(RnnModelFile.ModeKey, "gru", "gate block")]
    public void MetadataThatContradictsTheTensorsIsAFormatError(string key, string value, string problem)
    {
        var parameters = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 3, 4, 2), 5);
        var metadata = new Dictionary<string, string>(RnnModelFile.MetadataFor(parameters.Spec)) { [key] = value };
        string path = PathOf("forged.safetensors");
        SafetensorsWriter.Write(path, parameters.Tensors, metadata);
        var e = Assert.Throws<FileFormatException>(() => RnnModelFile.Load(path))!;
        Assert.That(e.Problem, Does.Contain(problem));
        Assert.That(e.File, Is.EqualTo(path));
    }

    [Test]
    public void WrongTensorSetsAreFormatErrors()
    {
        var parameters = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Gru, 3, 4, 2), 5);
        var tensors = parameters.Tensors.ToDictionary();

        Assert.That(Load(tensors.Where(kv => kv.Key != "bias_hh_l1")).Problem, Does.Contain("bias_hh_l1").And.Contain("missing"));
        Assert.That(Load(tensors.Select(kv => new KeyValuePair<string, Tensor<float>>("rnn." + kv.Key, kv.Value))).Problem, Does.Contain("unexpected tensor 'rnn."));
        Assert.That(Load(tensors.Append(new("weight_ih_l999999", RnnTensors.Create([1f], 1)))).Problem, Does.Contain("layer 2 are missing"));
        Assert.That(Load(tensors.Where(kv => kv.Key != "weight_hh_l0")).Problem, Does.Contain("no tensor 'weight_hh_l0'"));
        Assert.That(Load([]).Problem, Does.Contain("found: none"));
        var badShape = new Dictionary<string, Tensor<float>>(tensors) { ["weight_hh_l1"] = RnnTensors.Create(new float[12 * 5], 12, 5) };
        Assert.That(Load(badShape).Problem, Does.Contain("weight_hh_l1").And.Contain("(12, 5)"));
        var notMatrix = new Dictionary<string, Tensor<float>>(tensors) { ["weight_hh_l0"] = RnnTensors.Create(new float[12], 12) };
        Assert.That(Load(notMatrix).Problem, Does.Contain("weight_hh_l0 has shape (12)"));
    }

    [Test]
    public void ProjectionSizeIsInferredFromABareStateDict()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 6, 2, bidirectional: true, projectionSize: 4);
        var loaded = RnnModelFile.Load(WriteStateDict(spec));
        Assert.That(loaded.Spec, Is.EqualTo(spec));
        Assert.That(loaded["weight_hr_l1_reverse"].Shape.ToArray(), Is.EqualTo(new[] { 4, 6 }));
        Assert.That(loaded["weight_hh_l1"].Shape.ToArray(), Is.EqualTo(new[] { 24, 4 }));
        Assert.That(loaded["weight_ih_l1"].Shape.ToArray(), Is.EqualTo(new[] { 24, 8 }), "layer 1 reads 2·P");
        Assert.That(RnnModelFile.MetadataFor(spec)[RnnModelFile.ProjSizeKey], Is.EqualTo("4"));
        Assert.That(RnnModelFile.MetadataFor(new RnnSpec(RnnCellKind.Lstm, 3, 6)).ContainsKey(RnnModelFile.ProjSizeKey), Is.False,
            "files without a projection stay as before");
    }

    [Test]
    public void ProjectionFilesThatDoNotAddUpAreFormatErrors()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 6, 2, projectionSize: 4);
        var parameters = RnnParameters.InitializeUniform(spec, 5);
        var tensors = parameters.Tensors.ToDictionary();

        Assert.That(Load(tensors.Where(kv => kv.Key != "weight_hr_l1")).Problem, Does.Contain("weight_hr_l1").And.Contain("missing"));
        Assert.That(Load(tensors.Where(kv => kv.Key != "weight_hr_l0")).Problem, Does.Contain("weight_hh_l0"));
        var wrongHh = new Dictionary<string, Tensor<float>>(tensors) { ["weight_hh_l0"] = RnnTensors.Create(new float[24 * 6], 24, 6) };
        Assert.That(Load(wrongHh).Problem, Does.Contain("weight_hh_l0").And.Contain("(4·6, 4)"));
        var notSmaller = new Dictionary<string, Tensor<float>>(tensors)
        {
            ["weight_hr_l0"] = RnnTensors.Create(new float[36], 6, 6), ["weight_hr_l1"] = RnnTensors.Create(new float[36], 6, 6),
            ["weight_hh_l0"] = RnnTensors.Create(new float[24 * 6], 24, 6), ["weight_hh_l1"] = RnnTensors.Create(new float[24 * 6], 24, 6),
            ["weight_ih_l1"] = RnnTensors.Create(new float[24 * 6], 24, 6),
        };
        Assert.That(Load(notSmaller).Problem, Does.Contain("proj_size must be smaller than hidden_size"));
        var gruShapes = new RnnSpec(RnnCellKind.Gru, 3, 6);
        var gru = RnnParameters.InitializeUniform(gruShapes, 1).Tensors.ToDictionary();
        gru["weight_hr_l0"] = RnnTensors.Create(new float[12], 2, 6);
        gru["weight_hh_l0"] = RnnTensors.Create(new float[18 * 2], 18, 2);
        Assert.That(Load(gru).Problem, Does.Contain("Only an LSTM has projections"));

        var metadata = new Dictionary<string, string>(RnnModelFile.MetadataFor(spec)) { [RnnModelFile.ProjSizeKey] = "3" };
        string path = PathOf("forged.safetensors");
        SafetensorsWriter.Write(path, parameters.Tensors, metadata);
        Assert.That(Assert.Throws<FileFormatException>(() => RnnModelFile.Load(path))!.Problem, Does.Contain("proj_size = 3").And.Contain("(4, 6)"));
        var plain = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 3, 6), 2);
        SafetensorsWriter.Write(path, plain.Tensors, new Dictionary<string, string>(RnnModelFile.MetadataFor(plain.Spec)) { [RnnModelFile.ProjSizeKey] = "2" });
        Assert.That(Assert.Throws<FileFormatException>(() => RnnModelFile.Load(path))!.Problem, Does.Contain("no weight_hr_l0"));
        SafetensorsWriter.Write(path, plain.Tensors, new Dictionary<string, string>(RnnModelFile.MetadataFor(plain.Spec)) { [RnnModelFile.ProjSizeKey] = "0" });
        Assert.That(RnnModelFile.Load(path).Spec, Is.EqualTo(plain.Spec), "proj_size = 0 is PyTorch's no projection");
    }

    private FileFormatException Load(IEnumerable<KeyValuePair<string, Tensor<float>>> tensors)
    {
        string path = PathOf($"{Guid.NewGuid():N}.safetensors");
        SafetensorsWriter.Write(path, tensors);
        return Assert.Throws<FileFormatException>(() => RnnModelFile.Load(path))!;
    }
}
