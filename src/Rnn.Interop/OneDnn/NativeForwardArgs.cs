using System.Runtime.InteropServices;

namespace RnnNative.Interop.OneDnn;

/// <summary>rnn_forward_args: every buffer with its element count, which the shim checks again.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeForwardArgs
{
    public int SeqLen;
    public int Batch;
    public int BatchFirst;
    public int Threads; // 0: the executor's
    public int* Lengths;
    public float* Input; public long InputCount;
    public float* H0; public long H0Count;
    public float* C0; public long C0Count;
    public float* Output; public long OutputCount;
    public float* Hn; public long HnCount;
    public float* Cn; public long CnCount;
}
