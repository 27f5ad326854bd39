namespace RnnNative.Bench.CallerMemory;

/// <summary>
/// The ORT side of the caller-memory run, as its own process (<c>Rnn.Bench --ort-callers K</c>): the configuration's
/// weights and input, one <see cref="OrtSharedSession"/> shared by K callers, timed as <c>rnn bench</c> times its callers,
/// then one JSON line with the fields <c>rnn bench --json</c> uses for the same figures. Nothing else runs in this
/// process, so its peak resident memory is ORT's for K callers (plus the .NET runtime, as in our child).
/// </summary>
public static class OrtCallersChild
{
    private const double Mebibyte = 1024.0 * 1024.0;

    public static int Run(int callers, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var configuration = CallerMemoryRun.Configuration;
        using var session = new OrtSharedSession(BenchWorkload.Parameters(configuration), BenchWorkload.Input(configuration), callers);
        var (calls, seconds) = FreeRunningCallers.Measure(callers, session.Run, CallerMemoryRun.Seconds);
        double peak = PeakResidentSet.Megabytes() ?? throw new PlatformNotSupportedException("peak resident memory (VmHWM) is read from /proc/self/status, which needs Linux");
        output.WriteLine(new CallerMemoryMeasurement(configuration.Batch * calls / seconds, peak, session.CallerBufferBytes / Mebibyte).ToJson());
        return 0;
    }
}
