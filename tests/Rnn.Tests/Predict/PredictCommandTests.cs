using System.Text.Json;
using RnnNative.Models;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>rnn predict in-process: the output contract, bad records, --max-errors, summaries, Parquet, resumption guards.</summary>
public class PredictCommandTests
{
    [Test]
    public void LabelledRecordsAreScoredInTheSummaryAndUnlabelledOnesAreNot()
    {
        using var folder = new TempFolder();
        using var model = PredictFiles.Classifier(folder["c.safetensors"]);
        var rng = new Random(4);
        var lines = new List<string>();
        var known = new Dictionary<string, int>();
        for (int i = 0; i < 40; i++)
        {
            string tokens = string.Join(',', Enumerable.Range(0, rng.Next(1, 8)).Select(_ => rng.Next(PredictFiles.Vocabulary)));
            // Every third record has no label, every fifth a label that is not an integer class: neither is scored.
            string label = i % 3 == 0 ? "" : i % 5 == 0 ? ",\"label\":\"pos\"" : $",\"label\":{rng.Next(4)}";
            if (label.Length > 0 && i % 5 != 0) known[$"r{i}"] = int.Parse(label[9..], System.Globalization.CultureInfo.InvariantCulture);
            lines.Add($"{{\"id\":\"r{i}\",\"tokens\":[{tokens}]{label}}}");
        }
        File.WriteAllLines(folder["in.jsonl"], lines);

        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--window", "9", "--summary", folder["s.json"], "--quiet");
        Assert.That(result.ExitCode, Is.Zero, result.Err);

        int correct = File.ReadLines(folder["out.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement)
            .Count(o => known.TryGetValue(o.GetProperty("id").GetString()!, out int y) && o.GetProperty("label").GetInt32() == y);
        var summary = JsonDocument.Parse(File.ReadAllText(folder["s.json"])).RootElement;
        Assert.That(summary.GetProperty("labelled").GetInt64(), Is.EqualTo(known.Count));
        Assert.That(summary.GetProperty("accuracy").GetDouble(), Is.EqualTo((double)correct / known.Count).Within(1e-6));
        Assert.That(result.Out, Does.Contain($"over {known.Count} labelled records"));
    }

    [Test]
    public void WithoutLabelsTheSummaryHasNoAccuracy()
    {
        using var folder = new TempFolder();
        using var model = PredictFiles.Classifier(folder["c.safetensors"]);
        PredictFiles.WriteTokens(folder["in.jsonl"], 10, seed: 2);
        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--summary", folder["s.json"], "--quiet");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        var summary = JsonDocument.Parse(File.ReadAllText(folder["s.json"])).RootElement;
        Assert.That(summary.TryGetProperty("accuracy", out _), Is.False);
        Assert.That(result.Out, Does.Not.Contain("accuracy"));
    }

    [Test]
    public void ClassifierOutputMatchesTheModelAndEveryRecordIsInOutputOrErrorsExactlyOnce()
    {
        using var folder = new TempFolder();
        using var model = PredictFiles.Classifier(folder["c.safetensors"]);
        var rng = new Random(9);
        var lines = new List<string>();
        var expectedErrors = new Dictionary<int, string>();
        for (int i = 0; i < 60; i++)
        {
            string tokens = string.Join(',', Enumerable.Range(0, rng.Next(1, 10)).Select(_ => rng.Next(PredictFiles.Vocabulary)));
            switch (i % 13)
            {
                case 3: lines.Add("{\"id\": " + i + ", \"tokens\": [1, 2"); expectedErrors[i] = "malformed JSON"; break;
                case 5: lines.Add("{\"tokens\": [1, 2]}"); expectedErrors[i] = "missing \"id\""; break;
                case 7: lines.Add($"{{\"id\":{i},\"tokens\":[1,{PredictFiles.Vocabulary}]}}"); expectedErrors[i] = "outside the vocabulary"; break;
                case 9: lines.Add($"{{\"id\":{i},\"tokens\":[]}}"); expectedErrors[i] = "empty sequence"; break;
                case 11: lines.Add($"{{\"id\":{i},\"tokens\":[1,2,3,4,5,6,7,8,9,10,1,2]}}"); expectedErrors[i] = "longer than the maximum length"; break;
                default: lines.Add($"{{\"id\":\"r{i}\",\"tokens\":[{tokens}]}}"); break;
            }
        }
        File.WriteAllLines(folder["in.jsonl"], lines);

        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--window", "7", "--max-batch-size", "3", "--workers", "3", "--max-length", "11", "--summary", folder["s.json"], "--quiet");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.StartWith("predict: 60 records (" + expectedErrors.Count + " errors)"));

        var output = File.ReadAllLines(folder["out.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var errors = File.ReadAllLines(folder["out.jsonl.errors.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(output.Count + errors.Count, Is.EqualTo(60), "every record exactly once");
        Assert.That(errors.Count, Is.EqualTo(expectedErrors.Count));
        int outIndex = 0, errIndex = 0;
        for (int i = 0; i < 60; i++)
        {
            if (expectedErrors.TryGetValue(i, out var reason))
            {
                var e = errors[errIndex++];
                Assert.That(e.GetProperty("reason").GetString(), Does.Contain(reason), $"record {i}");
                if (i % 13 is 3 or 5) Assert.That(e.GetProperty("line").GetInt64(), Is.EqualTo(i + 1));
                else Assert.That(e.GetProperty("id").GetInt64(), Is.EqualTo(i));
                continue;
            }
            var o = output[outIndex++];
            Assert.That(o.GetProperty("id").GetString(), Is.EqualTo($"r{i}"));
            Assert.That(o.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "label", "probabilities" }));
            var tokens = JsonDocument.Parse(lines[i]).RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
            var logits = model.Logits(TokenBatch.FromSequences([tokens]));
            Assert.That(o.GetProperty("label").GetInt32(), Is.EqualTo(System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Span)), $"record {i}");
            double max = logits.Span.ToArray().Max(), sum = logits.Span.ToArray().Sum(v => Math.Exp(v - max));
            var probabilities = o.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToArray();
            for (int c = 0; c < 4; c++) Assert.That(probabilities[c], Is.EqualTo(Math.Exp(logits.Span[c] - max) / sum).Within(1e-6), $"record {i} class {c}");
        }

        var summary = JsonDocument.Parse(File.ReadAllText(folder["s.json"])).RootElement;
        Assert.That(summary.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "records", "errors", "seconds", "sequences_per_second", "tokens_per_second", "padding_efficiency" }));
        Assert.That(summary.GetProperty("records").GetInt64(), Is.EqualTo(60));
        Assert.That(summary.GetProperty("errors").GetInt64(), Is.EqualTo(expectedErrors.Count));
        Assert.That(summary.GetProperty("padding_efficiency").GetDouble(), Is.InRange(0.01, 1.0));
        Assert.That(File.Exists(folder["out.jsonl.manifest.json"]), "the manifest stays beside the output (merge reads it)");
        Assert.That(Directory.Exists(folder["out.jsonl.parts"]), Is.False, "chunks are removed once joined");
    }

    [Test]
    public void MoreBadRecordsThanMaxErrorsStopsWithExitCode3AndKeepsThem()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        File.WriteAllLines(folder["in.jsonl"], Enumerable.Range(0, 30).Select(i => i % 4 == 0 ? $"{{\"id\":{i},\"tokens\":[99]}}" : $"{{\"id\":{i},\"tokens\":[1,2]}}"));
        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--window", "5", "--max-errors", "3", "--quiet");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Err);
        Assert.That(result.ErrLines, Has.Length.EqualTo(1));
        Assert.That(result.Err, Does.Contain("more than --max-errors 3"));
        Assert.That(File.ReadAllLines(folder["out.jsonl.errors.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt64()),
            Is.EqualTo(new long[] { 0, 4, 8, 12 }));
        Assert.That(File.Exists(folder["out.jsonl"]), Is.False, "no final output from a stopped run");
    }

    [Test]
    public void ParquetInputAndOutputCarryTheSameResultsAsJsonl()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        var records = PredictFiles.WriteTokens(folder["in.jsonl"], 25, seed: 4);
        var rows = records.Select((t, i) => (IDictionary<string, object?>)new Dictionary<string, object?> { ["id"] = (long)i, ["tokens"] = t.Select(x => (long)x).ToList() }).ToList();
        var schema = new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<long>("id"), new Parquet.Schema.ListField("tokens", new Parquet.Schema.DataField<long>("element")));
        using (var stream = File.Create(folder["in.parquet"]))
            Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync(rows, schema, stream).GetAwaiter().GetResult();

        string[] common = ["--model", folder["c.safetensors"], "--backend", "managed", "--window", "8", "--quiet"];
        var jsonl = CliRunner.Run(["predict", .. common, "--input", folder["in.jsonl"], "--output", folder["a.jsonl"]]);
        var parquet = CliRunner.Run(["predict", .. common, "--input", folder["in.parquet"], "--output", folder["b.parquet"]]);
        Assert.That(jsonl.ExitCode, Is.Zero, jsonl.Err);
        Assert.That(parquet.ExitCode, Is.Zero, parquet.Err);

        var expected = File.ReadAllLines(folder["a.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        List<Dictionary<string, object>> actual;
        using (var stream = File.OpenRead(folder["b.parquet"]))
            actual = Parquet.Serialization.ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult().Data.ToList();
        Assert.That(actual, Has.Count.EqualTo(25));
        for (int i = 0; i < 25; i++)
        {
            Assert.That(actual[i]["id"], Is.EqualTo((long)i));
            Assert.That(actual[i]["label"], Is.EqualTo(expected[i].GetProperty("label").GetInt32()));
            Assert.That(((IEnumerable<float>)actual[i]["probabilities"]).ToArray(),
                Is.EqualTo(expected[i].GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray()), $"record {i}");
        }
    }

    [Test]
    public void AnUnfinishedRunIsResumedOnlyByTheSameCommand()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        File.WriteAllLines(folder["in.jsonl"], Enumerable.Range(0, 12).Select(i => i == 9 ? $"{{\"id\":{i},\"tokens\":[99]}}" : $"{{\"id\":{i},\"tokens\":[1,2,{i % 5}]}}"));
        string[] common = ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"], "--backend", "managed", "--quiet"];

        // Stopped by --max-errors 0 after two committed chunks of four: unfinished.
        Assert.That(CliRunner.Run([.. common, "--window", "4", "--max-errors", "0"]).ExitCode, Is.EqualTo(3));
        var different = CliRunner.Run([.. common, "--window", "5"]);
        Assert.That(different.ExitCode, Is.EqualTo(2));
        Assert.That(different.ErrLines, Has.Length.EqualTo(1));
        Assert.That(different.Err, Does.Contain("unfinished run of a different command (window differ)"));

        // --max-errors is not part of the identity: the same command without it finishes the run.
        var resumed = CliRunner.Run([.. common, "--window", "4"]);
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Err);
        Assert.That(resumed.Out, Does.StartWith("predict: 12 records (1 errors)"));
        var again = CliRunner.Run([.. common, "--window", "4"]);
        Assert.That(again.ExitCode, Is.Zero);
        Assert.That(again.Out, Does.StartWith("predict: 12 records (1 errors)"), "a finished run is not redone");

        // A finished output is replaced by a different command, like any output file.
        var other = CliRunner.Run([.. common, "--window", "5"]);
        Assert.That(other.ExitCode, Is.Zero, other.Err);
        Assert.That(File.ReadAllLines(folder["out.jsonl"]), Has.Length.EqualTo(11));
    }

    [Test]
    public void LabelNamesAndBadArgumentsGiveOneLine()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        PredictFiles.WriteTokens(folder["in.jsonl"], 5, seed: 2);
        File.WriteAllLines(folder["labels.txt"], ["a", "b", "c", "d"]);
        var named = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"], "--labels", folder["labels.txt"], "--quiet");
        Assert.That(named.ExitCode, Is.Zero, named.Err);
        foreach (var line in File.ReadAllLines(folder["out.jsonl"]))
        {
            var o = JsonDocument.Parse(line).RootElement;
            Assert.That(o.GetProperty("label_name").GetString(), Is.EqualTo("abcd"[o.GetProperty("label").GetInt32()].ToString()));
        }

        File.WriteAllLines(folder["three.txt"], ["a", "b", "c"]);
        foreach (var (args, message) in new (string[], string)[]
        {
            (["--labels", folder["three.txt"]], "3 names for 4 classes"),
            (["--window", "0"], "--window 0: must be at least 1"),
            (["--shard-index", "3", "--num-shards", "3"], "--shard-index 3"),
            (["--probabilities"], "--probabilities is for a tagger"),
            (["--sampling", "top-k"], "needs --top-k"),
        })
        {
            var r = CliRunner.Run(["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["bad.jsonl"], "--quiet", .. args]);
            Assert.That(r.ExitCode, Is.EqualTo(2), string.Join(' ', args));
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain(message));
        }
        var missing = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["none.jsonl"], "--output", folder["x.jsonl"]);
        Assert.That(missing.ExitCode, Is.EqualTo(2));
        Assert.That(missing.Err, Does.Contain("none.jsonl"));
    }

    [Test]
    public void EachModelKindWritesExactlyItsFields()
    {
        using var folder = new TempFolder();
        var tagger = new ModelConfig(ModelKind.Tagger, RnnCellKind.Gru, PredictFiles.Vocabulary, 3, 4, 2, Bidirectional: true);
        using (var model = new SequenceTagger(tagger, Managed.ManagedBackend.Instance, 1)) ModelCheckpoint.Save(folder["t.safetensors"], model);
        var generator = new ModelConfig(ModelKind.Generator, RnnCellKind.Lstm, PredictFiles.Vocabulary, 3, 4, PredictFiles.Vocabulary);
        using (var model = new SequenceGenerator(generator, Managed.ManagedBackend.Instance, 2)) ModelCheckpoint.Save(folder["g.safetensors"], model);
        var layer = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 2, 3, 2, true), 3);
        RnnNative.Formats.RnnModelFile.Save(folder["l.safetensors"], layer);
        var tokens = PredictFiles.WriteTokens(folder["in.jsonl"], 6, seed: 5);
        File.WriteAllLines(folder["f.jsonl"], ["{\"id\":\"a\",\"features\":[[1,2],[3,4],[5,6]]}", "{\"id\":\"b\",\"features\":[[1,2,3]]}", "{\"id\":\"c\",\"features\":[[0.5,-1]]}"]);
        File.WriteAllLines(folder["names.txt"], ["O", "X"]);

        JsonElement[] Run(params string[] args)
        {
            var r = CliRunner.Run(["predict", "--quiet", "--backend", "managed", .. args]);
            Assert.That(r.ExitCode, Is.Zero, r.Err);
            return File.ReadAllLines(args[Array.IndexOf(args, "--output") + 1]).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        }
        static string[] Names(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

        var tagged = Run("--model", folder["t.safetensors"], "--input", folder["in.jsonl"], "--output", folder["t.jsonl"], "--probabilities", "--labels", folder["names.txt"]);
        Assert.That(tagged.Select(Names), Has.All.EqualTo(new[] { "id", "labels", "probabilities", "label_names" }));
        for (int i = 0; i < tokens.Count; i++)
        {
            Assert.That(tagged[i].GetProperty("labels").GetArrayLength(), Is.EqualTo(tokens[i].Length));
            Assert.That(tagged[i].GetProperty("probabilities").EnumerateArray().Select(p => p.GetArrayLength()), Has.All.EqualTo(2));
            Assert.That(tagged[i].GetProperty("label_names").EnumerateArray().Select(n => n.GetString()),
                Is.EqualTo(tagged[i].GetProperty("labels").EnumerateArray().Select(l => l.GetInt32() == 0 ? "O" : "X")));
        }
        Assert.That(Run("--model", folder["t.safetensors"], "--input", folder["in.jsonl"], "--output", folder["t2.jsonl"]).Select(Names), Has.All.EqualTo(new[] { "id", "labels" }));

        var generated = Run("--model", folder["g.safetensors"], "--input", folder["in.jsonl"], "--output", folder["g.jsonl"], "--max-new-tokens", "4", "--sampling", "top-k", "--top-k", "3", "--seed", "7");
        Assert.That(generated.Select(Names), Has.All.EqualTo(new[] { "id", "tokens" }));
        Assert.That(generated.Select(g => g.GetProperty("tokens").GetArrayLength()), Has.All.EqualTo(4));

        var hidden = Run("--model", folder["l.safetensors"], "--input", folder["f.jsonl"], "--output", folder["l.jsonl"], "--full-output");
        Assert.That(hidden.Select(Names), Has.All.EqualTo(new[] { "id", "hidden", "output" }));
        Assert.That(hidden.Select(h => h.GetProperty("id").GetString()), Is.EqualTo(new[] { "a", "c" }), "b has rows of 3 values for a 2-wide layer");
        Assert.That(hidden[0].GetProperty("hidden").EnumerateArray().Select(r => r.GetArrayLength()), Is.EqualTo(new[] { 3, 3, 3, 3 }), "layers·directions rows of hidden");
        Assert.That(hidden[0].GetProperty("output").EnumerateArray().Select(r => r.GetArrayLength()), Is.EqualTo(new[] { 6, 6, 6 }), "T rows of directions·hidden");
        Assert.That(File.ReadAllText(folder["l.jsonl.errors.jsonl"]), Does.Contain("\"id\":\"b\"").And.Contain("feature rows have 3 values; the model reads 2"));
    }

    [Test]
    public void ParquetFeaturesFeedABareLayer()
    {
        using var folder = new TempFolder();
        var parameters = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Gru, 2, 3), 4);
        RnnNative.Formats.RnnModelFile.Save(folder["l.safetensors"], parameters);
        var rows = new List<IDictionary<string, object?>>
        {
            new Dictionary<string, object?> { ["id"] = "p", ["features"] = new List<List<double>> { new() { 0.5, -1 }, new() { 2, 0.25 } } },
            new Dictionary<string, object?> { ["id"] = "q", ["features"] = new List<List<double>> { new() { 1, 2, 3 } } },
        };
        var schema = new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<string>("id"),
            new Parquet.Schema.ListField("features", new Parquet.Schema.ListField("element", new Parquet.Schema.DataField<double>("element"))));
        using (var stream = File.Create(folder["in.parquet"]))
            Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync(rows, schema, stream).GetAwaiter().GetResult();

        var r = CliRunner.Run("predict", "--model", folder["l.safetensors"], "--input", folder["in.parquet"], "--output", folder["out.jsonl"], "--backend", "managed", "--quiet");
        Assert.That(r.ExitCode, Is.Zero, r.Err);
        var output = File.ReadAllLines(folder["out.jsonl"]);
        Assert.That(output, Has.Length.EqualTo(1));
        using var executor = Managed.ManagedBackend.Instance.CreateExecutor(parameters, RnnExecutorOptions.Default);
        using var alone = executor.Forward(new RnnInput(RnnTensors.Create([0.5f, -1f, 2f, 0.25f], 2, 1, 2)));
        var hidden = JsonDocument.Parse(output[0]).RootElement.GetProperty("hidden")[0].EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.That(hidden, Is.EqualTo(alone.Hidden.Span.ToArray()).Within(1e-6));
        Assert.That(File.ReadAllText(folder["out.jsonl.errors.jsonl"]), Does.Contain("\"id\":\"q\"").And.Contain("3 values; the model reads 2"));
    }
}
