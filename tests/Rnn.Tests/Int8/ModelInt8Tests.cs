using RnnNative.Cli;
using RnnNative.Formats;
using RnnNative.Inference;
using RnnNative.Interop.OneDnn;
using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Tests.Cli;
using RnnNative.Tests.Golden;
using RnnNative.Tests.OneDnn;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Int8;

/// <summary>
/// Whole models in int8: the LSTM of a classifier (the PyTorch golden one, a plain state_dict) calibrated from token
/// records, stored under rnn.int8.* in the file, and run by the batch engine with the embedding and head in f32.
/// </summary>
[TestFixture]
public sealed class ModelInt8Tests
{
    private TempFolder _files = null!;

    [SetUp]
    public void CreateFolder() => _files = new TempFolder();

    [TearDown]
    public void DeleteFolder() => _files.Dispose();

    /// <summary>The golden classifier's first 100 records calibrate; agreement is measured on all 300.</summary>
    private static List<int[]> CalibrationSample() => GoldenSequences().Take(100).ToList();

    private static List<int[]> GoldenSequences() => PredictGolden.Records(PredictGolden.ClassifierInput).Select(r => r.Tokens!).ToList();

    private string CalibratedGoldenClassifier()
    {
        string output = _files["classifier.int8.safetensors"];
        Int8ModelCalibration.CalibrateFile(PredictGolden.ClassifierModel, CalibrationSample(), output);
        return output;
    }

    [Test]
    public async Task TheGoldenClassifierAgreesWithF32OnAtLeast99PercentOfRecords()
    {
        OneDnnTestSupport.RequireBackend();
        var agreement = await Int8Agreement.MeasureAsync("golden classifier", PredictGolden.ClassifierModel, CalibratedGoldenClassifier(), OneDnnBackend.Instance, GoldenSequences());
        TestContext.Out.WriteLine(agreement.TableRow);
        Assert.That(agreement.Share, Is.GreaterThanOrEqualTo(0.99), agreement.TableRow);
    }

    // The same measure must reject a calibration that is off: scales 4x too large saturate three quarters of each range.
    [Test]
    public async Task AMiscalibratedScaleFallsBelow99Percent()
    {
        OneDnnTestSupport.RequireBackend();
        var agreement = await Int8Agreement.MeasureAsync("golden classifier, scale x4", PredictGolden.ClassifierModel, CalibratedGoldenClassifier(),
            new MiscalibratingBackend(4f, 0f), GoldenSequences());
        TestContext.Out.WriteLine(agreement.TableRow);
        Assert.That(agreement.Share, Is.LessThan(0.99), agreement.TableRow);
    }

    [Test]
    public void CalibrationIsStoredUnderTheNetworkPrefixAndTheTensorsAreUnchanged()
    {
        string output = CalibratedGoldenClassifier();
        var original = SafetensorsReader.Read(PredictGolden.ClassifierModel);
        var calibrated = SafetensorsReader.Read(output);
        Assert.That(calibrated.Tensors.Select(t => t.Key), Is.EqualTo(original.Tensors.Select(t => t.Key)));
        foreach (var ((_, a), (_, b)) in original.Tensors.Zip(calibrated.Tensors)) Assert.That(b.Span.ToArray(), Is.EqualTo(a.Span.ToArray()));
        Assert.That(calibrated.Metadata["format"], Is.EqualTo("pt"), "the file's own metadata is kept");
        Assert.That(calibrated.Metadata.Keys.Where(k => k.Contains("int8", StringComparison.Ordinal)).Order(),
            Is.EqualTo(new[] { "rnn.int8.layer0.scale", "rnn.int8.layer0.shift", "rnn.int8.layer1.scale", "rnn.int8.layer1.shift" }));
        var spec = RnnModelFile.FromContent(new SafetensorsContent(new Dictionary<string, string>(),
            original.Tensors.Where(t => t.Key.StartsWith("rnn.", StringComparison.Ordinal)).Select(t => new KeyValuePair<string, Tensor<float>>(t.Key[4..], t.Value)).ToList()), "rnn").Spec;
        var stored = new ModelInt8Metadata(calibrated.Metadata, output).Read(ModelInt8Metadata.ModelNetworkPrefix, spec)!;
        // Layer 1 reads layer 0's h, an LSTM output in (-1, 1); layer 0 reads embedding rows, whose range is the table's.
        Assert.That(stored.Layers[1].Min, Is.GreaterThanOrEqualTo(-1.0001).And.LessThan(0));
        Assert.That(stored.Layers[1].Max, Is.LessThanOrEqualTo(1.0001).And.GreaterThan(0));
        var embedding = original.ToDictionary()["embedding.weight"].Span.ToArray();
        Assert.That(stored.Layers[0].Min, Is.GreaterThanOrEqualTo(Math.Min(embedding.Min(), -1.0001) - 1e-3));
        Assert.That(stored.Layers[0].Max, Is.LessThanOrEqualTo(Math.Max(embedding.Max(), 1.0001) + 1e-3));
    }

