using System.Diagnostics;

namespace RnnNative.Cli.Predict;

/// <summary>
/// The wall time of a run, cut at each commit: each committed chunk records the seconds since the commit before it
/// (or since the run began), so the chunks' seconds plus the time after the last commit (the join and its checks) add
/// up to the whole run, and a resumed run's summary adds the time its earlier runs spent up to their last commit.
/// </summary>
internal sealed class RunClock
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last;

    /// <summary>The seconds since the previous call (or since the clock began); the next call counts from now.</summary>
    public double SinceLastCommit()
    {
        var now = _clock.Elapsed;
        double seconds = (now - _last).TotalSeconds;
        _last = now;
        return seconds;
    }
}
