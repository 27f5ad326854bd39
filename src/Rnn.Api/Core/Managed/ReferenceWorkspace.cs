namespace RnnNative.Managed;

/// <summary>
/// Everything one caller-memory inference call of the managed backend writes, lent to one call at a time by the
/// executor's pool. Buffers only grow, so steady-state calls allocate nothing.
/// </summary>
internal sealed class ReferenceWorkspace
{
    public double[] Input { get; private set; } = [];
    public double[] LayerA { get; private set; } = [];
    public double[] LayerB { get; private set; } = [];
    public double[] H0 { get; private set; } = [];
    public double[] C0 { get; private set; } = [];
    public double[] Hn { get; private set; } = [];
    public double[] Cn { get; private set; } = [];
    public int[] Lengths { get; private set; } = [];
    public ReferenceScratch Scratch { get; } = new();

    public void Ensure(RnnSpec spec, int seqLen, int batch)
    {
        int input = seqLen * batch * spec.InputSize, layer = seqLen * batch * spec.OutputSize;
        int rows = spec.NumLayers * spec.Directions * batch;
        int hidden = rows * spec.HiddenStateSize, cell = rows * spec.CellStateSize;
        if (Input.Length < input) Input = new double[input];
        if (LayerA.Length < layer) { LayerA = new double[layer]; LayerB = new double[layer]; }
        if (Hn.Length < hidden) { H0 = new double[hidden]; Hn = new double[hidden]; }
        if (Cn.Length < cell) { C0 = new double[cell]; Cn = new double[cell]; }
        if (Lengths.Length < batch) Lengths = new int[batch];
        Scratch.Ensure(spec, batch);
    }
}
