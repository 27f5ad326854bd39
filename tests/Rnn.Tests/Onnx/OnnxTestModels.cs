using Google.Protobuf;
using RnnNative.Onnx.Protos;

namespace RnnNative.Tests.Onnx;

/// <summary>Golden ONNX models loaded as protobuf messages, to edit into the malformed or unsupported variants the tests need.</summary>
internal static class OnnxTestModels
{
    public static ModelProto Load(string caseName) =>
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(new OnnxGoldenCase(caseName).ModelPath));

    public static byte[] Bytes(ModelProto model) => model.ToByteArray();

    public static NodeProto Recurrent(ModelProto model) => model.Graph.Node.First(n => n.OpType is "LSTM" or "GRU" or "RNN");

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Strings(string name, params string[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        a.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return a;
    }

    public static void Set(NodeProto node, AttributeProto attribute)
    {
        var existing = node.Attribute.FirstOrDefault(a => a.Name == attribute.Name);
        if (existing is not null) node.Attribute.Remove(existing);
        node.Attribute.Add(attribute);
    }
}
