using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RnnNative.Validation;

namespace RnnNative.Tests.Golden;

/// <summary>
/// One PyTorch golden case from tests/golden (see generate.py there): the inputs to run and PyTorch's float64 results
/// (converted to float32 tensors) to compare with. All file access of the golden tests is in this file.
/// TEST-ONLY: the minimal .npy and safetensors parsers at the bottom stand in for the product's readers
/// (RnnNative.Formats) until those are merged; they trust the committed files and must not be used for anything else.
/// </summary>
internal sealed partial record GoldenCase(string Name, string Description, ValidationInputs Inputs, RnnRunResult Expected)
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "golden");

    /// <summary>Every case directory (one holding case.json), in name order.</summary>
    public static IReadOnlyList<string> Names() =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root).Where(d => File.Exists(Path.Combine(d, "case.json"))).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList()
            : [];

    public static GoldenCase Load(string name)
    {
        string dir = Path.Combine(Root, name);
        string File(string fileName) => Path.Combine(dir, fileName);
        Tensor? Optional(string fileName) => System.IO.File.Exists(File(fileName)) ? ReadTensor(File(fileName)) : null;

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

    // ---- Test-only file access. At merge, replace the three methods below with the product readers (RnnNative.Formats),
    // which were checked to accept every golden file: ReadTensor => NpyReader.ReadFloat32(path),
    // ReadInt32 => NpyReader.ReadInt32(path).Data, ReadParameters => RnnModelFile.Load(path). ----

    /// <summary>A float32 or float64 .npy file as a float32 tensor.</summary>
    private static Tensor ReadTensor(string path)
    {
        var (descr, shape, data) = ReadNpy(path);
        var values = new float[data.Length / (descr == "<f8" ? 8 : 4)];
        for (int i = 0; i < values.Length; i++)
            values[i] = descr switch
            {
                "<f8" => (float)BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(i * 8)),
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(i * 4)),
                _ => throw new InvalidDataException($"{path}: dtype {descr} is not a float"),
            };
        return new Tensor(values, shape);
    }

    /// <summary>An int64 .npy file as int[].</summary>
    private static int[] ReadInt32(string path)
    {
        var (descr, _, data) = ReadNpy(path);
        if (descr != "<i8") throw new InvalidDataException($"{path}: dtype {descr}, expected <i8");
        return Enumerable.Range(0, data.Length / 8).Select(i => checked((int)BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(i * 8)))).ToArray();
    }

    private static (string Descr, int[] Shape, byte[] Data) ReadNpy(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        int headerLength = bytes[6] == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int headerStart = bytes[6] == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        var match = NpyHeader().Match(header);
        if (!match.Success) throw new InvalidDataException($"{path}: unexpected .npy header {header}");
        int[] shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return (match.Groups["descr"].Value, shape, bytes[(headerStart + headerLength)..]);
    }

    [GeneratedRegex(@"'descr':\s*'(?<descr>[<|]?[a-z]\d)'.*'fortran_order':\s*False.*'shape':\s*\((?<shape>[\d,\s]*)\)")]
    private static partial Regex NpyHeader();

    /// <summary>A safetensors file of F32/F64 tensors named as PyTorch's state_dict, with the model's metadata.</summary>
    private static RnnParameters ReadParameters(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        int headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var tensors = new Dictionary<string, Tensor>();
        RnnSpec? spec = null;
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                string Meta(string key) => entry.Value.GetProperty(key).GetString()!;
                spec = new RnnSpec(RnnCellKindExtensions.ParseMode(Meta("mode")), int.Parse(Meta("input_size"), CultureInfo.InvariantCulture),
                    int.Parse(Meta("hidden_size"), CultureInfo.InvariantCulture), int.Parse(Meta("num_layers"), CultureInfo.InvariantCulture),
                    bool.Parse(Meta("bidirectional")), bool.Parse(Meta("bias")));
                continue;
            }
            string dtype = entry.Value.GetProperty("dtype").GetString()!;
            int[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            int begin = 8 + headerLength + entry.Value.GetProperty("data_offsets")[0].GetInt32();
            int width = dtype == "F64" ? 8 : 4;
            var values = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++)
                values[i] = dtype switch
                {
                    "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(begin + i * width)),
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(begin + i * width)),
                    _ => throw new InvalidDataException($"{path}: dtype {dtype} is not F32 or F64"),
                };
            tensors[entry.Name] = new Tensor(values, shape);
        }
        return RnnParameters.FromTensors(spec ?? throw new InvalidDataException($"{path}: no __metadata__"), tensors);
    }
}