    // These refusals come before any executor exists, so they hold whichever backend is named (here one without int8).
    [Test]
    public void Int8OnAnUncalibratedModelSaysHowToCalibrate()
    {
        var e = Assert.Throws<ArgumentException>(() => InferenceModelLoader.Load(PredictGolden.ClassifierModel,
            new InferenceModelOptions { Backend = ManagedBackend.Instance, Kind = ModelKind.Classifier, Executor = new RnnExecutorOptions(RnnPrecision.Int8) }));
        Assert.That(e!.Message, Does.Contain("rnn calibrate --model").And.Contain("SAMPLE.jsonl").And.Not.Contain("\n"));
    }

    [Test]
    public void Int8RefusesTheGruTaggerNamingTheCellAndWhatWorks()
    {
        var e = Assert.Throws<NotSupportedException>(() => InferenceModelLoader.Load(PredictGolden.TaggerModel,
            new InferenceModelOptions { Backend = ManagedBackend.Instance, Kind = ModelKind.Tagger, Executor = new RnnExecutorOptions(RnnPrecision.Int8) }));
        Assert.That(e!.Message, Does.Contain("gru").And.Contain("f32 or bf16").And.Not.Contain("\n"));
        var calibrate = Assert.Throws<NotSupportedException>(() => Int8ModelCalibration.CalibrateFile(PredictGolden.TaggerModel, [[1, 2]], _files["t.int8.safetensors"]));
        Assert.That(calibrate!.Message, Does.Contain("gru"));
    }

