using RnnNative.Tests.Validation;
using RnnNative.Validation;

namespace RnnNative.Tests.Errors;

/// <summary>A native "unsupported" is a refusal in the validation suite, like the managed layer's own; any other backend failure is a failure.</summary>
public class ValidationRefusalTests
{
    private static readonly ValidationCase Case = ValidationGrid.Smoke.First(c => c.Cell == RnnCellKind.Lstm);

    [Test]
    public void ANativeUnsupportedIsARefusal()
    {
        var result = ValidationRunner.RunCase(new ThrowingBackend(RnnBackendErrorCode.Unsupported), RnnPrecision.F32, Case);
        Assert.That((result.Refused, result.Passed, result.Refusal), Is.EqualTo((true, false, "not on this CPU")));
    }

    [TestCase(RnnBackendErrorCode.InvalidArgument)]
    [TestCase(RnnBackendErrorCode.Internal)]
    [TestCase(RnnBackendErrorCode.LibraryFailure)]
    public void OtherBackendFailuresAreFailures(RnnBackendErrorCode code)
    {
        var result = ValidationRunner.RunCase(new ThrowingBackend(code), RnnPrecision.F32, Case);
        Assert.That((result.Refused, result.Passed), Is.EqualTo((false, false)));
        Assert.That(result.FailureReason, Does.Contain("not on this CPU"));
    }

    private sealed class ThrowingBackend(RnnBackendErrorCode code) : ManagedWrappingBackend
    {
        public override string Name => "throwing";

        public override RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null) =>
            throw RnnBackendException.Create(Name, code, 2, "not on this CPU");
    }
}
