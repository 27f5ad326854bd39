using RnnNative.Samples.Plotting;
using RnnNative.Models;
using RnnNative.Training;
using System.Numerics.Tensors;

namespace RnnNative.Samples;

/// <summary>
/// Vanishing gradients made visible. The task: a sequence of 60 tokens whose first token is A or B and the rest random
/// noise; the label is the first token, so the answer must be carried across 59 steps. A vanilla tanh RNN and an LSTM of
/// the same size are trained the same way (Adam, same batches); the LSTM learns it, the RNN stays at chance.
/// At initialisation the sample also measures ‖∂L/∂x_t‖, the gradient of the loss with respect to each step's input,
/// and plots both curves (log scale) to a PNG: the RNN's falls by orders of magnitude towards t = 0, the LSTM's far less.
/// <para>
/// The training loop is written out with the layers (token input, <see cref="RecurrentLayer"/>, <see cref="Linear"/>,
/// <see cref="SoftmaxCrossEntropy"/>, <see cref="Adam"/>) to show the lower-level API. The LSTM starts with the
/// gate biases long-memory LSTMs are given in practice ("chrono" initialisation, Tallec &amp; Ollivier 2018): forget gate
/// +3, input gate −3, so that at first it keeps its cell and writes little; with PyTorch's default biases it needs far
/// more steps than a sample should take. The RNN has no gates to set: that is the point.
/// </para>
/// </summary>
public static class VanishingGradientSample
{
    public const int SequenceLength = 60;
    private const int Hidden = 16, Noise = 3, Vocabulary = 2 + Noise, BatchSize = 32;

    public static SampleResult Run(TextWriter output, SampleOptions options) => Run(output, options, trainingSteps: 200);

    public static SampleResult Run(TextWriter output, SampleOptions options, int trainingSteps)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        output.WriteLine($"vanishing: remember the first of {SequenceLength} tokens (A or B, then noise); hidden {Hidden}, batch {BatchSize}, {trainingSteps} Adam steps, backend {options.ResolvedBackend.Name}, seed {options.Seed}");
        var test = MakeBatch(new Random(options.Seed + 99), 256);
        var metrics = new Dictionary<string, double>();
        var curves = new Dictionary<RnnCellKind, double[]>();
        foreach (var cell in new[] { RnnCellKind.RnnTanh, RnnCellKind.Lstm })
        {
            using var net = new Network(cell, options);
            curves[cell] = net.InputGradientNorms(MakeBatch(new Random(options.Seed + 7), 64));
            var rng = new Random(options.Seed + 1);
            double loss = 0;
            for (int step = 1; step <= trainingSteps; step++)
            {
                loss = net.TrainStep(MakeBatch(rng, BatchSize));
                if (step % 40 == 0) output.WriteLine($"  {Name(cell),-4} step {step,3}: loss {loss:F4}");
            }
            double accuracy = net.Accuracy(test);
            string key = cell == RnnCellKind.Lstm ? "lstm" : "rnn";
            metrics[$"{key}_accuracy"] = accuracy;
            metrics[$"{key}_loss"] = loss;
            metrics[$"{key}_gradient_ratio"] = curves[cell][0] / curves[cell][^1];
            output.WriteLine($"  {Name(cell),-4} held-out accuracy {accuracy:P1} (chance 50%)");
        }

        foreach (var (cell, curve) in curves)
            output.WriteLine($"  {Name(cell),-4} at initialisation: |dL/dx_t| = {curve[^1]:E2} at the last step, {curve[0]:E2} at the first (ratio {curve[0] / curve[^1]:E2})");

