namespace RnnNative.Managed;

/// <summary>The per-direction running state and gate buffers of <see cref="ReferenceRnn"/>; they only grow.</summary>
internal sealed class ReferenceScratch
{
    public double[] H { get; private set; } = [];
    public double[] C { get; private set; } = [];
    public double[] Gi { get; private set; } = [];
    public double[] Gh { get; private set; } = [];
    public double[] HNew { get; private set; } = [];
    public double[] CNew { get; private set; } = [];
    /// <summary>The projected h of one step (P wide), when the LSTM projects.</summary>
    public double[] HProjected { get; private set; } = [];

    public void Ensure(RnnSpec spec, int batch)
    {
        int hidden = spec.HiddenSize, state = spec.HiddenStateSize, gates = spec.GateCount * hidden;
        if (H.Length < batch * state) H = new double[batch * state];
        if (C.Length < batch * hidden) C = new double[batch * hidden];
        if (Gi.Length < gates) { Gi = new double[gates]; Gh = new double[gates]; }
        if (HNew.Length < hidden) { HNew = new double[hidden]; CNew = new double[hidden]; }
        if (HProjected.Length < state) HProjected = new double[state];
    }
}
