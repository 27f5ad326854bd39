using RnnNative.Formats;
using RnnNative.Managed;
using System.Numerics.Tensors;
using RnnNative.Extensibility;

namespace RnnNative.Tests.Cli;

/// <summary>
/// <c>rnn forward</c> and <c>rnn backward</c> end to end on files made by the writers: the CLI's output files must hold
/// exactly what the managed reference computes for the same data through the library API.
/// </summary>
public class CliForwardBackwardTests
{
    private TempFolder _files = null!;

    [SetUp]
    public void CreateFolder() => _files = new TempFolder();

    [TearDown]
    public void DeleteFolder() => _files.Dispose();

    public sealed record Case(string Name, RnnSpec Spec, int SeqLen, int Batch, bool BatchFirst, int[]? Lengths, bool WithStates, bool BareStateDict)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Case> Cases()
    {
        yield return new("lstm_bi_3layers_varlen_states", new RnnSpec(RnnCellKind.Lstm, 3, 4, 3, bidirectional: true), 5, 3, false, [5, 2, 4], true, false);
        yield return new("gru_batchfirst_varlen", new RnnSpec(RnnCellKind.Gru, 2, 3, 2), 4, 2, true, [1, 4], false, false);
        yield return new("rnn_tanh_sizes_of_one", new RnnSpec(RnnCellKind.RnnTanh, 1, 1, 1), 1, 1, false, null, true, false);
        yield return new("rnn_relu_bi_nobias", new RnnSpec(RnnCellKind.RnnRelu, 3, 2, 2, bidirectional: true, hasBias: false), 3, 2, false, [3, 3], true, false);
        yield return new("lstm_bare_state_dict", new RnnSpec(RnnCellKind.Lstm, 2, 3, 1), 3, 2, true, null, false, true);
        yield return new("lstm_proj_bi_2layers_states", new RnnSpec(RnnCellKind.Lstm, 3, 5, 2, bidirectional: true, projectionSize: 2), 4, 3, false, [4, 1, 3], true, false);
        yield return new("lstm_proj_bare_state_dict", new RnnSpec(RnnCellKind.Lstm, 2, 4, 1, projectionSize: 3), 3, 2, true, [2, 3], false, true);
    }

    private sealed record Prepared(RnnParameters Parameters, RnnInput Input, List<string> Args);

