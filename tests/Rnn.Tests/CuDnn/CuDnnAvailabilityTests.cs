using RnnNative.Interop;
using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

/// <summary>
/// Holds on every machine: the backend answers availability without throwing, and when it cannot run it says why
/// (which library was missing and where it looked, or that there is no device) and refuses executors with that reason.
/// </summary>
public class CuDnnAvailabilityTests
{
    private static readonly RnnSpec Spec = new(RnnCellKind.Lstm, 3, 4);

    [Test]
    public void AvailabilityExplainsItself()
    {
        var availability = CuDnnBackend.Instance.Availability;
        TestContext.Out.WriteLine(availability.Reason);
        if (availability.IsAvailable)
        {
            Assert.That(availability.Reason, Does.Contain("cuDNN 9."), "an available backend names the cuDNN version it loaded");
            return;
        }
        bool missingLibrary = availability.Reason.Contains("not found (tried:", StringComparison.Ordinal)
            || availability.Reason.Contains("could not be loaded (tried:", StringComparison.Ordinal);
        bool noDevice = availability.Reason.StartsWith("no CUDA device", StringComparison.Ordinal);
        Assert.That(missingLibrary || noDevice || availability.Reason.Contains("cuDNN", StringComparison.Ordinal), Is.True,
            $"the reason should name the missing library, the missing device or the cuDNN problem; got: {availability.Reason}");
        if (missingLibrary)
            Assert.That(availability.Reason, Does.Contain("libcudart.so.13").Or.Contain("libcudnn.so.9"));
    }

    [Test]
    public void AvailabilityIsStableAcrossCalls()
    {
        Assert.That(CuDnnBackend.Instance.Availability, Is.EqualTo(CuDnnBackend.Instance.Availability));
    }

    [Test]
    public void CreateExecutorRefusesWithTheAvailabilityReason()
    {
        var availability = CuDnnBackend.Instance.Availability;
        if (availability.IsAvailable) Assert.Ignore("A usable GPU is present; the refusal path does not apply.");
        var parameters = RnnParameters.InitializeUniform(Spec, 1);
        var ex = Assert.Throws<RnnBackendUnavailableException>(() => CuDnnBackend.Instance.CreateExecutor(parameters));
        Assert.That(ex!.Backend, Is.EqualTo("cudnn"));
        Assert.That(ex.Reason, Is.EqualTo(availability.Reason));
    }

    [Test]
    public void DescribeReportsStatusWithoutThrowing()
    {
        var facts = CuDnnBackend.Instance.Describe();
        var status = facts.Single(f => f.Key == "status").Value;
        Assert.That(status, Does.StartWith(CuDnnBackend.Instance.Availability.IsAvailable ? "available" : "unavailable: "));
    }

    [Test]
    public void RegistryFindsTheBackendByName()
    {
        Assert.That(RnnBackends.Get("cudnn"), Is.SameAs(CuDnnBackend.Instance));
        Assert.That(RnnBackends.All, Does.Contain(CuDnnBackend.Instance));
    }

    [Test]
    public void FastestSkipsTheBackendWhenUnavailable()
    {
        if (CuDnnBackend.Instance.Availability.IsAvailable) Assert.Ignore("A usable GPU is present.");
        Assert.That(RnnBackends.Fastest(), Is.Not.SameAs(CuDnnBackend.Instance));
    }
}
