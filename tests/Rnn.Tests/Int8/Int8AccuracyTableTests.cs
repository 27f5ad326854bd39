using RnnNative.Interop.OneDnn;
using RnnNative.Models;
using RnnNative.Samples;
using RnnNative.Tests.Cli;
using RnnNative.Tests.Golden;
using RnnNative.Tests.OneDnn;

namespace RnnNative.Tests.Int8;

/// <summary>
/// The int8 accuracy table: trained models (the sentiment and next-word samples, trained as <c>rnn sample</c> trains
/// them with its default seed 1 on the managed backend, and the PyTorch golden classifier), each calibrated on its
/// training data and compared with f32 over all its data. Prints the markdown table; every row must reach the 99%
/// agreement target. Print it with:
/// <c>dotnet test tests/Rnn.Tests/Rnn.Tests.csproj -c Release --no-build --filter "FullyQualifiedName~Int8AccuracyTable" --logger "console;verbosity=detailed"</c>
/// </summary>
[TestFixture]
public sealed class Int8AccuracyTableTests
{
    [Test]
    public async Task EveryTrainedModelAgreesWithF32OnAtLeast99Percent()
    {
        OneDnnTestSupport.RequireBackend();
        using var files = new TempFolder();
        var rows = new List<Int8Agreement>();
        foreach (var train in new Func<TextWriter, SampleOptions, TrainedClassifier>[] { SentimentSample.Train, NextWordSample.Train })
        {
            using var trained = train(TextWriter.Null, new SampleOptions(Seed: 1));
            string f32 = files[$"{trained.Name}.safetensors"], int8 = files[$"{trained.Name}.int8.safetensors"];
            ModelCheckpoint.Save(f32, trained.Model);
            Int8ModelCalibration.CalibrateFile(f32, trained.TrainingSequences, int8);
            rows.Add(await Int8Agreement.MeasureAsync($"{trained.Name} sample ({trained.Model.Config.RnnSpec})", f32, int8, OneDnnBackend.Instance, trained.Sequences));
        }
        var golden = PredictGolden.Records(PredictGolden.ClassifierInput).Select(r => r.Tokens!).ToList();
        Int8ModelCalibration.CalibrateFile(PredictGolden.ClassifierModel, golden.Take(100), files["golden.int8.safetensors"]);
        rows.Add(await Int8Agreement.MeasureAsync("golden classifier (PyTorch; LSTM 8→12, 2 layers)", PredictGolden.ClassifierModel, files["golden.int8.safetensors"], OneDnnBackend.Instance, golden));

        TestContext.Out.WriteLine(Int8Agreement.TableHeader);
        foreach (var row in rows) TestContext.Out.WriteLine(row.TableRow);
        Assert.That(rows.Where(r => r.Share < 0.99).Select(r => r.TableRow), Is.Empty, "rows below the 99% agreement target");
    }
}
