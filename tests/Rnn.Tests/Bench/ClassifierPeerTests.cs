using RnnNative.Bench.Peers;
using RnnNative.Bench.Predict;
using RnnNative.Formats;
using RnnNative.Inference;
using RnnNative.Models;
using RnnNative.Validation;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Bench;

/// <summary>
/// The workload's peer graph (Gather → LSTM layers with sequence_lens → last layer's Y_h → Gemm → Softmax), written from
/// a small classifier's state_dict, gives the engine's probabilities on records of different lengths padded into
/// arrival-order batches; with one changed weight it does not.
/// </summary>
public class ClassifierPeerTests
{
    private static readonly ModelConfig Config = new(ModelKind.Classifier, RnnCellKind.Lstm, VocabularySize: 20, EmbeddingSize: 6, HiddenSize: 8, OutputSize: 3, NumLayers: 2);

    private static (float[] Engine, float[] Peer) Run(bool perturb)
    {
        IReadOnlyList<KeyValuePair<string, Tensor<float>>> state;
        using (var model = new SequenceClassifier(Config, RnnBackends.Managed, seed: 5))
            state = model.Parameters.Select(p => new KeyValuePair<string, Tensor<float>>(p.Name, p.Value.Clone())).ToList();
        var rng = new Random(9);
        var records = Enumerable.Range(0, 11).Select(_ => Enumerable.Range(0, rng.Next(1, 10)).Select(_ => rng.Next(1, 20)).ToArray()).ToList();

        using var engine = PredictBenchmark.Load(new SafetensorsContent(Config.ToMetadata(), state), RnnBackends.Managed);
        var expected = PredictBenchmark.Predict(engine, BatchPredictorOptions.Default, records).Probabilities;
        var dict = state.ToDictionary(kv => kv.Key, kv => kv.Value);
        using var peer = new OrtClassifierPeer(PredictBenchmark.PeerModel(dict, Config.RnnSpec, perturb), Config.OutputSize, threads: 1, batchSize: 4);
        var actual = peer.Predict(records);
        Assert.That(peer.LastPadding.Computed, Is.GreaterThan(peer.LastPadding.Useful), "the batches are padded, so sequence_lens matters");
        return (expected.SelectMany(p => p).ToArray(), actual.SelectMany(p => p).ToArray());
    }

    [Test]
    public void The_peer_graph_computes_the_engines_probabilities()
    {
        var (engine, peer) = Run(perturb: false);
        Assert.DoesNotThrow(() => PeerAgreement.Require("peer", "tiny classifier", engine, peer, ValidationTolerance.F32));
    }

    [Test]
    public void A_peer_with_one_changed_weight_is_refused()
    {
        var (engine, peer) = Run(perturb: true);
        Assert.Throws<PeerMismatchException>(() => PeerAgreement.Require("peer", "tiny classifier", engine, peer, ValidationTolerance.F32));
    }
}
