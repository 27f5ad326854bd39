using System.Buffers.Binary;
using System.Text;
using RnnNative.Formats;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Formats;

/// <summary>Round trips through the .npy writer and reader, the exact header written, and every dtype and version read.</summary>
public class NpyTests
{
    private static Tensor<float> RoundTrip(Tensor<float> tensor)
    {
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, tensor);
        stream.Position = 0;
        return NpyReader.ReadFloat32(stream, "memory");
    }

    [Test]
    public void RoundTripKeepsShapeAndValues()
    {
        var t = RnnTensors.Create([1f, -2f, 3.5f, float.MinValue, 1e-40f, 0f], 3, 1, 2);
        var back = RoundTrip(t);
        Assert.That(back.Shape.ToArray(), Is.EqualTo(new[] { 3, 1, 2 }));
        Assert.That(back.Span.ToArray(), Is.EqualTo(t.Span.ToArray()));

        // Tensor<T> has no rank 0: a scalar is kept as a one-element vector, value and all.
        var scalar = RoundTrip(RnnTensors.Create([9f]));
        Assert.That(scalar.Shape, Is.EqualTo(new[] { 1 }));
        Assert.That(scalar.Span.ToArray(), Is.EqualTo(new[] { 9f }));
        Assert.That(RoundTrip(RnnTensors.Create([1f, 2f], 2)).Shape.ToArray(), Is.EqualTo(new[] { 2 }));
        Assert.That(RoundTrip(RnnTensors.Create([], 2, 0)).Shape.ToArray(), Is.EqualTo(new[] { 2, 0 }));
    }

    [Test]
    public void WriterProducesNumPysVersion1Layout()
    {
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, RnnTensors.Create([1f, 2f, 3f, 4f, 5f, 6f], 2, 3));
        var bytes = stream.ToArray();

        Assert.That(bytes[..8], Is.EqualTo(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.That((10 + headerLength) % 64, Is.Zero, "NumPy aligns the data to 64 bytes");
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.That(header, Does.StartWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
        Assert.That(header, Does.EndWith("\n"));
        Assert.That(bytes[(10 + headerLength)..], Is.EqualTo(RawFiles.Floats(1f, 2f, 3f, 4f, 5f, 6f)));
    }

    [Test]
    public void OneDimensionalShapeIsAOneTuple()
    {
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, RnnTensors.Create([1f, 2f], 2));
        Assert.That(Encoding.ASCII.GetString(stream.ToArray()), Does.Contain("'shape': (2,), }"));
    }

    [TestCase((byte)1)]
    [TestCase((byte)2)]
    [TestCase((byte)3)]
    public void ReadsEveryVersion(byte major)
    {
        var bytes = RawFiles.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", RawFiles.Floats(1.5f, -1f), major);
        Assert.That(NpyReader.ReadFloat32(new MemoryStream(bytes), "v").Span.ToArray(), Is.EqualTo(new[] { 1.5f, -1f }));
    }

    [Test]
    public void ConvertsFloat64AndReadsBigEndian()
    {
        var f8 = RawFiles.Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }\n", RawFiles.Doubles(0.1, 2.0));
        Assert.That(NpyReader.ReadFloat32(new MemoryStream(f8), "f8").Span.ToArray(), Is.EqualTo(new[] { 0.1f, 2f }));

        byte[] bigEndian = [0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0]; // 1.0f, -2.0f
        var be = RawFiles.Npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", bigEndian);
        Assert.That(NpyReader.ReadFloat32(new MemoryStream(be), "be").Span.ToArray(), Is.EqualTo(new[] { 1f, -2f }));
    }

    [Test]
    public void ReadsInt32AndInt64Lengths()
    {
        using var stream = new MemoryStream();
        string path = Path.Combine(Path.GetTempPath(), $"rnn-npy-{Guid.NewGuid():N}.npy");
        try
        {
            NpyWriter.WriteInt32(path, [5, 3, 1], 3);
            var i4 = NpyReader.ReadInt32(path);
            Assert.That(i4.Shape, Is.EqualTo(new[] { 3 }));
            Assert.That(i4.Data, Is.EqualTo(new[] { 5, 3, 1 }));
        }
        finally
        {
            File.Delete(path);
        }
        var i8 = RawFiles.Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }\n", RawFiles.Int64s(7, 2));
        Assert.That(NpyReader.ReadInt32(new MemoryStream(i8), "i8").Data, Is.EqualTo(new[] { 7, 2 }));
    }

    [Test]
    public void AcceptsPythonLongLiteralsAndDoubleQuotesInTheHeader()
    {
        var bytes = RawFiles.Npy("{\"descr\": \"<f4\", \"shape\": (1L, 2L), \"fortran_order\": False}  \n", RawFiles.Floats(1f, 2f));
        Assert.That(NpyReader.ReadFloat32(new MemoryStream(bytes), "old").Shape.ToArray(), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void IntegersAreNotFloatsAndFloatsAreNotLengths()
    {
        var i8 = RawFiles.Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }\n", RawFiles.Int64s(1));
        Assert.That(Assert.Throws<FileFormatException>(() => NpyReader.ReadFloat32(new MemoryStream(i8), "i8"))!.Problem, Does.Contain("float32 or float64"));
        var f4 = RawFiles.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", RawFiles.Floats(1f));
        Assert.That(Assert.Throws<FileFormatException>(() => NpyReader.ReadInt32(new MemoryStream(f4), "f4"))!.Problem, Does.Contain("int32 or int64"));
    }

    [Test]
    public void Int64ValuesBeyond32BitsAreRejected()
    {
        var i8 = RawFiles.Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }\n", RawFiles.Int64s(1L << 40));
        Assert.That(Assert.Throws<FileFormatException>(() => NpyReader.ReadInt32(new MemoryStream(i8), "big"))!.Problem, Does.Contain("32 bits"));
    }
}