        var plot = new LinePlot("|DL/DX(T)| AT INIT (LOG10)", "T");
        plot.Add("RNN", curves[RnnCellKind.RnnTanh], new Rgb(214, 39, 40));
        plot.Add("LSTM", curves[RnnCellKind.Lstm], new Rgb(31, 119, 180));
        Directory.CreateDirectory(options.ResolvedOutputDirectory);
        string path = Path.GetFullPath(Path.Combine(options.ResolvedOutputDirectory, "vanishing-gradients.png"));
        plot.Render().SavePng(path);
        output.WriteLine($"  plot (red: RNN, blue: LSTM): {path}");
        return new SampleResult("vanishing", metrics, [], path);
    }

    private static string Name(RnnCellKind cell) => cell == RnnCellKind.Lstm ? "LSTM" : "RNN";

    /// <summary>Sequences of first token 0 (A) or 1 (B), then noise tokens 2..4; labels are the first tokens.</summary>
    private static (TokenBatch Batch, int[] Labels) MakeBatch(Random rng, int count)
    {
        var sequences = new List<IReadOnlyList<int>>();
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = rng.Next(2);
            sequences.Add([labels[n], .. Enumerable.Range(1, SequenceLength - 1).Select(_ => 2 + rng.Next(Noise))]);
        }
        return (TokenBatch.FromSequences(sequences), labels);
    }

    /// <summary>One-hot tokens → RNN or LSTM → linear head on the final state → 2 classes.</summary>
    private sealed class Network : IDisposable
    {
        private readonly OneHotInput _input = new(Vocabulary);
        private readonly RecurrentLayer _rnn;
        private readonly Linear _fc;
        private readonly Adam _optimizer = new(0.01);
        private readonly List<Parameter> _parameters;

        public Network(RnnCellKind cell, SampleOptions options)
        {
            _rnn = new RecurrentLayer(new RnnSpec(cell, Vocabulary, Hidden), options.ResolvedBackend, options.Seed);
            _fc = new Linear(Hidden, 2, options.Seed + 2);
            _parameters = [.. _rnn.Parameters, .. _fc.Parameters];
            if (cell == RnnCellKind.Lstm)
            {
                // PyTorch's gate order is i, f, g, o; b_ih and b_hh add up, so each carries half.
                foreach (var bias in _rnn.Parameters.Where(p => p.Name.StartsWith("rnn.bias_", StringComparison.Ordinal)))
                {
                    bias.Value.Span.Slice(0, Hidden).Fill(-1.5f);
                    bias.Value.Span.Slice(Hidden, Hidden).Fill(1.5f);
                }
                _rnn.PushParameters();
            }
        }

        public double TrainStep((TokenBatch Batch, int[] Labels) data)
        {
            foreach (var p in _parameters) p.ZeroGradient();
            var (loss, _) = ForwardBackward(data);
            GradientClipping.ClipByGlobalNorm(_parameters, 5);
            _optimizer.Step(_parameters);
            _rnn.PushParameters();
            return loss;
        }

        /// <summary>‖∂L/∂x_t‖ over the batch for each t, without changing the weights.</summary>
        public double[] InputGradientNorms((TokenBatch Batch, int[] Labels) data)
        {
            var (_, dx) = ForwardBackward(data);
            foreach (var p in _parameters) p.ZeroGradient();
            int n = data.Batch.Batch;
            var norms = new double[SequenceLength];
            for (int t = 0; t < SequenceLength; t++)
            {
                double sum = 0;
                foreach (float v in dx.Span.Slice(t * n * Vocabulary, n * Vocabulary)) sum += (double)v * v;
                norms[t] = Math.Sqrt(sum);
            }
            return norms;
        }

        public double Accuracy((TokenBatch Batch, int[] Labels) data)
        {
            using var pass = _rnn.Forward(Embed(data.Batch), data.Batch.Lengths, null, training: false);
            var logits = _fc.Forward(LastState(pass));
            return data.Labels.Where((label, n) => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Span.Slice(n * 2, 2)) == label).Count()
                / (double)data.Labels.Length;
        }

        private (double Loss, Tensor<float> InputGradient) ForwardBackward((TokenBatch Batch, int[] Labels) data)
        {
            using var pass = _rnn.Forward(Embed(data.Batch), data.Batch.Lengths, null, training: true);
            var features = LastState(pass);
            var loss = SoftmaxCrossEntropy.Compute(_fc.Forward(features), data.Labels);
            var dFeatures = _fc.Backward(features, loss.Gradient);
            var (dx, _) = _rnn.Backward(pass, null, dFeatures.WithShape(1, data.Batch.Batch, Hidden), null);
            return (loss.Value, dx);
        }

        private Tensor<float> Embed(TokenBatch batch) => _input.Forward(batch.Ids).WithShape(batch.SeqLen, batch.Batch, Vocabulary);

        /// <summary>h_n of the single layer, (1, N, H), viewed as (N, H).</summary>
        private static Tensor<float> LastState(RecurrentPass pass) => pass.Final.Hidden.WithShape(pass.Final.Hidden.Dim(1), Hidden);

        public void Dispose() => _rnn.Dispose();
    }
}
