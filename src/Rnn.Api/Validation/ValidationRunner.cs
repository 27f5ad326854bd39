using System.Globalization;
using RnnNative.Managed;

namespace RnnNative.Validation;

/// <summary>
/// Runs validation cases on a backend and on the managed reference and compares every output and gradient within the
/// precision's tolerance. Used by the test suite (one case at a time) and by <c>rnn validate</c> (a whole grid).
/// </summary>
public static class ValidationRunner
{
    /// <summary>
    /// Runs the quick or full grid on <paramref name="backend"/>, printing one line per group (cell × direction × mode)
    /// with the worst error against the tolerance, and one line per failing case. The caller prints the closing line
    /// (<see cref="ValidationSummary.ToString"/>).
    /// </summary>
    /// <exception cref="RnnBackendUnavailableException">The backend is unavailable here or does not support the precision.</exception>
    public static ValidationSummary Run(IRnnBackend backend, RnnPrecision precision, bool quick, TextWriter output) =>
        Run(backend, precision, ValidationGrid.Create(quick ? ValidationGridSize.Quick : ValidationGridSize.Full), output);

    /// <summary>Runs the given cases; see <see cref="Run(IRnnBackend, RnnPrecision, bool, TextWriter)"/>.</summary>
    public static ValidationSummary Run(IRnnBackend backend, RnnPrecision precision, IReadOnlyList<ValidationCase> cases, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(output);
        EnsureRunnable(backend, precision);
        if (precision == RnnPrecision.Int8)
        {
            cases = Int8Cases(cases);
            output.WriteLine($"Validating {backend.Name} (int8) against the managed reference (f32): the {cases.Count} LSTM inference cases of the grid, " +
                "each calibrated on its own input, with a per-case tolerance from its quantization steps and sizes (ValidationTolerance.Int8).");
        }
        else
        {
            double tolerance = ValidationTolerance.For(precision);
            output.WriteLine($"Validating {backend.Name} ({PrecisionName(precision)}) against the managed reference: {cases.Count} cases, {ValidationTolerance.Describe(tolerance)} per tensor.");
        }
        if (precision != RnnPrecision.Int8 && double.IsPositiveInfinity(ValidationTolerance.ForGradients(RnnCellKind.RnnRelu, precision)))
            output.WriteLine($"rnn_relu gradients in {PrecisionName(precision)}: only shape and finiteness are checked (ReLU's derivative jumps at 0).");

        int passed = 0, failed = 0, refused = 0;
        var refusals = new Dictionary<string, int>(StringComparer.Ordinal);
        int groupWidth = cases.Count == 0 ? 0 : cases.Max(c => c.Group.Length);
        foreach (var group in cases.GroupBy(c => c.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int groupPassed = 0, groupFailed = 0, groupRefused = 0;
            ValidationCaseResult? worst = null;
            foreach (var validationCase in group)
            {
                var result = RunCase(backend, precision, validationCase);
                if (result.Refused)
                {
                    groupRefused++;
                    refusals[result.Refusal!] = refusals.GetValueOrDefault(result.Refusal!) + 1;
                    continue;
                }
                if (result.Passed)
                {
                    groupPassed++;
                }
                else
                {
                    groupFailed++;
                    output.WriteLine($"  FAIL {validationCase.Name}: {result.FailureReason}");
                }
                if (worst is null || WorstRatio(result) > WorstRatio(worst)) worst = result;
            }
            passed += groupPassed;
            failed += groupFailed;
            refused += groupRefused;
            string status = groupFailed > 0 ? "FAIL" : groupPassed == 0 && groupRefused > 0 ? "n/a " : "ok  ";
            output.WriteLine($"{status} {group.Key.PadRight(groupWidth)}  {groupPassed,4} passed {groupFailed,4} failed" +
                $"{(groupRefused > 0 ? $" {groupRefused,4} refused" : "")}  {DescribeWorst(worst)}");
        }
        foreach (var (reason, count) in refusals)
            output.WriteLine($"refused by {backend.Name} ({count} case(s), not counted as passed): {reason}");
        return new ValidationSummary(passed, failed, refused);
    }

    /// <summary>Throws <see cref="RnnBackendUnavailableException"/> unless the backend can run at this precision here.</summary>
    public static void EnsureRunnable(IRnnBackend backend, RnnPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (!backend.Availability.IsAvailable)
            throw new RnnBackendUnavailableException(backend.Name, backend.Availability.Reason);
        if (!backend.Supports(precision))
            throw new RnnBackendUnavailableException(backend.Name, $"it does not support {PrecisionName(precision)} here.");
    }

    /// <summary>The cases int8 can run: LSTM inference (oneDNN has int8 kernels for nothing else), without projections (refused in int8).</summary>
    public static IReadOnlyList<ValidationCase> Int8Cases(IReadOnlyList<ValidationCase> cases) =>
        cases.Where(c => c.Cell == RnnCellKind.Lstm && c.Mode == RnnMode.Inference && c.ProjectionSize == 0).ToList();

    /// <summary>Runs one case on the reference and on <paramref name="backend"/>; an exception from the backend is a failure, reported with its message.</summary>
    public static ValidationCaseResult RunCase(IRnnBackend backend, RnnPrecision precision, ValidationCase validationCase)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(validationCase);
        if (precision == RnnPrecision.Int8) return RunInt8Case(backend, validationCase);
        var inputs = validationCase.CreateInputs();
        var reference = RnnRunResult.Execute(ManagedBackend.Instance, RnnPrecision.F32, inputs.DeepCopy());
        RnnRunResult actual;
        try
        {
            actual = RnnRunResult.Execute(backend, precision, inputs);
        }
        catch (Exception e) when (e is NotSupportedException or RnnBackendUnsupportedException)
        {
            // Refused, by the managed layer's documented limits or by the native library: not a failure.
            return new ValidationCaseResult(validationCase, [], null, e.Message);
        }
        catch (Exception e)
        {
            return new ValidationCaseResult(validationCase, [], $"{e.GetType().Name}: {e.Message}");
        }
        var comparisons = reference.CompareWith(actual, ValidationTolerance.For(precision), ValidationTolerance.ForGradients(validationCase.Cell, precision));
        return new ValidationCaseResult(validationCase, comparisons, null);
    }

