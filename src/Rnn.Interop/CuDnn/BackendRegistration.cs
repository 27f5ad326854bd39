using RnnNative;
using RnnNative.Interop.CuDnn;
using RnnNative.Extensibility;

// Found by RnnBackends when an application references this package: tried before the CPU backends.
[assembly: RnnBackend(typeof(CuDnnBackend), speedRank: 20)]
