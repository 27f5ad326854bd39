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

    public void Ensure(int batch, int hidden, int gates)
    {
        if (H.Length < batch * hidden) { H = new double[batch * hidden]; C = new double[batch * hidden]; }
        if (Gi.Length < gates) { Gi = new double[gates]; Gh = new double[gates]; }
        if (HNew.Length < hidden) { HNew = new double[hidden]; CNew = new double[hidden]; }
    }
}
