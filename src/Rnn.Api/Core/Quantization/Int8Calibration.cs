using RnnNative.Managed;
using System.Numerics.Tensors;
using RnnNative.Extensibility;

namespace RnnNative;

/// <summary>
/// Chooses the int8 activation quantization of an LSTM from sample data: runs the model in f32 on the managed reference,
/// layer by layer, and records per layer the range of its input and of its hidden states (outputs and h0) at live steps.
///
/// The rule is min/max (no percentile clipping), widened to include 0. For layers above the first, both input and h are
/// LSTM hidden states, bounded in (-1, 1): the observed range is what the model produces, and clipping a saturated
/// h of ±1 would bias exactly the values an LSTM uses most. For the first layer, the input range comes from the data;
/// min/max never saturates a value seen in calibration, at the cost of a coarser step when the data has outliers
/// (calibrate on representative data, not on a few extreme samples).
/// </summary>
public static class Int8Calibration
{
    public static Int8Quantization Calibrate(RnnParameters parameters, IEnumerable<RnnInput> samples)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(samples);
        var spec = parameters.Spec;
        if (spec.Cell != RnnCellKind.Lstm)
            throw new NotSupportedException($"int8 runs LSTM inference only; a {spec.Cell.ToModeName()} model cannot be calibrated for it (use f32 or bf16).");
        var min = new double[spec.NumLayers];
        var max = new double[spec.NumLayers];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        var layers = Enumerable.Range(0, spec.NumLayers).Select(l => SingleLayer(parameters, l)).ToArray();
        int count = 0;
        foreach (var sample in samples)
        {
            ArgumentNullException.ThrowIfNull(sample, nameof(samples));
            RnnBatchValidator.Validate(spec, sample);
            count++;
            var input = sample.Input;
            for (int l = 0; l < spec.NumLayers; l++)
            {
                Observe(input, sample, ref min[l], ref max[l]);
                var h0 = Rows(sample.InitialHidden, l, spec);
                var c0 = Rows(sample.InitialCell, l, spec);
                if (h0 is not null) Observe(h0.Span, ref min[l], ref max[l]);
                using var executor = ManagedBackend.Instance.CreateExecutor(layers[l]);
                using var result = executor.Forward(new RnnInput(input, sample.Lengths, h0, c0, sample.BatchFirst));
                Observe(result.Output, sample, ref min[l], ref max[l]);
                input = result.Output;
            }
        }
        if (count == 0) throw new ArgumentException("Calibration needs at least one sample batch.", nameof(samples));
        return new Int8Quantization(Enumerable.Range(0, spec.NumLayers).Select(l => Int8LayerQuantization.FromRange(min[l], max[l])).ToArray());
    }

    public static Int8Quantization Calibrate(RnnParameters parameters, RnnInput sample) => Calibrate(parameters, [sample]);

    // Layer l alone, as a one-layer model whose tensors are renamed to l0.
    private static RnnParameters SingleLayer(RnnParameters parameters, int layer)
    {
        var spec = parameters.Spec;
        var single = new RnnSpec(spec.Cell, spec.LayerInputSize(layer), spec.HiddenSize, 1, spec.Bidirectional, spec.HasBias, spec.ProjectionSize);
        var tensors = new Dictionary<string, Tensor<float>>();
        foreach (var info in RnnParameterInfo.Enumerate(single))
            tensors[info.Name] = parameters.Get(info.Kind, layer, info.Direction);
        return RnnParameters.FromTensors(single, tensors);
    }

    private static Tensor<float>? Rows(Tensor<float>? states, int layer, RnnSpec spec)
    {
        if (states is null) return null;
        int d = spec.Directions, n = states.Dim(1), h = states.Dim(2);
        return RnnTensors.Create(states.Span.Slice(layer * d * n * h, d * n * h).ToArray(), d, n, h);
    }

    // Values of a (T, N, C) or (N, T, C) tensor at live steps only: padding is not data.
    private static void Observe(Tensor<float> sequence, RnnInput batch, ref double min, ref double max)
    {
        int t = batch.BatchFirst ? sequence.Dim(1) : sequence.Dim(0);
        int n = batch.BatchFirst ? sequence.Dim(0) : sequence.Dim(1);
        int c = sequence.Dim(2);
        var data = sequence.Span;
        for (int s = 0; s < n; s++)
        {
            int length = batch.Lengths?[s] ?? t;
            for (int step = 0; step < length; step++)
            {
                int offset = (batch.BatchFirst ? s * t + step : step * n + s) * c;
                Observe(data.Slice(offset, c), ref min, ref max);
            }
        }
    }

    private static void Observe(ReadOnlySpan<float> values, ref double min, ref double max)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"The calibration data holds a non-finite value ({v}).");
            if (v < min) min = v;
            if (v > max) max = v;
        }
    }
}
