using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

/// <summary>
/// bf16 is offered only on cuDNN ≥ 9.13.0 (cudnnGetVersion() ≥ 91300; 9.x encodes MAJOR·10000 + MINOR·100 + PATCH)
/// with a GPU of compute capability ≥ 8.0. The versions below are written out, not derived from the rule's constants.
/// </summary>
public class CuDnnBf16SupportTests
{
    [TestCase(91300, 8, 0)] // the first cuDNN and the first capability that qualify (A100)
    [TestCase(91301, 8, 0)]
    [TestCase(91300, 8, 6)] // RTX 30xx
    [TestCase(91900, 9, 0)] // H100 / H200
    [TestCase(92400, 12, 0)]
    public void RunsOnCuDnn913AndAmpereOrLater(long cudnn, int major, int minor) =>
        Assert.That(CuDnnBf16Support.Refusal(cudnn, major, minor), Is.Null);

    [TestCase(91299, 9, 0)]
    [TestCase(91203, 9, 0)]
    [TestCase(91200, 8, 0)]
    [TestCase(90000, 9, 0)]
    public void RefusesCuDnnBefore913(long cudnn, int major, int minor)
    {
        string? refusal = CuDnnBf16Support.Refusal(cudnn, major, minor);
        Assert.That(refusal, Is.Not.Null);
        Assert.That(refusal, Does.Contain($"({cudnn})"), "names the version found");
        Assert.That(refusal, Does.Contain("9.13.0"), "names the version needed");
        Assert.That(Found(refusal!), Does.Not.Contain("compute capability"), "does not blame a GPU that qualifies");
    }

    [TestCase(91300, 7, 5)] // T4, RTX 20xx
    [TestCase(91300, 7, 0)] // V100
    [TestCase(91900, 6, 1)]
    public void RefusesGpusBeforeAmpere(long cudnn, int major, int minor)
    {
        string? refusal = CuDnnBf16Support.Refusal(cudnn, major, minor);
        Assert.That(refusal, Is.Not.Null);
        Assert.That(refusal, Does.Contain($"compute capability {major}.{minor}"), "names the capability found");
        Assert.That(refusal, Does.Contain("≥ 8.0"), "names the capability needed");
        Assert.That(Found(refusal!), Does.Not.Contain("cuDNN"), "does not blame a cuDNN that qualifies");
    }

    [Test]
    public void NamesBothWhenBothAreTooOld()
    {
        string? refusal = CuDnnBf16Support.Refusal(91203, 7, 5);
        Assert.That(Found(refusal!), Does.Contain("cuDNN 9.12.3 (91203)").And.Contain("compute capability 7.5"));
    }

    /// <summary>The part of a refusal that describes this machine, after what is needed.</summary>
    private static string Found(string refusal) => refusal[refusal.IndexOf("found", StringComparison.Ordinal)..];

    [Test]
    public void TheBackendOffersBf16OnlyWhereTheRuleHolds()
    {
        var backend = CuDnnBackend.Instance;
        if (!backend.Availability.IsAvailable)
        {
            Assert.That(backend.Supports(RnnPrecision.Bf16), Is.False, "no cuDNN version or GPU to vouch for bf16");
            Assert.That(backend.Supports(RnnPrecision.F32), Is.True);
            Assert.That(backend.Supports(RnnPrecision.F16), Is.True);
            return;
        }
        var (major, minor) = CuDnnRuntimeProbe.ComputeCapability(0);
        bool expected = CuDnnRuntimeProbe.CuDnnVersion >= 91300 && major >= 8;
        TestContext.Out.WriteLine($"cuDNN {CuDnnRuntimeProbe.CuDnnVersion}, compute capability {major}.{minor}");
        Assert.That(backend.Supports(RnnPrecision.Bf16), Is.EqualTo(expected));
    }
}
