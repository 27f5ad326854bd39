using RnnNative.Extensibility;
namespace RnnNative.Interop.OneDnn;

/// <summary>A training forward pass's native state (per-segment workspaces, layer activations, the weights it used).</summary>
internal sealed class OneDnnTrainingContext(OneDnnRnnExecutor owner, RnnBatchShape shape, OneDnnContextHandle handle)
    : RnnTrainingContext(owner, shape)
{
    public OneDnnContextHandle Handle { get; } = handle;

    protected override void Release() => Handle.Dispose();
}
