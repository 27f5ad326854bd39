using RnnNative.Interop.OneDnn;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.OneDnn;

/// <summary>
/// oneDNN's process-wide primitive cache and the heap release are the application's choices: the calls reach the shim,
/// and creating or running executors leaves oneDNN's cache bound alone.
/// </summary>
[NonParallelizable]
public class OneDnnRuntimeTests
{
    [SetUp]
    public void Setup() => RequireBackend();

    [Test]
    public void TheCacheCapacitySetIsTheOneOneDnnKeeps()
    {
        int before = OneDnnRuntime.PrimitiveCacheCapacity;
        try
        {
            OneDnnRuntime.SetPrimitiveCacheCapacity(before == 41 ? 42 : 41);
            Assert.That(OneDnnRuntime.PrimitiveCacheCapacity, Is.EqualTo(before == 41 ? 42 : 41));
            OneDnnRuntime.SetPrimitiveCacheCapacity(0);
            Assert.That(OneDnnRuntime.PrimitiveCacheCapacity, Is.EqualTo(0));
        }
        finally
        {
            OneDnnRuntime.SetPrimitiveCacheCapacity(before);
        }
    }

    [Test]
    public void ExecutorsLeaveOneDnnsCacheAlone()
    {
        int before = OneDnnRuntime.PrimitiveCacheCapacity;
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 4, 1);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 1);
        using var exec = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions { PrimitiveCacheCapacity = before == 3 ? 4 : 3 });
        using var result = exec.Forward(RandomInput(spec, new Random(2), 3, 2, null, withStates: false, batchFirst: false));
        Assert.That(OneDnnRuntime.PrimitiveCacheCapacity, Is.EqualTo(before));
    }

    [Test]
    public void CapacitiesOutOfRangeAreRefused()
    {
        Assert.That(() => OneDnnRuntime.SetPrimitiveCacheCapacity(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => OneDnnRuntime.SetPrimitiveCacheCapacity(OneDnnRuntime.MaxPrimitiveCacheCapacity + 1),
            Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(OneDnnNative.RuntimeSetPrimitiveCacheCapacity(-1), Is.EqualTo(NativeStatus.InvalidArgument));
        Assert.That(OneDnnNative.LastError(), Does.Contain("capacity"));
    }

    // libgomp reads its wait policy from the C library's environment when the shim loads it: passive there unless the
    // user chose a policy or a spin count.
    [Test]
    public void OpenMpWaitsPassivelyUnlessTheUserChose()
    {
        if (!OpenMpWaitPolicy.Applied)
        {
            Assert.That(Environment.GetEnvironmentVariable(OpenMpWaitPolicy.PolicyVariable) ?? Environment.GetEnvironmentVariable(OpenMpWaitPolicy.SpinCountVariable),
                Is.Not.Null, "the policy was left alone, so the user must have set one of the variables");
            return;
        }
        Assert.That(OpenMpWaitPolicy.NativeValue(), Is.EqualTo("passive"));
        Assert.That(Environment.GetEnvironmentVariable(OpenMpWaitPolicy.PolicyVariable), Is.EqualTo("passive"));
    }

    [Test]
    public void ReleasingFreedMemoryReachesTheShim() =>
        Assert.That(OneDnnNative.RuntimeReleaseFreeMemory(), Is.EqualTo(NativeStatus.Ok), OneDnnNative.LastError());
}
