using System.Text;
using RnnNative.Formats;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Formats;

/// <summary>Round trips through the safetensors writer and reader, the exact bytes written, and reading F64/F16/BF16.</summary>
public class SafetensorsTests
{
    private static SafetensorsContent RoundTrip(IEnumerable<KeyValuePair<string, Tensor<float>>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream, tensors, metadata);
        stream.Position = 0;
        return SafetensorsReader.Read(stream, "memory");
    }

    [Test]
    public void RoundTripKeepsTensorsShapesOrderAndMetadata()
    {
        var a = RnnTensors.Create([1f, -2.5f, 3.25f, float.MaxValue, float.Epsilon, -0f], 2, 3);
        var b = RnnTensors.Create([42f], 1);
        var scalar = RnnTensors.Create([7f]);
        var empty = RnnTensors.Create([], 0, 4);
        var metadata = new Dictionary<string, string> { ["mode"] = "lstm", ["note"] = "ünïcode ✓" };

        var content = RoundTrip([new("zeta", a), new("alpha", b), new("scalar", scalar), new("empty", empty)], metadata);

        Assert.That(content.Tensors.Select(t => t.Key), Is.EqualTo(new[] { "zeta", "alpha", "scalar", "empty" }));
        Assert.That(content.Metadata, Is.EquivalentTo(metadata));
        var read = content.ToDictionary();
        Assert.That(read["zeta"].Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(read["zeta"].Span.ToArray(), Is.EqualTo(a.Span.ToArray()));
        Assert.That(BitConverter.SingleToInt32Bits(read["zeta"].Span[5]), Is.EqualTo(BitConverter.SingleToInt32Bits(-0f)));
        Assert.That(read["alpha"].Span.ToArray(), Is.EqualTo(new[] { 42f }));
        Assert.That(read["scalar"].Shape, Is.EqualTo(new[] { 1 }), "Tensor<T> has no rank 0: a scalar is a one-element vector");
        Assert.That(read["scalar"].Span.ToArray(), Is.EqualTo(new[] { 7f }));
        Assert.That(read["empty"].Shape.ToArray(), Is.EqualTo(new[] { 0, 4 }));
    }

    [Test]
    public void WriterProducesTheReferenceLayout()
    {
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream, [new("w", RnnTensors.Create([1f, 2f], 2))], new Dictionary<string, string> { ["mode"] = "gru" });
        var bytes = stream.ToArray();

        const string json = """{"__metadata__":{"mode":"gru"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        int padded = (json.Length + 7) / 8 * 8;
        Assert.That(BitConverter.ToUInt64(bytes, 0), Is.EqualTo((ulong)padded));
        Assert.That(Encoding.UTF8.GetString(bytes, 8, padded), Is.EqualTo(json.PadRight(padded)));
        Assert.That(bytes.AsSpan(8 + padded).ToArray(), Is.EqualTo(RawFiles.Floats(1f, 2f)));
    }

    [Test]
    public void ReadsAndConvertsF64F16AndBf16()
    {
        const string header = """
            {"d":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},
             "h":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]},
             "b":{"dtype":"BF16","shape":[3],"data_offsets":[24,30]}}
            """;
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800, 65504 = 0x7BFF. BF16: 1.0 = 0x3F80, -2.0 = 0xC000, 0.15625 = 0x3E20.
        byte[] data = [.. RawFiles.Doubles(0.1, -1e300), .. RawFiles.UInt16s(0x3C00, 0xC000, 0x3800, 0x7BFF), .. RawFiles.UInt16s(0x3F80, 0xC000, 0x3E20)];
        var content = SafetensorsReader.Read(new MemoryStream(RawFiles.Safetensors(header, data)), "mixed");
        var t = content.ToDictionary();

        Assert.That(t["d"].Span.ToArray(), Is.EqualTo(new[] { 0.1f, float.NegativeInfinity }));
        Assert.That(t["h"].Span.ToArray(), Is.EqualTo(new[] { 1f, -2f, 0.5f, 65504f }));
        Assert.That(t["h"].Shape.ToArray(), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(t["b"].Span.ToArray(), Is.EqualTo(new[] { 1f, -2f, 0.15625f }));
    }

    [Test]
    public void AcceptsHeaderPaddedWithSpacesAndNoMetadata()
    {
        var content = SafetensorsReader.Read(new MemoryStream(RawFiles.Safetensors(
            """{"x":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}     """, RawFiles.Floats(3f))), "padded");
        Assert.That(content.Metadata, Is.Empty);
        Assert.That(content.ToDictionary()["x"].Span.ToArray(), Is.EqualTo(new[] { 3f }));
    }

    [Test]
    public void ReadsFromAPathAndFromANonSeekableStream()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rnn-st-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafetensorsWriter.Write(path, [new("v", RnnTensors.Create([5f, 6f], 2))]);
            Assert.That(SafetensorsReader.Read(path).ToDictionary()["v"].Span.ToArray(), Is.EqualTo(new[] { 5f, 6f }));
            using var pipe = new NonSeekableStream(File.ReadAllBytes(path));
            Assert.That(SafetensorsReader.Read(pipe, "pipe").ToDictionary()["v"].Span.ToArray(), Is.EqualTo(new[] { 5f, 6f }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void WriterRejectsDuplicateAndReservedNames()
    {
        var t = RnnTensors.Create([1f], 1);
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(new MemoryStream(), [new("a", t), new("a", t)]));
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(new MemoryStream(), [new("__metadata__", t)]));
    }
}
