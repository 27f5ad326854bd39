using System.Runtime.CompilerServices;

namespace RnnNative.Tests.Errors;

/// <summary>A training context dropped without Dispose is counted when collected, never leaked silently.</summary>
[NonParallelizable]
public class UndisposedTrainingContextTests
{
    [Test]
    public void ADroppedContextIsCountedAndADisposedOneIsNot()
    {
        var spec = new RnnSpec(RnnCellKind.Gru, 2, 3);
        using var exec = RnnNative.Managed.ManagedBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(spec, 1));
        var input = new RnnInput(RnnTensors.Zeros(2, 1, 2));
        Collect();
        long before = RnnTrainingContext.UndisposedCount;
        RunAndDispose(exec, input);
        Collect();
        Assert.That(RnnTrainingContext.UndisposedCount, Is.EqualTo(before), "a disposed context is not reported");
        RunAndDrop(exec, input);
        Collect();
        Assert.That(RnnTrainingContext.UndisposedCount, Is.EqualTo(before + 1));
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunAndDispose(RnnExecutor exec, RnnInput input) => exec.Forward(input, RnnMode.Training).Dispose();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunAndDrop(RnnExecutor exec, RnnInput input) => _ = exec.Forward(input, RnnMode.Training).Context;
}
