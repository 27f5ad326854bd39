using RnnNative.Cli;

namespace RnnNative.Tests.Errors;

/// <summary>
/// The CLI blames the user only for what the user can fix: a native refusal of an argument that passed validation is
/// an internal error to report, an unsupported request is the user's choice to change.
/// </summary>
public class CliBackendFailureTests
{
    [TestCase(RnnBackendErrorCode.InvalidArgument, 1, "bug")]
    [TestCase(RnnBackendErrorCode.Internal, 1, "bug")]
    [TestCase(RnnBackendErrorCode.Unsupported, 2, "proj_size is not supported")]
    [TestCase(RnnBackendErrorCode.OutOfMemory, 1, "ran out of memory")]
    [TestCase(RnnBackendErrorCode.LibraryFailure, 1, "the onednn backend failed")]
    [TestCase(RnnBackendErrorCode.DeviceFailure, 1, "the onednn backend failed")]
    [TestCase(RnnBackendErrorCode.Unavailable, 2, "unavailable")]
    public void EachKindGetsItsExitCodeAndOneLine(RnnBackendErrorCode code, int exitCode, string says)
    {
        var err = new StringWriter();
        int exit = CliFailures.Report(RnnBackendException.Create("onednn", code, 3, "proj_size is not supported\nby this shim"), err);
        Assert.That(exit, Is.EqualTo(exitCode));
        string line = err.ToString();
        Assert.That(line.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(line, Does.StartWith("rnn: ").And.Contain(says).And.Contain("proj_size is not supported by this shim"));
    }

    [Test]
    public void ANativeInvalidArgumentIsAnInternalErrorNamingBackendAndCodes()
    {
        var err = new StringWriter();
        int exit = CliFailures.Report(new RnnBackendInvalidArgumentException("onednn", 1, "hidden_size must be positive"), err);
        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(err.ToString(), Does.Contain("internal error in the onednn backend (InvalidArgument, native code 1): hidden_size must be positive")
            .And.Contain("not in your input"));
    }

    [Test]
    public void TheCallersOwnArgumentErrorStaysAUserError()
    {
        var err = new StringWriter();
        int exit = CliFailures.Report(new ArgumentException("Hidden size must be positive.", "hiddenSize"), err);
        Assert.That((exit, err.ToString().TrimEnd()), Is.EqualTo((ExitCodes.InvalidInput, "rnn: Hidden size must be positive.")));
    }
}
