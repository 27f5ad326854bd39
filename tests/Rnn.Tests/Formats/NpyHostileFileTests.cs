using RnnNative.Formats;

namespace RnnNative.Tests.Formats;

/// <summary>
/// The .npy reader against broken and forged files: every one must give a <see cref="FileFormatException"/> naming the
/// file and the problem — never an out-of-memory, an index error or a hang.
/// </summary>
public class NpyHostileFileTests
{
    private const string Name = "hostile.npy";

    private static byte[] ValidFile()
    {
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, RnnTensors.Create([1f, 2f, 3f, 4f, 5f, 6f], 3, 2));
        return stream.ToArray();
    }

    private static FileFormatException Rejects(byte[] bytes)
    {
        var e = Assert.Throws<FileFormatException>(() => NpyReader.ReadFloat32(new MemoryStream(bytes), Name))!;
        Assert.That(e.Message, Does.StartWith(Name + ": "));
        return e;
    }

    private static string Header(string descr = "'<f4'", string fortran = "False", string shape = "(2,)") =>
        $"{{'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape}, }}\n";

    [Test]
    public void EveryTruncationIsRejected()
    {
        var bytes = ValidFile();
        Assert.That(NpyReader.ReadFloat32(new MemoryStream(bytes), Name).Length, Is.EqualTo(6));
        for (int length = 0; length < bytes.Length; length++)
            Rejects(bytes[..length]);
    }

    [Test]
    public void RandomBitFlipsGiveAValidReadOrAFormatError()
    {
        var original = ValidFile();
        var rng = new Random(13579);
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])original.Clone();
            int flips = 1 + rng.Next(3);
            for (int f = 0; f < flips; f++) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            try
            {
                NpyReader.ReadFloat32(new MemoryStream(bytes), Name);
            }
            catch (FileFormatException)
            {
                rejected++;
            }
        }
        Assert.That(rejected, Is.GreaterThan(1000));
    }

    [TestCase(1, 65535L)]
    [TestCase(2, 4294967295L)]
    [TestCase(3, 2147483648L)]
    public void ForgedHeaderLengthBeyondTheFile(int major, long length) =>
        Assert.That(Rejects(RawFiles.Npy(Header(), RawFiles.Floats(1f, 2f), (byte)major, length)).Problem, Does.Contain("beyond the end"));

    [TestCase("(4294967296,)", "too large")]
    [TestCase("(2147483647, 2147483647, 2147483647)", "needs more than")]
    [TestCase("(3,)", "needs 12 bytes")]
    [TestCase("(1,)", "needs 4 bytes")]
    [TestCase("(-2,)", "non-negative integer")]
    [TestCase("(2.0,)", "expected ','")]
    [TestCase("[2]", "expected '('")]
    [TestCase("(" + "1, " + "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2)", "at most 32")]
    public void ForgedShape(string shape, string problem) =>
        Assert.That(Rejects(RawFiles.Npy(Header(shape: shape), RawFiles.Floats(1f, 2f))).Problem, Does.Contain(problem));

    [Test]
    public void FortranOrderIsRejectedClearly() =>
        Assert.That(Rejects(RawFiles.Npy(Header(fortran: "True"), RawFiles.Floats(1f, 2f))).Problem, Does.Contain("Fortran order"));

    [TestCase("'<c8'")]
    [TestCase("'|b1'")]
    [TestCase("'<U5'")]
    [TestCase("'<f2'")]
    [TestCase("'f4'")]
    [TestCase("''")]
    public void UnsupportedDtype(string descr) =>
        Assert.That(Rejects(RawFiles.Npy(Header(descr: descr), RawFiles.Floats(1f, 2f))).Problem, Does.Contain("unsupported dtype"));

    [TestCase("[('a', '<f4')]", "structured")]
    [TestCase("'<\\x66'", "escape")]
    public void MalformedDescr(string descr, string problem) =>
        Assert.That(Rejects(RawFiles.Npy(Header(descr: descr), RawFiles.Floats(1f, 2f))).Problem, Does.Contain(problem));

    [TestCase("{'descr': '<f4', 'shape': (2,), }\n", "must give")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}\n", "unexpected key")]
    [TestCase("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}\n", "twice")]
    [TestCase("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}\n", "True or False")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing\n", "after the header")]
    [TestCase("'descr': '<f4'\n", "expected '{'")]
    [TestCase("{'descr': '<f4' 'fortran_order': False}\n", "expected ','")]
    [TestCase("", "expected '{'")]
    [TestCase("{'descr': '<f4\n", "unterminated")]
    public void MalformedHeader(string header, string problem) =>
        Assert.That(Rejects(RawFiles.Npy(header, RawFiles.Floats(1f, 2f))).Problem, Does.Contain(problem));

    [Test]
    public void BadMagicAndVersion()
    {
        var bytes = ValidFile();
        bytes[1] = (byte)'X';
        Assert.That(Rejects(bytes).Problem, Does.Contain("magic"));
        Assert.That(Rejects(RawFiles.Npy(Header(), RawFiles.Floats(1f, 2f), major: 4)).Problem, Does.Contain("version 4.0"));
    }

    [Test]
    public void NonAsciiHeaderInVersion1AndNonUtf8InVersion3()
    {
        var v1 = RawFiles.Npy(Header(), RawFiles.Floats(1f, 2f));
        v1[12] = 0xE9;
        Assert.That(Rejects(v1).Problem, Does.Contain("non-ASCII"));
        var v3 = RawFiles.Npy(Header(), RawFiles.Floats(1f, 2f), major: 3);
        v3[14] = 0xFF;
        Assert.That(Rejects(v3).Problem, Does.Contain("UTF-8"));
    }

    [Test]
    public void ExtraBytesAfterTheData() =>
        Assert.That(Rejects(RawFiles.Npy(Header(), RawFiles.Floats(1f, 2f, 3f))).Problem, Does.Contain("the file holds 12"));
}
