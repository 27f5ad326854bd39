using System.Runtime.InteropServices;
using System.Text;

namespace RnnNative.Interop.OneDnn;

/// <summary>rnn_capabilities: what the loaded shim and this CPU can do.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeCapabilities
{
    public int AbiVersion;
    public int OneDnnMajor, OneDnnMinor, OneDnnPatch;
    public int MaxThreads;
    public int Bf16;
    public int Bf16Native;
    public fixed byte Isa[64];

    public string IsaName
    {
        get
        {
            fixed (byte* p = Isa)
            {
                var span = new ReadOnlySpan<byte>(p, 64);
                int end = span.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
            }
        }
    }

    public string OneDnnVersion => $"{OneDnnMajor}.{OneDnnMinor}.{OneDnnPatch}";
}
