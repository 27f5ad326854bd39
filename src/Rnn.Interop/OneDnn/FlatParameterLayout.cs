using System.Numerics.Tensors;
namespace RnnNative.Interop.OneDnn;

/// <summary>The shim's parameter buffer: PyTorch's state_dict tensors concatenated in state_dict order.</summary>
internal static class FlatParameterLayout
{
    public static long Count(RnnSpec spec) => RnnParameterInfo.Enumerate(spec).Sum(i => (long)i.ElementCount);

    public static float[] Flatten(RnnParameters parameters)
    {
        var flat = new float[Count(parameters.Spec)];
        int offset = 0;
        foreach (var (_, tensor) in parameters.Tensors)
        {
            tensor.Span.CopyTo(flat.AsSpan(offset));
            offset += tensor.Length;
        }
        return flat;
    }

    public static RnnParameters Unflatten(RnnSpec spec, float[] flat)
    {
        var tensors = new Dictionary<string, Tensor<float>>();
        int offset = 0;
        foreach (var info in RnnParameterInfo.Enumerate(spec))
        {
            tensors[info.Name] = RnnTensors.Create(flat.AsSpan(offset, info.ElementCount).ToArray(), info.Shape);
            offset += info.ElementCount;
        }
        return RnnParameters.FromTensors(spec, tensors);
    }
}
