using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace RnnNative.Bench.Harness;

/// <summary>How the full suite runs BenchmarkDotNet: in process, one invocation per iteration, fixed counts.</summary>
public static class SuiteJob
{
    public const int FullIterations = 10;
    public const int FullWarmups = 3;

    public static ManualConfig Config(bool quick)
    {
        // Every operation takes milliseconds to seconds, so one invocation per iteration; fixed counts bound the run's length.
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithInvocationCount(1).WithUnrollFactor(1).WithLaunchCount(1);
        job = quick ? job.WithWarmupCount(1).WithIterationCount(3) : job.WithWarmupCount(FullWarmups).WithIterationCount(FullIterations);
        return ManualConfig.CreateMinimumViable().AddJob(job).AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "rnn-bench-artifacts"))
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48));
    }
}
