using System.Text.Json;
using RnnNative.Formats;
using RnnNative.Validation;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Golden;

/// <summary>
/// One PyTorch golden case from tests/golden (see generate.py there): the inputs to run and PyTorch's float64 results
/// (converted to float32 tensors) to compare with. All file access of the golden tests is in this file.
/// </summary>
internal sealed record GoldenCase(string Name, string Description, ValidationInputs Inputs, RnnRunResult Expected)
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "golden");

    /// <summary>
    /// Every case directory (one holding case.json) at any depth, by its path under the root with '/' separators (the
    /// projection cases live in projections/), in name order.
    /// </summary>
    public static IReadOnlyList<string> Names() =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root, "*", SearchOption.AllDirectories).Where(d => File.Exists(Path.Combine(d, "case.json")))
                .Select(d => Path.GetRelativePath(Root, d).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToList()
            : [];

    public static GoldenCase Load(string name)
    {
        string dir = Path.Combine(Root, name);
        string File(string fileName) => Path.Combine(dir, fileName);
        Tensor<float>? Optional(string fileName) => System.IO.File.Exists(File(fileName)) ? ReadTensor(File(fileName)) : null;

        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(File("case.json")));
        bool batchFirst = json.RootElement.GetProperty("batch_first").GetBoolean();
        string description = json.RootElement.GetProperty("description").GetString() ?? "";

        var parameters = ReadParameters(File("model.safetensors"));
        var input = new RnnInput(ReadTensor(File("x.npy")), ReadInt32(File("lengths.npy")), Optional("h0.npy"), Optional("c0.npy"), batchFirst);
        var outputGradients = new RnnOutputGradients(ReadTensor(File("dy.npy")), ReadTensor(File("dhn.npy")), Optional("dcn.npy"));
        var gradients = new RnnGradients(ReadTensor(File("dx.npy")), ReadTensor(File("dh0.npy")), Optional("dc0.npy"), ReadParameters(File("grads.safetensors")));
        var expected = new RnnRunResult(ReadTensor(File("y.npy")), ReadTensor(File("hn.npy")), Optional("cn.npy"), gradients);
        return new GoldenCase(name, description, new ValidationInputs(parameters, input, outputGradients), expected);
    }

    private static Tensor<float> ReadTensor(string path) => NpyReader.ReadFloat32(path);

    private static int[] ReadInt32(string path) => NpyReader.ReadInt32(path).Data;

    private static RnnParameters ReadParameters(string path) => RnnModelFile.Load(path);
}
