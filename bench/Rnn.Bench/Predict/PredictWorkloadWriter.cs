using System.Text;
using RnnNative.Models;

namespace RnnNative.Bench.Predict;

/// <summary>
/// Writes the batch-inference workload to a folder, so that the real `rnn predict` can run on exactly what the suite
/// measures: records.jsonl (one {"id": n, "tokens": [...]} per line, arrival order), model.safetensors (a ready-model
/// checkpoint: PyTorch state_dict names and the model configuration as metadata) and model.onnx (the peer's graph).
/// </summary>
public static class PredictWorkloadWriter
{
    public static IReadOnlyList<string> Write(string directory, int recordCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        string records = Path.Combine(directory, "records.jsonl");
        using (var writer = new StreamWriter(records, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            var all = PredictWorkload.Records(recordCount);
            var line = new StringBuilder();
            for (int i = 0; i < all.Count; i++)
            {
                line.Clear().Append("{\"id\":").Append(i).Append(",\"tokens\":[").AppendJoin(',', all[i]).Append("]}");
                writer.Write(line.Append('\n'));
            }
        }
        string model = Path.Combine(directory, "model.safetensors");
        using (var classifier = PredictWorkload.CreateModel())
            ModelCheckpoint.Save(model, classifier);
        string onnx = Path.Combine(directory, "model.onnx");
        File.WriteAllBytes(onnx, PredictBenchmark.PeerModel(PredictWorkload.CheckpointContent().ToDictionary(), perturb: false));
        return [records, model, onnx];
    }
}