    private Prepared Prepare(Case c, Random rng)
    {
        var parameters = RnnParameters.InitializeUniform(c.Spec, seed: 7);
        string model = _files["model.safetensors"];
        if (c.BareStateDict) SafetensorsWriter.Write(model, parameters.Tensors);
        else RnnModelFile.Save(model, parameters);

        int[] xShape = c.BatchFirst ? [c.Batch, c.SeqLen, c.Spec.InputSize] : [c.SeqLen, c.Batch, c.Spec.InputSize];
        var x = Random(rng, xShape);
        var h0 = c.WithStates ? Random(rng, RnnBatchValidator.HiddenStateShape(c.Spec, c.Batch)) : null;
        var c0 = c.WithStates && c.Spec.Cell.HasCellState() ? Random(rng, RnnBatchValidator.CellStateShape(c.Spec, c.Batch)) : null;
        var args = new List<string> { "--model", model, "--input", Write("x.npy", x), "--backend", "managed" };
        if (c.BatchFirst) args.Add("--batch-first");
        if (c.Lengths is not null)
        {
            NpyWriter.WriteInt32(_files["lengths.npy"], c.Lengths, c.Lengths.Length);
            args.AddRange(["--lengths", _files["lengths.npy"]]);
        }
        if (h0 is not null) args.AddRange(["--h0", Write("h0.npy", h0)]);
        if (c0 is not null) args.AddRange(["--c0", Write("c0.npy", c0)]);
        return new Prepared(parameters, new RnnInput(x, c.Lengths, h0, c0, c.BatchFirst), args);
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardWritesWhatTheReferenceComputes(Case c)
    {
        var p = Prepare(c, new Random(99));
        var args = new List<string>(p.Args) { "--output", _files["y.npy"], "--hn", _files["hn.npy"] };
        if (c.Spec.Cell.HasCellState()) args.AddRange(["--cn", _files["cn.npy"]]);

        var run = CliRunner.Run(["forward", .. args]);
        Assert.That(run.ExitCode, Is.Zero, run.Err);

        using var executor = ManagedBackend.Instance.CreateExecutor(p.Parameters);
        using var expected = executor.Forward(p.Input);
        AssertSame(NpyReader.ReadFloat32(_files["y.npy"]), expected.Output, "Y");
        AssertSame(NpyReader.ReadFloat32(_files["hn.npy"]), expected.Hidden, "h_n");
        if (c.Spec.Cell.HasCellState()) AssertSame(NpyReader.ReadFloat32(_files["cn.npy"]), expected.Cell!, "c_n");
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardWritesWhatTheReferenceComputes(Case c)
    {
        var rng = new Random(98);
        var p = Prepare(c, rng);
        using var probe = ManagedBackend.Instance.CreateExecutor(p.Parameters);
        using var shapes = probe.Forward(p.Input);
        var dy = Random(rng, shapes.Output.Shape.ToArray());
        var dhn = Random(rng, shapes.Hidden.Shape.ToArray());
        var dcn = c.Spec.Cell.HasCellState() ? Random(rng, shapes.Cell!.Shape.ToArray()) : null;
        var args = new List<string>(p.Args)
        {
            "--grad-output", Write("dy.npy", dy), "--grad-hn", Write("dhn.npy", dhn),
            "--grad-input", _files["dx.npy"], "--grad-h0", _files["dh0.npy"], "--grad-weights", _files["grads.safetensors"],
        };
        if (dcn is not null) args.AddRange(["--grad-cn", Write("dcn.npy", dcn), "--grad-c0", _files["dc0.npy"]]);

        var run = CliRunner.Run(["backward", .. args]);
        Assert.That(run.ExitCode, Is.Zero, run.Err);

        using var executor = ManagedBackend.Instance.CreateExecutor(p.Parameters);
        using var forward = executor.Forward(p.Input, RnnMode.Training);
        var expected = executor.Backward(forward.Context!, new RnnOutputGradients(dy, dhn, dcn));
        AssertSame(NpyReader.ReadFloat32(_files["dx.npy"]), expected.Input, "dX");
        AssertSame(NpyReader.ReadFloat32(_files["dh0.npy"]), expected.InitialHidden, "dh0");
        if (dcn is not null) AssertSame(NpyReader.ReadFloat32(_files["dc0.npy"]), expected.InitialCell!, "dc0");

        var grads = SafetensorsReader.Read(_files["grads.safetensors"]).ToDictionary();
        Assert.That(grads.Keys, Is.EquivalentTo(p.Parameters.Tensors.Select(t => t.Key)), "the model's tensor names");
        foreach (var (name, tensor) in expected.Parameters.Tensors)
            AssertSame(grads[name], tensor, name);
        Assert.That(RnnModelFile.Load(_files["grads.safetensors"]).Spec, Is.EqualTo(c.Spec), "the gradients file describes the model");
    }

    [Test]
    public void BackwardWithoutStateGradientsTreatsThemAsZero()
    {
        var c = new Case("gru", new RnnSpec(RnnCellKind.Gru, 2, 3), 3, 2, false, [3, 1], false, false);
        var rng = new Random(5);
        var p = Prepare(c, rng);
        var dy = Random(rng, c.SeqLen, c.Batch, c.Spec.OutputSize);
        var run = CliRunner.Run(["backward", .. p.Args, "--grad-output", Write("dy.npy", dy), "--grad-input", _files["dx.npy"], "--grad-weights", _files["g.safetensors"]]);
        Assert.That(run.ExitCode, Is.Zero, run.Err);

        using var executor = ManagedBackend.Instance.CreateExecutor(p.Parameters);
        using var forward = executor.Forward(p.Input, RnnMode.Training);
        var expected = executor.Backward(forward.Context!, new RnnOutputGradients(dy));
        AssertSame(NpyReader.ReadFloat32(_files["dx.npy"]), expected.Input, "dX");
    }

    [Test]
    public void AVanillaRnnStateDictRunsWithMode()
    {
        var spec = new RnnSpec(RnnCellKind.RnnRelu, 2, 2);
        var parameters = RnnParameters.InitializeUniform(spec, 1);
        SafetensorsWriter.Write(_files["m.safetensors"], parameters.Tensors);
        var x = Random(new Random(1), 2, 1, 2);
        var run = CliRunner.Run("forward", "--model", _files["m.safetensors"], "--mode", "rnn_relu", "--input", Write("x.npy", x),
            "--output", _files["y.npy"], "--backend", "managed");
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        using var expected = ManagedBackend.Instance.CreateExecutor(parameters).Forward(new RnnInput(x));
        AssertSame(NpyReader.ReadFloat32(_files["y.npy"]), expected.Output, "Y");
    }

    private string Write(string name, Tensor<float> t)
    {
        NpyWriter.Write(_files[name], t);
        return _files[name];
    }

    private static Tensor<float> Random(Random rng, params int[] shape)
    {
        var t = RnnTensors.Zeros(shape);
        for (int i = 0; i < t.Length; i++) t.Span[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    /// <summary>The CLI runs the same reference on the same float32 data, so its files must match bit for bit.</summary>
    private static void AssertSame(Tensor<float> actual, Tensor<float> expected, string what)
    {
        Assert.That(actual.Shape.ToArray(), Is.EqualTo(expected.Shape.ToArray()), what + " shape");
        Assert.That(actual.Span.ToArray(), Is.EqualTo(expected.Span.ToArray()), what);
    }
}
