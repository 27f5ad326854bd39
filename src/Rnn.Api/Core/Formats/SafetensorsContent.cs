using System.Numerics.Tensors;
namespace RnnNative.Formats;

/// <summary>What a safetensors file holds: its string metadata and its tensors (converted to float32), in file order.</summary>
public sealed record SafetensorsContent(
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<KeyValuePair<string, Tensor<float>>> Tensors)
{
    public IReadOnlyDictionary<string, Tensor<float>> ToDictionary() => Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
}
