using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RnnNative;
using RnnNative.Formats;

// For every case folder under the given directory: runs model.onnx in ONNX Runtime on the inputs input_<name>.npy
// (float32, or int32 token ids that are fed as int64) and writes each graph output as ort_<name>.npy (float32).
string root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
{
    string modelPath = Path.Combine(dir, "model.onnx");
    if (!File.Exists(modelPath)) continue;
    using var session = new InferenceSession(modelPath);
    var inputs = new List<NamedOnnxValue>();
    foreach (var (name, meta) in session.InputMetadata)
    {
        string file = Path.Combine(dir, $"input_{name}.npy");
        if (meta.ElementType == typeof(long))
        {
            var ids = NpyReader.ReadInt32(file);
            inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(ids.Data.Select(v => (long)v).ToArray(), ids.Shape)));
        }
        else
        {
            var t = NpyReader.ReadFloat32(file);
            inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(t.Data, t.Shape.ToArray())));
        }
    }
    using var results = session.Run(inputs);
    foreach (var result in results)
    {
        var tensor = result.AsTensor<float>();
        var shape = tensor.Dimensions.ToArray();
        var output = new RnnNative.Tensor(tensor.ToArray(), shape);
        NpyWriter.Write(Path.Combine(dir, $"ort_{result.Name}.npy"), output);
        Console.WriteLine($"{Path.GetFileName(dir)}: {result.Name} {output.ShapeString}");
    }
}
