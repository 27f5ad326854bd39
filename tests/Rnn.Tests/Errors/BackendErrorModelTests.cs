using RnnNative.Interop.CuDnn;
using RnnNative.Interop.CuDnn.Native;
using RnnNative.Interop.OneDnn;

namespace RnnNative.Tests.Errors;

/// <summary>
/// Every backend failure is an <see cref="RnnBackendException"/> of the subclass for its kind, with the backend's name,
/// the named code and the native code; the expected values are written out, not derived from the mapping under test.
/// </summary>
public class BackendErrorModelTests
{
    [TestCase(1, typeof(RnnBackendInvalidArgumentException), RnnBackendErrorCode.InvalidArgument)]
    [TestCase(2, typeof(RnnBackendUnsupportedException), RnnBackendErrorCode.Unsupported)]
    [TestCase(3, typeof(RnnBackendOutOfMemoryException), RnnBackendErrorCode.OutOfMemory)]
    [TestCase(4, typeof(RnnBackendLibraryException), RnnBackendErrorCode.LibraryFailure)]
    [TestCase(5, typeof(RnnBackendInternalException), RnnBackendErrorCode.Internal)]
    [TestCase(99, typeof(RnnBackendInternalException), RnnBackendErrorCode.Internal)]
    public void EachShimStatusMapsToItsSubclass(int nativeStatus, Type type, RnnBackendErrorCode code)
    {
        var e = OneDnnStatusCheck.ToException((NativeStatus)nativeStatus, "the shim's message");
        Assert.That(e, Is.TypeOf(type));
        Assert.That((e.Backend, e.ErrorCode, e.NativeCode, e.Message), Is.EqualTo(("onednn", code, nativeStatus, "the shim's message")));
    }

    [TestCase(1008, typeof(RnnBackendLibraryException), RnnBackendErrorCode.LibraryFailure)]
    [TestCase(2000, typeof(RnnBackendInvalidArgumentException), RnnBackendErrorCode.InvalidArgument)]
    [TestCase(2012, typeof(RnnBackendInvalidArgumentException), RnnBackendErrorCode.InvalidArgument)]
    [TestCase(3000, typeof(RnnBackendUnsupportedException), RnnBackendErrorCode.Unsupported)]
    [TestCase(3007, typeof(RnnBackendUnsupportedException), RnnBackendErrorCode.Unsupported)]
    [TestCase(4000, typeof(RnnBackendInternalException), RnnBackendErrorCode.Internal)]
    [TestCase(4003, typeof(RnnBackendOutOfMemoryException), RnnBackendErrorCode.OutOfMemory)]
    [TestCase(4004, typeof(RnnBackendOutOfMemoryException), RnnBackendErrorCode.OutOfMemory)]
    [TestCase(4005, typeof(RnnBackendInternalException), RnnBackendErrorCode.Internal)]
    [TestCase(5003, typeof(RnnBackendLibraryException), RnnBackendErrorCode.LibraryFailure)]
    public void EachCuDnnStatusMapsToItsSubclass(int status, Type type, RnnBackendErrorCode code)
    {
        var e = CuDnnStatusCheck.ToException("cudnnRNNForward", status, "described");
        Assert.That(e, Is.TypeOf(type));
        Assert.That((e.Backend, e.ErrorCode, e.NativeCode, e.Message), Is.EqualTo(("cudnn", code, status, "cudnnRNNForward failed: described")));
    }

    [TestCase(1, typeof(RnnBackendInvalidArgumentException), RnnBackendErrorCode.InvalidArgument)]
    [TestCase(2, typeof(RnnBackendOutOfMemoryException), RnnBackendErrorCode.OutOfMemory)]
    [TestCase(100, typeof(RnnBackendDeviceException), RnnBackendErrorCode.DeviceFailure)]
    [TestCase(700, typeof(RnnBackendDeviceException), RnnBackendErrorCode.DeviceFailure)]
    public void EachCudaErrorMapsToItsSubclass(int error, Type type, RnnBackendErrorCode code)
    {
        var e = CudaStatusCheck.ToException("cudaMalloc", (CudaError)error, "described");
        Assert.That(e, Is.TypeOf(type));
        Assert.That((e.Backend, e.ErrorCode, e.NativeCode, e.Message), Is.EqualTo(("cudnn", code, error, "cudaMalloc failed: described")));
    }

    [TestCase(RnnBackendErrorCode.InvalidArgument, typeof(RnnBackendInvalidArgumentException))]
    [TestCase(RnnBackendErrorCode.Unsupported, typeof(RnnBackendUnsupportedException))]
    [TestCase(RnnBackendErrorCode.OutOfMemory, typeof(RnnBackendOutOfMemoryException))]
    [TestCase(RnnBackendErrorCode.LibraryFailure, typeof(RnnBackendLibraryException))]
    [TestCase(RnnBackendErrorCode.DeviceFailure, typeof(RnnBackendDeviceException))]
    [TestCase(RnnBackendErrorCode.Internal, typeof(RnnBackendInternalException))]
    [TestCase(RnnBackendErrorCode.Unavailable, typeof(RnnBackendUnavailableException))]
    public void TheFactoryBuildsTheSubclassOfEachCode(RnnBackendErrorCode code, Type type)
    {
        var inner = new IOException("cause");
        var e = RnnBackendException.Create("some-backend", code, 7, "what failed", inner);
        Assert.That(e, Is.TypeOf(type));
        Assert.That((e.Backend, e.ErrorCode, e.InnerException), Is.EqualTo(("some-backend", code, (Exception)inner)));
        Assert.That(e.Message, Does.Contain("what failed"));
    }

    [Test]
    public void EveryCodeHasItsOwnSubclass()
    {
        // A code added to the enum without a subclass in the factory would fall through to Internal.
        var codes = Enum.GetValues<RnnBackendErrorCode>();
        var types = codes.Select(c => RnnBackendException.Create("b", c, 0, "m")).ToList();
        Assert.That(types.Select(e => e.ErrorCode), Is.EqualTo(codes));
        Assert.That(types.Select(e => e.GetType()).Distinct().Count(), Is.EqualTo(codes.Length));
    }

    [Test]
    public void AnUnknownCodeStillReportsTheFailureAsInternal()
    {
        var e = RnnBackendException.Create("b", (RnnBackendErrorCode)1000, 42, "what failed");
        Assert.That((e.GetType(), e.NativeCode, e.Message), Is.EqualTo((typeof(RnnBackendInternalException), 42, "what failed")));
    }

    [Test]
    public void BackendFailuresAreNotInvalidOperationOrArgumentExceptions()
    {
        // A catch of InvalidOperationException or ArgumentException meant for the caller's mistakes must not swallow them.
        foreach (var code in Enum.GetValues<RnnBackendErrorCode>())
            Assert.That(RnnBackendException.Create("b", code, 0, "m"),
                Is.Not.InstanceOf<InvalidOperationException>().And.Not.InstanceOf<ArgumentException>().And.Not.InstanceOf<NotSupportedException>(), code.ToString());
    }
}
