using RnnNative.Formats;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Onnx;

/// <summary>
/// One folder of tests/golden/onnx (see export.py there): model.onnx exported by PyTorch, its inputs (input_*.npy) and
/// ONNX Runtime's outputs on them (ort_*.npy, written by OrtGolden). All file access of the ONNX golden tests is here.
/// </summary>
internal sealed class OnnxGoldenCase(string name)
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "golden", "onnx");

    public string Name { get; } = name;
    public string Folder => Path.Combine(Root, Name);
    public string ModelPath => Path.Combine(Folder, "model.onnx");

    public bool Has(string file) => File.Exists(Path.Combine(Folder, file));
    public Tensor<float> Float(string file) => NpyReader.ReadFloat32(Path.Combine(Folder, file));
    public Tensor<float>? OptionalFloat(string file) => Has(file) ? Float(file) : null;
    public NpyInt32Array Int32(string file) => NpyReader.ReadInt32(Path.Combine(Folder, file));
}
