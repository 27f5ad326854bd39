using System.Reflection;
using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

/// <summary>
/// cuDNN is documented thread-safe only for threads that do not share a handle, and says nothing of descriptors shared
/// between concurrent calls. So every cuDNN object a call passes in must come from the call's own pooled workspace
/// (that the pool never lends one workspace to two calls is <see cref="CallWorkspacePoolTests"/>' part); nothing that
/// outlives a call may hold one. Checked on the types, so it holds without a GPU.
/// </summary>
public class CuDnnCallIsolationTests
{
    private static readonly Type[] CuDnnObjects =
    [
        typeof(CuDnnHandle), typeof(CudaStream), typeof(CuDnnRnnDescriptor), typeof(CuDnnDropoutDescriptor),
        typeof(CuDnnRnnDataDescriptor), typeof(CuDnnTensorDescriptor),
    ];

    [TestCase(typeof(CuDnnRnnExecutor))]
    [TestCase(typeof(CuDnnTrainingContext))]
    public void NothingSharedBetweenCallsHoldsACuDnnObject(Type shared)
    {
        var held = shared.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => CuDnnObjects.Contains(f.FieldType))
            .Select(f => $"{f.FieldType.Name} {f.Name}");
        Assert.That(held, Is.Empty, $"{shared.Name} would hand the same cuDNN object to concurrent calls");
    }

    [Test]
    public void EachWorkspaceOwnsEveryCuDnnObjectACallPasses()
    {
        var owned = typeof(CuDnnCallWorkspace).GetProperties()
            .Where(p => CuDnnObjects.Contains(p.PropertyType))
            .GroupBy(p => p.PropertyType.Name)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.That(owned, Is.EquivalentTo(new Dictionary<string, int>
        {
            ["CuDnnHandle"] = 1,
            ["CudaStream"] = 1,
            ["CuDnnRnnDescriptor"] = 1,
            ["CuDnnDropoutDescriptor"] = 1,
            ["CuDnnRnnDataDescriptor"] = 2, // x and y
            ["CuDnnTensorDescriptor"] = 2, // h and c states
        }));
    }
}
