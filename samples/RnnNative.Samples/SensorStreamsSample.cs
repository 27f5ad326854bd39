using System.Globalization;
using RnnNative.Inference;
using RnnNative.Models;
using RnnNative.Streaming;
using RnnNative.Training;

namespace RnnNative.Samples;

/// <summary>
/// Many sensor streams arriving one reading at a time, and an LSTM that flags anomalies at every step. Each sensor
/// follows its own slow wave with noise; now and then a reading spikes. A tagger learns, from readings binned into
/// tokens, to mark the spikes (a spike is only visible against the sensor's recent readings, which the LSTM's state
/// carries). Then hundreds of sensors stream live: every reading is one <see cref="ModelStreamBatcher.StepAsync(string, int[], CancellationToken)"/>
/// on the sensor's own stream, the batcher keeps each sensor's state between readings, and readings of different
/// sensors that arrive together share one call.
/// </summary>
public static class SensorStreamsSample
{
    private const int Bins = 24;
    private const double Low = -2.4, High = 2.4;
    private const double SpikeProbability = 0.05;

    public static SampleResult Run(TextWriter output, SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var rng = new Random(options.Seed);
        var config = new ModelConfig(ModelKind.Tagger, RnnCellKind.Lstm, VocabularySize: Bins, EmbeddingSize: 8, HiddenSize: 16, OutputSize: 2);
        string checkpoint = Path.Combine(Path.GetTempPath(), $"rnn-sensors-{Guid.NewGuid():N}.safetensors");
        try
        {
            double loss = Train(config, rng, options, output, checkpoint);
            return Stream(config, rng, options, output, checkpoint, loss);
        }
        finally
        {
            File.Delete(checkpoint);
        }
    }

    private static double Train(ModelConfig config, Random rng, SampleOptions options, TextWriter output, string checkpoint)
    {
        var train = Enumerable.Range(0, 64).Select(_ => Sensor(rng, 48)).ToList();
        using var model = new SequenceTagger(config, options.ResolvedBackend, options.Seed);
        output.WriteLine($"sensors: readings in {Bins} bins -> embedding 8 -> {config.RnnSpec} -> normal/anomaly at every step, backend {model.Backend.Name}, seed {options.Seed}");
        var batch = TokenBatch.FromSequences(train.Select(s => (IReadOnlyList<int>)s.Tokens).ToList());
        var labels = train.Select(s => (IReadOnlyList<int>)s.Anomalies).ToList();
        var optimizer = new Adam(0.04);
        double loss = 0;
        const int epochs = 100;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            loss = model.TrainStep(batch, labels, optimizer);
            if (epoch == 1 || epoch % 40 == 0) output.WriteLine($"  epoch {epoch,3}: loss {loss:F4}");
        }
        ModelCheckpoint.Save(checkpoint, model);
        return loss;
    }

    private static SampleResult Stream(ModelConfig config, Random rng, SampleOptions options, TextWriter output, string checkpoint, double loss)
    {
        const int sensors = 300, readings = 40;
        var live = Enumerable.Range(0, sensors).Select(_ => Sensor(rng, readings)).ToArray();
        using var model = InferenceModelLoader.Load(checkpoint, new InferenceModelOptions { Backend = options.ResolvedBackend });
        using var streams = new ModelStreamBatcher(model, new RnnStreamOptions { MaxBatchSize = 128, MaxQueueDelayMicroseconds = 200 });
        var flags = live.Select(_ => new int[readings]).ToArray();

        // Each sensor sends its readings one by one, waiting for the answer to the last before sending the next (as a
        // device on a network would); all sensors run at once, so their readings meet in the batcher.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sending = Enumerable.Range(0, sensors).Select(s => Task.Run(async () =>
        {
            string key = $"sensor-{s}";
            for (int t = 0; t < readings; t++)
            {
                var answer = await streams.StepAsync(key, [live[s].Tokens[t]]).ConfigureAwait(false);
                flags[s][t] = answer.Label!.Value;
            }
            streams.End(key);
        })).ToArray();
        Task.WaitAll(sending);
        double seconds = clock.Elapsed.TotalSeconds;

        int spikes = 0, found = 0, flagged = 0;
        for (int s = 0; s < sensors; s++)
            for (int t = 0; t < readings; t++)
            {
                spikes += live[s].Anomalies[t];
                flagged += flags[s][t];
                if (flags[s][t] == 1 && live[s].Anomalies[t] == 1) found++;
            }
        double recall = spikes == 0 ? 1 : found / (double)spikes;
        double precision = flagged == 0 ? 1 : found / (double)flagged;
        int shown = Enumerable.Range(0, sensors).First(s => live[s].Anomalies.AsSpan(0, 20).Contains(1));
        output.WriteLine($"  sensor-{shown}: " + string.Join(' ', Enumerable.Range(0, 20).Select(t =>
            live[shown].Values[t].ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + (flags[shown][t] == 1 ? "!" : ""))) + " …  (! = flagged)");
        output.WriteLine($"  {sensors} sensors × {readings} readings streamed one step at a time in {seconds:F2} s: " +
            $"{found}/{spikes} spikes flagged (recall {recall:P0}), {flagged - found} false alarms (precision {precision:P0})");
        return new SampleResult("sensors", new Dictionary<string, double>
        {
            ["loss"] = loss,
            ["recall"] = recall,
            ["precision"] = precision,
        }, []);
    }

    private sealed record SensorTrace(double[] Values, int[] Tokens, int[] Anomalies);

    /// <summary>A slow wave with noise, and single-reading spikes (the anomalies) at random steps.</summary>
    private static SensorTrace Sensor(Random rng, int readings)
    {
        double frequency = 0.02 + rng.NextDouble() * 0.06, phase = rng.NextDouble() * 2 * Math.PI, amplitude = 0.5 + rng.NextDouble() * 0.5;
        var values = new double[readings];
        var anomalies = new int[readings];
        for (int t = 0; t < readings; t++)
        {
            values[t] = amplitude * Math.Sin(2 * Math.PI * frequency * t + phase) + 0.05 * Gaussian(rng);
            if (t > 2 && rng.NextDouble() < SpikeProbability)
            {
                values[t] += (rng.Next(2) == 0 ? -1 : 1) * (0.9 + 0.5 * rng.NextDouble());
                anomalies[t] = 1;
            }
        }
        var tokens = values.Select(v => Math.Clamp((int)Math.Floor((v - Low) / (High - Low) * Bins), 0, Bins - 1)).ToArray();
        return new SensorTrace(values, tokens, anomalies);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
