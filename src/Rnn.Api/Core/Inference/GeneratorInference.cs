using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>
/// One-to-many, as <see cref="SequenceGenerator.Generate"/>: the record's tokens are the prompt; then each sampled
/// token is fed back with the carried state, the whole batch one step at a time. Each record samples from its own
/// random stream (<see cref="GenerationOptions.SeedFor"/>).
/// </summary>
internal sealed class GeneratorInference(ITokenInput input, RecurrentNetwork rnn, Linear fc, GenerationOptions generation) : InferenceModel
{
    public override ModelKind? Kind => ModelKind.Generator;
    public override string Description => $"generator: vocabulary {input.VocabularySize} → {rnn.Spec} → next token";

    internal override string? Check(PredictionRecord record) =>
        CheckTokens(record, input) ?? (record.Id is null ? "a generated record needs an id (its random stream is seeded from it)" : null);

    internal override PredictionResult[] Run(IReadOnlyList<PredictionRecord> batch, PredictionStatistics statistics)
    {
        int n = batch.Count, steps = Longest(batch), width = rnn.Spec.OutputSize, classes = fc.OutputSize;
        var randoms = batch.Select(r => new Random(generation.SeedFor(r.Id!.Value))).ToArray();
        var produced = batch.Select(_ => new List<int>()).ToArray();
        var active = new bool[n];
        Array.Fill(active, true);
        var logits = new float[n * classes];
        var ones = new int[n];
        Array.Fill(ones, 1);

        var pass = rnn.Run(input.Embed(batch.Select(r => r.Tokens!).ToList(), steps), Lengths(batch));
        statistics.AddPass(Useful(batch), (long)n * steps);
        try
        {
            for (int b = 0; b < n; b++)
                fc.Apply(pass.Output.Span.Slice(((batch[b].Length - 1) * n + b) * width, width), logits.AsSpan(b * classes, classes));
            var next = new int[n];
            for (int k = 0; k < generation.MaxNewTokens; k++)
            {
                int running = 0;
                for (int b = 0; b < n; b++)
                {
                    if (!active[b]) continue;
                    int token = generation.Sampling.Sample(logits.AsSpan(b * classes, classes), randoms[b]);
                    if (token == generation.StopToken) active[b] = false;
                    else
                    {
                        produced[b].Add(token);
                        next[b] = token;
                        running++;
                    }
                }
                if (running == 0 || k == generation.MaxNewTokens - 1) break;
                var step = rnn.Run(input.EmbedStep(next), ones, pass.Hidden, pass.Cell);
                pass.Dispose();
                pass = step;
                statistics.AddPass(running, n);
                for (int b = 0; b < n; b++)
                    if (active[b]) fc.Apply(pass.Output.Span.Slice(b * width, width), logits.AsSpan(b * classes, classes));
            }
        }
        finally
        {
            pass.Dispose();
        }
        return batch.Select((r, b) => new PredictionResult(r) { Tokens = [.. produced[b]] }).ToArray();
    }

    private protected override void Release() => rnn.Dispose();
}
