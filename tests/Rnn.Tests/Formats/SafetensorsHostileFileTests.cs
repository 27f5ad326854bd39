using System.Text;
using RnnNative.Formats;

namespace RnnNative.Tests.Formats;

/// <summary>
/// The safetensors reader against broken and forged files: every one must give a <see cref="FileFormatException"/>
/// naming the file and the problem — never an out-of-memory, an index error or a hang.
/// </summary>
public class SafetensorsHostileFileTests
{
    private const string Name = "hostile.safetensors";

    private static byte[] ValidFile()
    {
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream,
            [new("weight_ih_l0", RnnTensors.Create([1f, 2f, 3f, 4f, 5f, 6f], 2, 3)), new("bias_ih_l0", RnnTensors.Create([7f, 8f], 2))],
            new Dictionary<string, string> { ["mode"] = "rnn_tanh" });
        return stream.ToArray();
    }

    private static FileFormatException Rejects(byte[] bytes)
    {
        var e = Assert.Throws<FileFormatException>(() => SafetensorsReader.Read(new MemoryStream(bytes), Name))!;
        Assert.That(e.Message, Does.StartWith(Name + ": "));
        Assert.That(e.File, Is.EqualTo(Name));
        return e;
    }

    private static FileFormatException Rejects(string header, byte[] data, ulong? forgedLength = null) =>
        Rejects(RawFiles.Safetensors(header, data, forgedLength));

    [Test]
    public void EveryTruncationIsRejected()
    {
        var bytes = ValidFile();
        Assert.That(SafetensorsReader.Read(new MemoryStream(bytes), Name).Tensors, Has.Count.EqualTo(2));
        for (int length = 0; length < bytes.Length; length++)
            Rejects(bytes[..length]);
    }

    [Test]
    public void RandomBitFlipsGiveAValidReadOrAFormatError()
    {
        var original = ValidFile();
        var rng = new Random(424242);
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])original.Clone();
            int flips = 1 + rng.Next(3);
            for (int f = 0; f < flips; f++) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            try
            {
                SafetensorsReader.Read(new MemoryStream(bytes), Name);
            }
            catch (FileFormatException)
            {
                rejected++;
            }
        }
        // Most of the file is header, so most flips must be caught; flips in the data are legitimately readable.
        Assert.That(rejected, Is.GreaterThan(1000));
    }

    [TestCase(ulong.MaxValue)]
    [TestCase(1UL << 62)]
    [TestCase(1UL << 40)]
    [TestCase(0UL)] // one byte beyond the file
    public void ForgedHeaderLengthBeyondTheFile(ulong length)
    {
        const string header = """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""";
        ulong oneBeyond = (ulong)Encoding.UTF8.GetByteCount(header) + 4 + 1;
        Assert.That(Rejects(header, RawFiles.Floats(1f), length == 0 ? oneBeyond : length).Problem, Does.Contain("header length"));
    }

    [Test]
    public void HeaderLengthTooShort() =>
        Assert.That(Rejects(RawFiles.Safetensors([(byte)'{'], [])).Problem, Does.Contain("too short"));

    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}""", "outside")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", "end before")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,9223372036854775807]}}""", "outside")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}""", "non-negative")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", "[begin, end]")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}""", "non-negative")]
    public void ForgedOffsets(string header, string problem) =>
        Assert.That(Rejects(header, RawFiles.Floats(1f)).Problem, Does.Contain(problem));

    [Test]
    public void OverlappingTensors() =>
        Assert.That(Rejects("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            RawFiles.Floats(1f, 2f, 3f)).Problem, Does.Contain("overlaps"));

    [Test]
    public void HoleInTheData() =>
        Assert.That(Rejects("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""",
            RawFiles.Floats(1f, 2f, 3f)).Problem, Does.Contain("hole"));

    [Test]
    public void UncoveredTrailingData() =>
        Assert.That(Rejects("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", RawFiles.Floats(1f, 2f)).Problem, Does.Contain("cover only"));

    [TestCase("[3]", "needs 12 bytes")]
    [TestCase("[2147483647,2147483647,2147483647]", "needs more than 8 bytes but data_offsets give 8")]
    [TestCase("[-1]", "non-negative")]
    [TestCase("[2.5]", "non-negative")]
    [TestCase("[4294967296]", "non-negative")]
    [TestCase("\"2\"", "not an array")]
    public void ShapeThatDoesNotMatchTheBytes(string shape, string problem) =>
        Assert.That(Rejects($$$"""{"a":{"dtype":"F32","shape":{{{shape}}},"data_offsets":[0,8]}}""", RawFiles.Floats(1f, 2f)).Problem, Does.Contain(problem));

    [TestCase("F12", "unknown dtype")]
    [TestCase("I64", "not supported")]
    [TestCase("f32", "unknown dtype")]
    public void UnknownOrUnsupportedDtype(string dtype, string problem) =>
        Assert.That(Rejects($$$"""{"a":{"dtype":"{{{dtype}}}","shape":[1],"data_offsets":[0,8]}}""", RawFiles.Floats(1f, 2f)).Problem, Does.Contain(problem));

    [Test]
    public void NonUtf8Header()
    {
        var header = Encoding.UTF8.GetBytes("""{"a\u00e9":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""");
        header[4] = 0xFF;
        Assert.That(Rejects(RawFiles.Safetensors(header, RawFiles.Floats(1f))).Problem, Does.Contain("UTF-8"));
    }

    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}""", "malformed JSON")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} x""", "malformed JSON")]
    [TestCase("""[{"a":1}]""", "start with '{'")]
    [TestCase("""   {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "start with '{'")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}""", "twice")]
    [TestCase("""{"__metadata__":{"mode":3},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "must be a string")]
    [TestCase("""{"__metadata__":"lstm","a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "object of strings")]
    [TestCase("""{"a":{"shape":[1],"data_offsets":[0,4]}}""", "dtype is missing")]
    [TestCase("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}""", "unexpected field")]
    [TestCase("""{"a":[1,2]}""", "expected an object")]
    public void MalformedHeader(string header, string problem) =>
        Assert.That(Rejects(header, RawFiles.Floats(1f)).Problem, Does.Contain(problem));

    [Test]
    public void DeeplyNestedJsonIsRejectedNotOverflowed() =>
        Assert.That(Rejects("{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}", []).Problem, Does.Contain("malformed JSON"));

    [Test]
    public void TooSmallToBeAFile()
    {
        Assert.That(Rejects([]).Problem, Does.Contain("shorter than"));
        Assert.That(Rejects([1, 0, 0]).Problem, Does.Contain("shorter than"));
    }
}
