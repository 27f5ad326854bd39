using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>
/// As <see cref="EncoderDecoder.Translate"/>: encode the record's tokens, start the decoder from the encoder's final
/// state with the begin token, and feed back its arg-max until the end token or the maximum length.
/// </summary>
internal sealed class EncoderDecoderInference(
    ITokenInput sourceInput, RecurrentNetwork encoder, ITokenInput targetInput, RecurrentNetwork decoder,
    Linear fc, int beginToken, int endToken, int maxLength) : InferenceModel
{
    public override ModelKind? Kind => ModelKind.EncoderDecoder;
    public override string Description => $"encoder-decoder: vocabulary {sourceInput.VocabularySize} → {encoder.Spec} → {decoder.Spec} → {fc.OutputSize} target tokens";

    internal override string? Check(PredictionRecord record) => CheckTokens(record, sourceInput);

    internal override PredictionResult[] Run(IReadOnlyList<PredictionRecord> batch, PredictionStatistics statistics)
    {
        int n = batch.Count, steps = Longest(batch), width = decoder.Spec.OutputSize, classes = fc.OutputSize;
        var produced = batch.Select(_ => new List<int>()).ToArray();
        var active = new bool[n];
        Array.Fill(active, true);
        var ones = new int[n];
        Array.Fill(ones, 1);
        var tokens = new int[n];
        Array.Fill(tokens, beginToken);
        var logits = new float[classes];

        var state = encoder.Run(sourceInput.Embed(batch.Select(r => r.Tokens!).ToList(), steps), Lengths(batch));
        statistics.AddPass(Useful(batch), (long)n * steps);
        try
        {
            int running = maxLength > 0 ? n : 0;
            while (running > 0)
            {
                var step = decoder.Run(targetInput.EmbedStep(tokens), ones, state.Hidden, state.Cell);
                state.Dispose();
                state = step;
                statistics.AddPass(running, n);
                running = 0;
                for (int b = 0; b < n; b++)
                {
                    if (!active[b]) continue;
                    fc.Apply(state.Output.Span.Slice(b * width, width), logits);
                    int token = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
                    if (token == endToken) active[b] = false;
                    else
                    {
                        produced[b].Add(token);
                        tokens[b] = token;
                        if (produced[b].Count >= maxLength) active[b] = false;
                        else running++;
                    }
                }
            }
        }
        finally
        {
            state.Dispose();
        }
        return batch.Select((r, b) => new PredictionResult(r) { Tokens = [.. produced[b]] }).ToArray();
    }

    private protected override void Release()
    {
        encoder.Dispose();
        decoder.Dispose();
    }
}
