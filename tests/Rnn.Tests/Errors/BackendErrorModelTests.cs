using RnnNative.Interop.CuDnn;
using RnnNative.Interop.OneDnn;

namespace RnnNative.Tests.Errors;

/// <summary>Every backend's native failures share one base, with the backend's name and a named error kind.</summary>
public class BackendErrorModelTests
{
    [TestCase(4, RnnBackendErrorCode.LibraryFailure)]
    [TestCase(5, RnnBackendErrorCode.Internal)]
    public void OneDnnFailuresAreBackendExceptions(int nativeStatus, RnnBackendErrorCode code)
    {
        var status = (NativeStatus)nativeStatus;
        var e = OneDnnStatusCheck.ToException(status, "boom");
        Assert.That(e, Is.InstanceOf<RnnBackendException>());
        var b = (RnnBackendException)e;
        Assert.That((b.Backend, b.ErrorCode, b.NativeCode, b.Message), Is.EqualTo(("onednn", code, (int)status, "boom")));
    }

    [Test]
    public void OneDnnArgumentStatusesKeepTheirDotNetTypes()
    {
        Assert.That(OneDnnStatusCheck.ToException(NativeStatus.InvalidArgument, "x"), Is.TypeOf<ArgumentException>());
        Assert.That(OneDnnStatusCheck.ToException(NativeStatus.Unsupported, "x"), Is.TypeOf<NotSupportedException>());
    }

    [TestCase(2000, RnnBackendErrorCode.InvalidArgument)]
    [TestCase(3007, RnnBackendErrorCode.Unsupported)]
    [TestCase(4000, RnnBackendErrorCode.Internal)]
    [TestCase(5003, RnnBackendErrorCode.LibraryFailure)]
    public void CuDnnStatusesMapByTheirThousands(int status, RnnBackendErrorCode code)
    {
        RnnBackendException e = new CuDnnException("cudnnRNNForward", status, "described");
        Assert.That((e.Backend, e.ErrorCode, e.NativeCode), Is.EqualTo(("cudnn", code, status)));
    }

    [TestCase(2, RnnBackendErrorCode.OutOfMemory)]
    [TestCase(100, RnnBackendErrorCode.DeviceFailure)]
    public void CudaErrorsAreBackendExceptionsToo(int code, RnnBackendErrorCode kind)
    {
        RnnBackendException e = new CudaException("cudaMalloc", code, "described");
        Assert.That((e.Backend, e.ErrorCode, e.NativeCode), Is.EqualTo(("cudnn", kind, code)));
    }
}
