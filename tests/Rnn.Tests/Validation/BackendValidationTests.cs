using RnnNative.Tests.Golden;
using RnnNative.Validation;

namespace RnnNative.Tests.Validation;

/// <summary>
/// The shared validation suite, run once per backend: the quick grid against the managed reference, and PyTorch's
/// golden cases, in f32 with <see cref="ValidationTolerance.F32"/>. For the managed backend it is the harness's
/// self-check. A backend that cannot run here is ignored with its reason, never counted as passed.
/// Set RNN_VALIDATION_SEED to sample another grid, RNN_VALIDATION_GRID=full for the full one.
/// </summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class BackendValidationTests(IRnnBackend backend)
{
    private const RnnPrecision Precision = RnnPrecision.F32;

    public static IEnumerable<TestCaseData> GridCases()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("RNN_VALIDATION_SEED"), out int s) ? s : ValidationGrid.DefaultSeed;
        var size = string.Equals(Environment.GetEnvironmentVariable("RNN_VALIDATION_GRID"), "full", StringComparison.OrdinalIgnoreCase)
            ? ValidationGridSize.Full
            : ValidationGridSize.Quick;
        var smoke = ValidationGrid.Smoke.ToHashSet();
        foreach (var c in ValidationGrid.Create(size, seed))
        {
            var data = new TestCaseData(c).SetName($"{{m}}({c.Name})");
            yield return smoke.Contains(c) ? data.SetCategory("Smoke") : data;
        }
    }

    public static IEnumerable<TestCaseData> GoldenCases() =>
        GoldenCase.Names().Select(n => new TestCaseData(n).SetName($"{{m}}({n})"));

    [OneTimeSetUp]
    public void RequireAvailableBackend()
    {
        if (!backend.Availability.IsAvailable)
            Assert.Ignore($"{backend.Name} is not available: {backend.Availability.Reason}");
        if (!backend.Supports(Precision))
            Assert.Ignore($"{backend.Name} does not support {ValidationRunner.PrecisionName(Precision)} here.");
    }

    [TestCaseSource(nameof(GridCases))]
    public void MatchesReference(ValidationCase validationCase)
    {
        var result = ValidationRunner.RunCase(backend, Precision, validationCase);
        if (result.Refused) Assert.Ignore($"{backend.Name} refuses this case: {result.Refusal}");
        Assert.That(result.Passed, Is.True, result.FailureReason);
    }

    [TestCaseSource(nameof(GoldenCases))]
    public void MatchesPyTorch(string name)
    {
        var golden = GoldenCase.Load(name);
        RnnRunResult actual;
        try
        {
            actual = RnnRunResult.Execute(backend, Precision, golden.Inputs);
        }
        catch (Exception e) when (e is NotSupportedException or RnnBackendUnsupportedException)
        {
            Assert.Ignore($"{backend.Name} refuses this case: {e.Message}");
            throw;
        }
        var comparisons = golden.Expected.CompareWith(actual, ValidationTolerance.For(Precision));
        Assert.That(comparisons.Where(c => !c.Passed).Select(c => c.ToString()), Is.Empty, golden.Description);
    }
}
