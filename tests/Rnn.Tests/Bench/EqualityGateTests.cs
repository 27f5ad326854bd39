using RnnNative.Bench;
using RnnNative.Bench.Peers;
using RnnNative.Cli.Benchmarking;

namespace RnnNative.Tests.Bench;

/// <summary>
/// The benchmark's gate on small configurations of each cell: ONNX Runtime running the model written from our parameters
/// agrees with the reference (so the writer's gate reordering and layout are right), and a peer with one changed
/// weight stops the run before any timing.
/// </summary>
public class EqualityGateTests
{
    private static readonly StandardConfiguration[] Small =
    [
        new("tiny-lstm", new RnnSpec(RnnCellKind.Lstm, 6, 8, 2), 3, 5),
        new("tiny-gru", new RnnSpec(RnnCellKind.Gru, 6, 8, 2), 3, 5),
        new("tiny-bilstm", new RnnSpec(RnnCellKind.Lstm, 6, 8, 1, bidirectional: true), 3, 5),
        new("tiny-rnn", new RnnSpec(RnnCellKind.RnnTanh, 6, 8, 2), 3, 5),
    ];

    [Test]
    public void The_same_function_passes_the_gate_on_every_cell()
    {
        var log = new StringWriter();
        Assert.DoesNotThrow(() => EqualityGate.Run(Small, perturbPeer: false, log));
        Assert.That(log.ToString(), Does.Contain("tiny-gru      onnxruntime-f32"));
        Assert.That(log.ToString(), Does.Contain("onednn-int8"), "the int8 row is gated too");
    }

    [TestCaseSource(nameof(Small))]
    public void A_peer_with_one_changed_weight_stops_the_benchmark(StandardConfiguration configuration)
    {
        var e = Assert.Throws<PeerMismatchException>(() => EqualityGate.Run([configuration], perturbPeer: true, TextWriter.Null));
        Assert.That(e!.Message, Does.Contain("onnxruntime-f32 on " + configuration.Name).And.Contain("does not compute the reference's function"));
    }

    [Test]
    public void Agreement_fails_on_NaN_and_on_a_length_mismatch()
    {
        Assert.That(PeerAgreement.Compare([1f, 2f], [1f, float.NaN], 1e-4).Agrees, Is.False);
        Assert.That(PeerAgreement.Compare([1f, 2f], [1f], 1e-4).Agrees, Is.False);
        Assert.That(PeerAgreement.Compare([1f, 2f], [1f, 2f + 1e-5f], 1e-4).Agrees, Is.True);
    }
}
