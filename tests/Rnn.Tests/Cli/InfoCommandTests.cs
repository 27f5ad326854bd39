using RnnNative.Interop;

namespace RnnNative.Tests.Cli;

/// <summary><c>rnn info</c> lists every backend with its availability and reason, and the thread count.</summary>
public class InfoCommandTests
{
    [Test]
    public void ListsEveryBackendWithItsAvailabilityAndReason()
    {
        var run = CliRunner.Run("info");
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        var lines = run.Out.Split('\n');
        foreach (var backend in RnnBackends.All)
        {
            var line = lines.SingleOrDefault(l => l.TrimStart().StartsWith(backend.Name + " ", StringComparison.Ordinal));
            Assert.That(line, Is.Not.Null, backend.Name);
            string state = backend.Availability.IsAvailable ? "available" : "unavailable";
            Assert.That(line, Does.Contain($" {state}: {backend.Availability.Reason}"));
        }
        foreach (var (key, value) in RnnBackends.Managed.Describe())
            Assert.That(run.Out, Does.Contain($"{key}: {value}"));
        Assert.That(run.Out, Does.Contain($"Processor threads: {Environment.ProcessorCount}"));
        Assert.That(run.Out, Does.Contain("Default backend: " + RnnBackends.Fastest().Name));
    }
}
