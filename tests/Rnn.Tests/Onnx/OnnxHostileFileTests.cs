using Google.Protobuf;
using RnnNative.Formats;
using RnnNative.Onnx;
using RnnNative.Onnx.Protos;

namespace RnnNative.Tests.Onnx;

/// <summary>
/// The ONNX importer against broken and forged files: each gives a one-line <see cref="FileFormatException"/> (or,
/// for a flip that leaves a consistent model, a normal import) — never another exception, a hang or a giant allocation.
/// </summary>
public sealed class OnnxHostileFileTests
{
    private const string Name = "hostile.onnx";

    private static byte[] ValidFile() => File.ReadAllBytes(new OnnxGoldenCase("gru").ModelPath);

    private static void ImportsOrRejects(byte[] bytes, ref int rejected)
    {
        try
        {
            OnnxModelImporter.Import(bytes, Name);
        }
        catch (FileFormatException e)
        {
            Assert.That(e.Message, Does.StartWith(Name + ": "));
            Assert.That(e.Message, Does.Not.Contain('\n'));
            rejected++;
        }
    }

    private static string Rejects(byte[] bytes)
    {
        var e = Assert.Throws<FileFormatException>(() => OnnxModelImporter.Import(bytes, Name))!;
        Assert.That(e.Message, Does.Not.Contain('\n'));
        return e.Problem;
    }

    [Test]
    public void EveryTruncationIsRejected()
    {
        var bytes = ValidFile();
        Assert.That(OnnxModelImporter.Import(bytes, Name).Layers, Has.Count.EqualTo(1));
        // The opset list follows the graph in the file, so a cut anywhere loses it or leaves a message unfinished.
        for (int length = 0; length < bytes.Length; length++) Rejects(bytes[..length]);
    }

    [Test]
    public void RandomBitFlipsGiveAValidImportOrAFormatError()
    {
        var original = ValidFile();
        var rng = new Random(151515);
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])original.Clone();
            int flips = 1 + rng.Next(3);
            for (int f = 0; f < flips; f++) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            ImportsOrRejects(bytes, ref rejected);
        }
        // Much of the file is weight data, where a flip is a legitimately different model; the rest must be caught.
        Assert.That(rejected, Is.GreaterThan(300));
    }

    [TestCase(1L << 62)]
    [TestCase(int.MaxValue)]
    [TestCase(1L << 20)]
    public void ForgedGraphLengthBeyondTheFile(long length)
    {
        // Field 7 (graph), wire type 2, then a length far beyond the few bytes that follow.
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(7, WireFormat.WireType.LengthDelimited);
        output.WriteInt64(length);
        output.WriteRawTag(1, 2, 3, 4);
        output.Flush();
        Assert.That(Rejects(stream.ToArray()), Does.Contain("not a valid ONNX protobuf"));
    }

    [Test]
    public void ForgedDimsWithLittleData()
    {
        var model = OnnxTestModels.Load("gru");
        var w = model.Graph.Initializer.First(i => i.Dims.Count == 3);
        w.Dims[1] = 1L << 20;
        Assert.That(Rejects(model.ToByteArray()), Does.Contain("raw_data"));
        w.Dims[1] = 1L << 40;
        Assert.That(Rejects(model.ToByteArray()), Does.Contain("dimension 1099511627776"));
        w.Dims[1] = int.MaxValue;
        w.Dims[2] = int.MaxValue;
        Assert.That(Rejects(model.ToByteArray()), Does.Contain("more elements than any file holds"));
        w.Dims[2] = -3;
        Assert.That(Rejects(model.ToByteArray()), Does.Contain("dimension -3"));
    }

    [Test]
    public void FloatDataCountDisagreeingWithDims()
    {
        var model = OnnxTestModels.Load("gru");
        var b = model.Graph.Initializer.First(i => i.Dims.Count == 2);
        b.RawData = ByteString.Empty;
        b.FloatData.Add(1f);
        Assert.That(Rejects(model.ToByteArray()), Does.Contain("float_data"));
    }

    [Test]
    public void AWeightThatDependsOnItself()
    {
        var model = OnnxTestModels.Load("gru");
        var node = OnnxTestModels.Recurrent(model);
        var loop = new NodeProto { Name = "loop", OpType = "Unsqueeze" };
        loop.Input.Add("w_loop");
        loop.Output.Add("w_loop");
        model.Graph.Node.Insert(0, loop);
        node.Input[1] = "w_loop";
        Assert.That(Rejects(model.ToByteArray()), Does.Contain("cycle"));
    }

    [Test]
    public void ExternalDataAndOtherTypesAreRefused()
    {
        var model = OnnxTestModels.Load("gru");
        var w = model.Graph.Initializer.First(i => i.Dims.Count == 3);
        w.DataLocation = TensorProto.Types.DataLocation.External;
        Assert.That(Rejects(model.ToByteArray()), Does.Contain("external data"));
        w.DataLocation = TensorProto.Types.DataLocation.Default;
        w.DataType = (int)TensorProto.Types.DataType.Double;
        Assert.That(Rejects(model.ToByteArray()), Does.Contain("only float32"));
    }

    [TestCase(6)]
    [TestCase(22)]
    public void OpsetsOutsideSevenToTwentyOne(long version)
    {
        var model = OnnxTestModels.Load("gru");
        model.OpsetImport[0].Version = version;
        Assert.That(Rejects(model.ToByteArray()), Does.Contain($"opset {version}"));
    }

    [Test]
    public void NotProtobufAtAll() => Rejects("this is not an ONNX model\n"u8.ToArray());
}
