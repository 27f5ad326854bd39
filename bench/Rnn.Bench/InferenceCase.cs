using RnnNative.Cli.Benchmarking;

namespace RnnNative.Bench;

/// <summary>
/// One timed inference row: a configuration and a target that can run it. The managed reference runs the first
/// <see cref="Steps"/> steps only (a tenth of the sequence) and its time is scaled up by <see cref="Scale"/>, since a
/// forward pass is linear in its length: it is there for scale, not for a contest.
/// </summary>
public sealed record InferenceCase(StandardConfiguration Configuration, BackendTarget Target)
{
    public const int ManagedStepDivisor = 10;

    public int Steps => Target == BackendTarget.Managed ? Math.Max(1, Configuration.SeqLen / ManagedStepDivisor) : Configuration.SeqLen;

    public double Scale => (double)Configuration.SeqLen / Steps;

    /// <summary>The row's name in the tables.</summary>
    public string TargetLabel => Scale > 1 ? $"{Target} (T={Steps}, ×{Scale:0})" : Target.ToString();

    public override string ToString() => $"{Configuration.Name} {Target}";
}
