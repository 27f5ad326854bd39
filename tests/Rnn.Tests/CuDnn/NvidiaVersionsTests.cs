using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

public class NvidiaVersionsTests
{
    [TestCase(91900, "9.19.0")]
    [TestCase(90100, "9.1.0")]
    [TestCase(92402, "9.24.2")]
    [TestCase(100000, "10.0.0")]
    [TestCase(8907, "8.9.7")]
    [TestCase(7605, "7.6.5")]
    public void CuDnnVersionsDecodeAsMajorMinorPatch(long encoded, string expected) =>
        Assert.That(NvidiaVersions.DecodeCuDnn(encoded).ToString(), Is.EqualTo(expected));

    [TestCase(90000, true)]
    [TestCase(91900, true)]
    [TestCase(99999, true)]
    [TestCase(8907, false)]
    [TestCase(89000, false)]
    [TestCase(100000, false)]
    public void OnlyTheCuDnn9ApiIsAccepted(long encoded, bool supported) =>
        Assert.That(NvidiaVersions.IsSupportedCuDnn(encoded), Is.EqualTo(supported));

    [TestCase(13000, "13.0")]
    [TestCase(12040, "12.4")]
    [TestCase(12090, "12.9")]
    public void CudaVersionsDecodeAsMajorMinor(long encoded, string expected) =>
        Assert.That(NvidiaVersions.DecodeCuda(encoded).ToString(), Is.EqualTo(expected));
}