    /// <summary>
    /// One int8 case: calibrated on its own input (min/max, <see cref="Int8Calibration"/>), run with that quantization,
    /// compared with the f32 reference under <see cref="ValidationTolerance.Int8"/> computed from the same calibration.
    /// </summary>
    public static ValidationCaseResult RunInt8Case(IRnnBackend backend, ValidationCase validationCase)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(validationCase);
        if (validationCase.Cell != RnnCellKind.Lstm || validationCase.Mode != RnnMode.Inference)
            throw new ArgumentException($"int8 validates LSTM inference only; {validationCase.Name} is not.", nameof(validationCase));
        var inputs = validationCase.CreateInputs();
        var reference = RnnRunResult.Execute(ManagedBackend.Instance, RnnPrecision.F32, inputs.DeepCopy());
        RnnRunResult actual;
        double tolerance;
        try
        {
            var quantization = Int8Calibration.Calibrate(inputs.Parameters, inputs.Input);
            tolerance = ValidationTolerance.Int8(inputs.Parameters, quantization);
            actual = RnnRunResult.Execute(backend, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: quantization), inputs);
        }
        catch (Exception e)
        {
            return new ValidationCaseResult(validationCase, [], $"{e.GetType().Name}: {e.Message}");
        }
        return new ValidationCaseResult(validationCase, reference.CompareWith(actual, tolerance), null);
    }

    public static string PrecisionName(RnnPrecision precision) => precision.ToString().ToLowerInvariant();

    private static double WorstRatio(ValidationCaseResult result) => result.Error is not null ? double.PositiveInfinity : result.Worst?.Ratio ?? 0;

    private static string DescribeWorst(ValidationCaseResult? worst)
    {
        if (worst is null) return "";
        if (worst.Error is not null) return $"worst: error in {worst.Case.Id}";
        if (worst.Worst is not { } c) return "";
        if (c.Problem is not null) return $"worst: {c.Name} {c.Problem} in {worst.Case.Id}";
        return string.Create(CultureInfo.InvariantCulture,
            $"worst {c.Ratio:0.0000} of tolerance: {c.Name} max|a-b| {c.MaxError:0.00e+0} (bound {c.Bound:0.00e+0}) in {worst.Case.Id}");
    }
}
