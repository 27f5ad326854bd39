using RnnNative.Interop.OneDnn;
using RnnNative.Validation;

namespace RnnNative.Tests.Validation;

/// <summary>
/// The oneDNN backend's two f32 inference paths, each forced by <see cref="RnnExecutorOptions.SmallBatchPath"/>, against
/// the managed reference over every case of the quick grid (training cases run as inference: the small-batch path
/// serves inference only), with <see cref="ValidationTolerance.F32"/>. Auto is what <see cref="BackendValidationTests"/> runs.
/// </summary>
[TestFixture(SmallBatchPath.Always)]
[TestFixture(SmallBatchPath.Never)]
public class SmallBatchPathValidationTests(SmallBatchPath path)
{
    private readonly IRnnBackend _backend = new PathForcingBackend(OneDnnBackend.Instance, path);

    public static IEnumerable<TestCaseData> Cases() =>
        ValidationGrid.Create(ValidationGridSize.Quick).Select(c => new TestCaseData(c with { Mode = RnnMode.Inference }).SetName($"{{m}}({c.Name})"));

    [OneTimeSetUp]
    public void RequireOneDnn()
    {
        if (!OneDnnBackend.Instance.Availability.IsAvailable)
            Assert.Ignore($"onednn is not available: {OneDnnBackend.Instance.Availability.Reason}");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesReference(ValidationCase validationCase)
    {
        var result = ValidationRunner.RunCase(_backend, RnnPrecision.F32, validationCase);
        Assert.That(result.Refused, Is.False, result.Refusal);
        Assert.That(result.Passed, Is.True, result.FailureReason);
    }
}
