using RnnNative.Interop.OneDnn;
using RnnNative.Validation;

namespace RnnNative.Tests.Validation;

/// <summary>
/// The oneDNN backend's two inference paths, each forced by <see cref="RnnExecutorOptions.SmallBatchPath"/>, against
/// the managed reference over every case of the quick grid (training cases run as inference: the small-batch path
/// serves inference only), in f32 and bf16 with the precision's tolerance (<see cref="ValidationTolerance.For"/>).
/// Auto is what <see cref="BackendValidationTests"/> runs.
/// </summary>
[TestFixture(SmallBatchPath.Always, RnnPrecision.F32)]
[TestFixture(SmallBatchPath.Never, RnnPrecision.F32)]
[TestFixture(SmallBatchPath.Always, RnnPrecision.Bf16)]
[TestFixture(SmallBatchPath.Never, RnnPrecision.Bf16)]
public class SmallBatchPathValidationTests(SmallBatchPath path, RnnPrecision precision)
{
    private readonly IRnnBackend _backend = new PathForcingBackend(OneDnnBackend.Instance, path);

    public static IEnumerable<TestCaseData> Cases() =>
        ValidationGrid.Create(ValidationGridSize.Quick).Select(c => new TestCaseData(c with { Mode = RnnMode.Inference }).SetName($"{{m}}({c.Name})"));

    [OneTimeSetUp]
    public void RequireOneDnn()
    {
        if (!OneDnnBackend.Instance.Availability.IsAvailable)
            Assert.Ignore($"onednn is not available: {OneDnnBackend.Instance.Availability.Reason}");
        if (!OneDnnBackend.Instance.Supports(precision))
            Assert.Ignore($"onednn runs {precision} only on a CPU with AVX-512; this one has {OneDnnBackend.Instance.Describe().First(d => d.Key == "isa").Value}");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesReference(ValidationCase validationCase)
    {
        var result = ValidationRunner.RunCase(_backend, precision, validationCase);
        if (precision == RnnPrecision.Bf16 && validationCase.ProjectionSize > 0)
        {
            // oneDNN 2.6 computes bf16 projections wrongly, so the model refuses them on either path.
            Assert.That(result.Refused, Is.True, "a bf16 LSTM projection must be refused");
            return;
        }
        Assert.That(result.Refused, Is.False, result.Refusal);
        Assert.That(result.Passed, Is.True, result.FailureReason);
    }
}

/// <summary>
/// The int8 LSTM's two paths, each forced, against the f32 reference over the quick grid's LSTM cases without a
/// projection (int8 runs LSTM inference only, and refuses projections), each calibrated on its own input and held to
/// <see cref="ValidationTolerance.Int8"/> computed from that calibration.
/// </summary>
[TestFixture(SmallBatchPath.Always)]
[TestFixture(SmallBatchPath.Never)]
public class SmallBatchPathInt8ValidationTests(SmallBatchPath path)
{
    private readonly IRnnBackend _backend = new PathForcingBackend(OneDnnBackend.Instance, path);

    public static IEnumerable<TestCaseData> Cases() =>
        ValidationGrid.Create(ValidationGridSize.Quick)
            .Where(c => c.Cell == RnnCellKind.Lstm && c.ProjectionSize == 0)
            .Select(c => new TestCaseData(c with { Mode = RnnMode.Inference }).SetName($"{{m}}({c.Name})"));

    [OneTimeSetUp]
    public void RequireOneDnnInt8()
    {
        if (!OneDnnBackend.Instance.Availability.IsAvailable)
            Assert.Ignore($"onednn is not available: {OneDnnBackend.Instance.Availability.Reason}");
        if (!OneDnnBackend.Instance.Supports(RnnPrecision.Int8))
            Assert.Ignore($"onednn runs int8 only where its int8 kernels run; this CPU has {OneDnnBackend.Instance.Describe().First(d => d.Key == "isa").Value}");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesReferenceWithinTheQuantizationBound(ValidationCase validationCase)
    {
        var result = ValidationRunner.RunInt8Case(_backend, validationCase);
        Assert.That(result.Passed, Is.True, result.FailureReason ?? string.Join("; ", result.Comparisons));
    }
}
