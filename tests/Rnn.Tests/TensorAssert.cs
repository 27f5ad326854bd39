using RnnNative.Validation;
using System.Numerics.Tensors;

namespace RnnNative.Tests;

/// <summary>
/// The project's per-tensor rule in test form, through the validation suite's own comparison:
/// max|actual − expected| ≤ tolerance · max(1, max|expected|), shapes equal, every value finite.
/// </summary>
internal static class TensorAssert
{
    public const double F32 = ValidationTolerance.F32;

    public static void Close(Tensor<float>? actual, Tensor<float>? expected, double tolerance, string what)
    {
        if (expected is null)
        {
            Assert.That(actual, Is.Null, what);
            return;
        }
        var comparison = TensorComparison.Compare(what, actual, expected, tolerance);
        Assert.That(comparison.Passed, Is.True, comparison.ToString());
    }

    public static void Close(RnnParameters actual, RnnParameters expected, double tolerance, string what)
    {
        foreach (var (name, tensor) in expected.Tensors) Close(actual[name], tensor, tolerance, $"{what} {name}");
    }
}
