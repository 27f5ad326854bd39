using RnnNative.Bench;
using RnnNative.Bench.CallerMemory;
using RnnNative.Bench.Peers;
using RnnNative.Cli.Benchmarking;
using RnnNative.Validation;

namespace RnnNative.Tests.Bench;

/// <summary>
/// The caller-memory run's parts, without timing anything: its command lines, what it reads from a child, the growth
/// it reports, and ORT's shared session, whose every caller must compute the reference's function into its own buffer.
/// </summary>
public class CallerMemoryTests
{
    private static readonly StandardConfiguration Tiny = new("tiny-lstm", new RnnSpec(RnnCellKind.Lstm, 6, 8, 2), 3, 5);

    [Test]
    public void The_run_and_its_child_are_read_from_the_command_line()
    {
        Assert.That(BenchOptions.Parse(["--caller-memory", "--out", "m.md", "--perturb-peer"], out var error),
            Is.EqualTo(new BenchOptions(false, true, "m.md", null, null, CallerMemory: true)));
        Assert.That(error, Is.Null);
        Assert.That(BenchOptions.Parse(["--ort-callers", "4"], out _)!.OrtCallers, Is.EqualTo(4));
    }

    [TestCase(new[] { "--caller-memory", "--quick" }, "--caller-memory is a run of its own; only --out and --perturb-peer go with it")]
    [TestCase(new[] { "--caller-memory", "--records", "5" }, "--caller-memory is a run of its own; only --out and --perturb-peer go with it")]
    [TestCase(new[] { "--ort-callers", "0" }, "--ort-callers needs a positive integer")]
    [TestCase(new[] { "--ort-callers", "2", "--out", "x.md" }, "--ort-callers is the caller-memory run's child; give it alone")]
    public void A_bad_caller_memory_command_line_is_refused_with_the_reason(string[] args, string reason)
    {
        Assert.That(BenchOptions.Parse(args, out var error), Is.Null);
        Assert.That(error, Is.EqualTo(reason));
    }

    [Test]
    public void Our_child_is_rnn_bench_on_lstm_infer_with_one_thread_per_call()
    {
        Assert.That(string.Join(' ', CallerMemoryRun.OurArguments(4)), Is.EqualTo(
            "bench --mode lstm --input-size 256 --hidden-size 512 --layers 2 --batch 64 --seq-len 100 --threads 1 --callers 4 --seconds 3 --json"));
        Assert.That(CallerMemoryRun.OrtArguments(2), Is.EqualTo(new[] { "--ort-callers", "2" }));
    }

    [Test]
    public void A_childs_json_line_gives_its_three_figures_and_a_missing_peak_is_refused()
    {
        var m = CallerMemoryMeasurement.FromJson("""{"backend":"onednn","seq_per_s":115.5,"peak_rss_mb":126.25,"caller_buffers_mb":13}""");
        Assert.That(m, Is.EqualTo(new CallerMemoryMeasurement(115.5, 126.25, 13)));
        Assert.That(CallerMemoryMeasurement.FromJson(m.ToJson()), Is.EqualTo(m), "the ORT child's line reads back the same way");
        Assert.Throws<InvalidOperationException>(() => CallerMemoryMeasurement.FromJson("""{"seq_per_s":1,"peak_rss_mb":null,"caller_buffers_mb":0}"""));
    }

    [Test]
    public void Growth_is_from_the_fewest_to_the_most_callers_in_total_and_without_the_callers_buffers()
    {
        // 126.5 → 188.8 MiB with 13 → 52 MiB of callers' buffers: +49.2 % in total, 113.5 → 136.8 MiB (+20.5 %) without.
        var ort = new CallerMemoryMeasurement(100, 200, 12.5);
        CallerMemoryRow[] rows =
        [
            new(1, 1, new(115, 126.5, 13), ort),
            new(1, 2, new(110, 147.5, 26), ort with { PeakRssMb = 250, CallerBuffersMb = 25 }),
            new(1, 4, new(105, 188.8, 52), ort with { PeakRssMb = 400, CallerBuffersMb = 50 }),
        ];
        var (total, without) = CallerMemoryTable.Growth(rows, 1, r => r.Ours)!.Value;
        Assert.That(total, Is.EqualTo(188.8 / 126.5 - 1).Within(1e-12));
        Assert.That(without, Is.EqualTo(136.8 / 113.5 - 1).Within(1e-12));
        Assert.That(CallerMemoryTable.Growth(rows, 2, r => r.Ours), Is.Null, "a round without rows has no growth");

        string md = CallerMemoryTable.Write(new CallerMemoryReport(rows, [("CPU", "Test CPU")], ["a note"]));
        Assert.That(md, Does.Contain("| 1 | 4 | 105.0 | 188.8 | 52.0 | 100.0 | 400.0 | 50.0 |"));
        // ORT: 200 → 400 MiB (+100 %), 187.5 → 350 MiB (+86.7 %) without its buffers.
        Assert.That(md, Does.Contain("| 1 | +49.2 % | +20.5 % | +100.0 % | +86.7 % |"));
        Assert.That(md, Does.Contain("- CPU: Test CPU").And.Contain("- a note"));
    }

    [Test]
    public void The_peak_is_read_in_kilobytes_from_the_kernels_status_line()
    {
        Assert.That(PeakResidentSet.Kilobytes("   123456 kB"), Is.EqualTo(123456));
        Assert.Throws<FormatException>(() => PeakResidentSet.Kilobytes(" 12 MB"));
        if (OperatingSystem.IsLinux()) Assert.That(PeakResidentSet.Megabytes(), Is.GreaterThan(0));
    }

    [Test]
    public void Every_caller_of_ORTs_shared_session_computes_the_reference_into_its_own_buffer()
    {
        var parameters = BenchWorkload.Parameters(Tiny);
        var x = BenchWorkload.Input(Tiny);
        float[] reference;
        using (var managed = RnnBackends.Managed.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.F32, 1)))
        using (var result = managed.Forward(new RnnInput(x)))
            reference = result.Output.Span.ToArray();

        using var session = new OrtSharedSession(parameters, x, callers: 3);
        Assert.That(session.CallerBufferBytes, Is.EqualTo(3L * reference.Length * sizeof(float)));
        session.Run(1);
        Assert.That(session.Output(0), Is.All.EqualTo(0f), "caller 1's call wrote into caller 0's buffer");
        Assert.That(session.Output(2), Is.All.EqualTo(0f), "caller 1's call wrote into caller 2's buffer");
        FreeRunningCallers.Measure(3, session.Run, seconds: 0.01);
        for (int caller = 0; caller < 3; caller++)
            Assert.That(PeerAgreement.Compare(reference, session.Output(caller), ValidationTolerance.F32).Agrees, Is.True, $"caller {caller}");
    }

    [Test]
    public void Free_running_callers_each_call_and_a_callers_failure_is_rethrown()
    {
        var called = new bool[3];
        var (calls, _) = FreeRunningCallers.Measure(3, caller => called[caller] = true, seconds: 0.01);
        Assert.That(called, Is.All.True);
        Assert.That(calls, Is.GreaterThanOrEqualTo(3), "every caller makes at least one timed call");
        Assert.Throws<InvalidOperationException>(() => FreeRunningCallers.Measure(2, caller =>
        {
            if (caller == 1) throw new InvalidOperationException("caller 1 fails");
        }, seconds: 0.01));
    }
}
