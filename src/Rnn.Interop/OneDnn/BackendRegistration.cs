using RnnNative;
using RnnNative.Interop.OneDnn;
using RnnNative.Extensibility;

// Found by RnnBackends when an application references this package: faster than the managed reference.
[assembly: RnnBackend(typeof(OneDnnBackend), speedRank: 10)]
