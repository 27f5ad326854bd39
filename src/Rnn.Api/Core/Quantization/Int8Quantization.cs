namespace RnnNative;

/// <summary>
/// The activation quantization of an int8 model: one <see cref="Int8LayerQuantization"/> per layer (shared by both
/// directions, as oneDNN applies one pair per primitive and both directions read the same input). Weights need no entry:
/// their per-output-channel scales are computed from the f32 weights when a model is prepared.
/// Produced by <see cref="Int8Calibration"/>; stored in a model file's metadata by <c>RnnModelFile</c>.
/// </summary>
public sealed record Int8Quantization
{
    public Int8Quantization(IReadOnlyList<Int8LayerQuantization> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("An int8 quantization needs at least one layer.", nameof(layers));
        for (int l = 0; l < layers.Count; l++) layers[l].Validate(l, nameof(layers));
        Layers = layers.ToArray();
    }

    public IReadOnlyList<Int8LayerQuantization> Layers { get; }

    /// <summary>
    /// Throws unless this quantization has one entry per layer of <paramref name="spec"/>; the exception names
    /// <paramref name="paramName"/>, the argument through which the caller passed this quantization.
    /// </summary>
    public void EnsureFits(RnnSpec spec, string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Layers.Count != spec.NumLayers)
            throw new ArgumentException($"The int8 quantization has {Layers.Count} layer(s), but the model {spec} has {spec.NumLayers}; recalibrate it for this model (rnn calibrate).", paramName);
    }

    public bool Equals(Int8Quantization? other) => other is not null && Layers.SequenceEqual(other.Layers);

    public override int GetHashCode() => Layers.Aggregate(0, (h, l) => HashCode.Combine(h, l));
}