    [Test]
    public void AReadyModelCheckpointCalibratesAndRunsInInt8()
    {
        OneDnnTestSupport.RequireBackend();
        var config = new ModelConfig(ModelKind.Tagger, RnnCellKind.Lstm, 9, 4, 6, 3, NumLayers: 2, Bidirectional: true);
        using var model = new SequenceTagger(config, ManagedBackend.Instance, seed: 2);
        ModelCheckpoint.Save(_files["t.safetensors"], model);
        var rng = new Random(4);
        var sequences = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, rng.Next(1, 9)).Select(_ => rng.Next(9)).ToArray()).ToList();
        Int8ModelCalibration.CalibrateFile(_files["t.safetensors"], sequences, _files["t.int8.safetensors"]);
        using var int8 = InferenceModelLoader.Load(_files["t.int8.safetensors"], new InferenceModelOptions { Executor = new RnnExecutorOptions(RnnPrecision.Int8) });
        Assert.That(int8.Kind, Is.EqualTo(ModelKind.Tagger));
        var restored = new SequenceTagger(config, ManagedBackend.Instance, seed: 9);
        using (restored) Assert.DoesNotThrow(() => ModelCheckpoint.Restore(_files["t.int8.safetensors"], restored), "a calibrated checkpoint still restores");
    }

    [Test]
    public async Task AGeneratorContinuesInInt8FromTheStatesOfItsPrompt()
    {
        OneDnnTestSupport.RequireBackend();
        var config = new ModelConfig(ModelKind.Generator, RnnCellKind.Lstm, 11, 5, 8, 11, NumLayers: 2);
        using var model = new SequenceGenerator(config, ManagedBackend.Instance, seed: 6);
        ModelCheckpoint.Save(_files["g.safetensors"], model);
        var rng = new Random(8);
        var prompts = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, rng.Next(1, 7)).Select(_ => rng.Next(11)).ToArray()).ToList();
        Int8ModelCalibration.CalibrateFile(_files["g.safetensors"], prompts, _files["g.int8.safetensors"]);
        using var int8 = InferenceModelLoader.Load(_files["g.int8.safetensors"], new InferenceModelOptions
        {
            Executor = new RnnExecutorOptions(RnnPrecision.Int8),
            Generation = new GenerationOptions { MaxNewTokens = 5 },
        });
        var records = prompts.Select((p, i) => PredictionRecord.FromTokens(RecordId.FromInteger(i), p)).ToList();
        var results = await PredictGolden.PredictAsync(int8, records, new BatchPredictorOptions { MaxBatchSize = 4, Workers = 2 });
        Assert.That(results.Select(r => r.Error), Is.All.Null);
        Assert.That(results.Select(r => r.Tokens!.Length), Is.All.EqualTo(5));
        Assert.That(results.SelectMany(r => r.Tokens!), Is.All.InRange(0, 10));
    }

    [Test]
    public async Task ABareLayerFileRunsInInt8WithItsOwnCalibrationAndSaysHowToMakeOne()
    {
        OneDnnTestSupport.RequireBackend();
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 5, 2);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 7);
        RnnModelFile.Save(_files["l.safetensors"], parameters);
        var int8Options = new InferenceModelOptions { Executor = new RnnExecutorOptions(RnnPrecision.Int8) };
        var missing = Assert.Throws<ArgumentException>(() => InferenceModelLoader.Load(_files["l.safetensors"], int8Options));
        Assert.That(missing!.Message, Does.Contain("rnn calibrate").And.Contain("X.npy"));

        var x = OneDnnTestSupport.Random(new Random(2), 4, 1, 3);
        var quantization = Int8Calibration.Calibrate(parameters, new RnnInput(x));
        RnnModelFile.Save(_files["l.int8.safetensors"], parameters, quantization);
        using var model = InferenceModelLoader.Load(_files["l.int8.safetensors"], int8Options);
        var results = await PredictGolden.PredictAsync(model, [PredictionRecord.FromFeatures(RecordId.FromInteger(0), x.Span.ToArray(), 4)], BatchPredictorOptions.Default);
        using var executor = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: quantization));
        using var direct = executor.Forward(new RnnInput(x));
        Assert.That(results[0].Hidden, Is.EqualTo(direct.Hidden.Span.ToArray()));
    }

    [Test]
    public void CalibrationRefusesTokensOutsideTheVocabularyAndEmptySamples()
    {
        var outside = Assert.Throws<ArgumentException>(() => Int8ModelCalibration.CalibrateFile(PredictGolden.ClassifierModel, [[1, 2], [3, 50]], _files["c.safetensors"]));
        Assert.That(outside!.Message, Does.Contain("sample 1").And.Contain("outside the vocabulary"));
        var none = Assert.Throws<ArgumentException>(() => Int8ModelCalibration.CalibrateFile(PredictGolden.ClassifierModel, [], _files["c.safetensors"]));
        Assert.That(none!.Message, Does.Contain("at least one"));
    }

    [Test]
    public void CliCalibratesAWholeModelFromJsonlRecords()
    {
        string sample = _files["sample.jsonl"];
        File.WriteAllLines(sample, File.ReadLines(PredictGolden.ClassifierInput).Take(100));
        var run = CliRunner.Run("calibrate", "--model", PredictGolden.ClassifierModel, "--input", sample, "--output", _files["c.int8.safetensors"]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Err);
        Assert.That(run.Out, Does.Contain("100 record(s)"));
        var expected = Int8ModelCalibration.Calibrate(SafetensorsReader.Read(PredictGolden.ClassifierModel), CalibrationSample(), "classifier");
        var spec = new RnnSpec(RnnCellKind.Lstm, 8, 12, 2);
        Assert.That(new ModelInt8Metadata(SafetensorsReader.Read(_files["c.int8.safetensors"]).Metadata, "c").Read("rnn.", spec), Is.EqualTo(expected));
    }

    [TestCase("{\"id\":1,\"tokens\":[1,2]}\n{\"id\":2,\"tokens\":[1,\"x\"]}\n", "line 2")]
    [TestCase("{\"id\":1,\"tokens\":[1,2]}\nnot json\n", "line 2")]
    [TestCase("{\"id\":1,\"features\":[[1]]}\n", "line 1")]
    public void CliRejectsABadSampleLineNamingIt(string content, string where)
    {
        File.WriteAllText(_files["bad.jsonl"], content);
        var run = CliRunner.Run("calibrate", "--model", PredictGolden.ClassifierModel, "--input", _files["bad.jsonl"], "--output", _files["c.int8.safetensors"]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(run.ErrLines, Has.Length.EqualTo(1));
        Assert.That(run.Err, Does.Contain(where));
        Assert.That(File.Exists(_files["c.int8.safetensors"]), Is.False);
    }

    [Test]
    public void CliRefusesANpySampleForAWholeModel()
    {
        NpyWriter.Write(_files["x.npy"], RnnTensors.Zeros(2, 1, 8));
        var run = CliRunner.Run("calibrate", "--model", PredictGolden.ClassifierModel, "--input", _files["x.npy"], "--output", _files["c.int8.safetensors"]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(run.ErrLines, Has.Length.EqualTo(1));
        Assert.That(run.Err, Does.Contain(".jsonl"));
    }
}
