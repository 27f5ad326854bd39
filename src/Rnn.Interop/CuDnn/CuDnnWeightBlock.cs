namespace RnnNative.Interop.CuDnn;

/// <summary>
/// One gate's matrix or bias as cuDNN addresses it (pseudoLayer, linLayerID) and where it lives in the PyTorch tensor:
/// <see cref="Rows"/>·<see cref="Columns"/> contiguous elements of <see cref="Parameter"/> starting at <see cref="SourceOffset"/>.
/// </summary>
internal sealed record CuDnnWeightBlock(
    int PseudoLayer,
    int LinLayerId,
    bool IsBias,
    string Parameter,
    RnnParameterKind Kind,
    int Layer,
    int Direction,
    int Gate,
    int SourceOffset,
    int Rows,
    int Columns)
{
    public int ElementCount => Rows * Columns;
}
