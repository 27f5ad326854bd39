using System.Runtime.InteropServices;

namespace RnnNative.Interop.OneDnn;

/// <summary>rnn_backward_args: output gradients in (null = zeros), input, state and parameter gradients out.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeBackwardArgs
{
    public float* GradOutput; public long GradOutputCount;
    public float* GradHn; public long GradHnCount;
    public float* GradCn; public long GradCnCount;
    public float* GradInput; public long GradInputCount;
    public float* GradH0; public long GradH0Count;
    public float* GradC0; public long GradC0Count;
    public float* GradParams; public long GradParamsCount;
}
