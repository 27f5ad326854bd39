using RnnNative.Managed;

namespace RnnNative.Tests.Reference;

/// <summary>Bad input gives an ArgumentException that names the argument and both shapes — never an index error.</summary>
public class InputValidationTests
{
    private static readonly RnnSpec Lstm = new(RnnCellKind.Lstm, 3, 4, 2, bidirectional: true);

    private static RnnExecutor Executor() => ManagedBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(Lstm, 1));

    private static ArgumentException Rejects(RnnInput input)
    {
        using var exec = Executor();
        return Assert.Throws<ArgumentException>(() => exec.Forward(input))!;
    }

    [Test]
    public void InputWithWrongFeatureSize_NamesBothShapes()
    {
        var e = Rejects(new RnnInput(RnnTensors.Zeros(5, 2, 7)));
        Assert.That(e.ParamName, Is.EqualTo("input"));
        Assert.That(e.Message, Does.Contain("input_size 3").And.Contain("(5, 2, 7)"));
    }

    [Test]
    public void InputOfWrongRank_IsRejected() =>
        Assert.That(Rejects(new RnnInput(RnnTensors.Zeros(5, 3))).Message, Does.Contain("3-D"));

    [TestCase(0)]
    [TestCase(6)]
    [TestCase(-1)]
    public void LengthOutOfRange_NamesTheSequence(int bad)
    {
        var e = Rejects(new RnnInput(RnnTensors.Zeros(5, 2, 3), [5, bad]));
        Assert.That(e.ParamName, Is.EqualTo("lengths"));
        Assert.That(e.Message, Does.Contain($"lengths[1] = {bad}").And.Contain("T = 5"));
    }

    [Test]
    public void LengthsOfWrongCount_AreRejected() =>
        Assert.That(Rejects(new RnnInput(RnnTensors.Zeros(5, 2, 3), [5])).ParamName, Is.EqualTo("lengths"));

    [Test]
    public void InitialHiddenOfWrongShape_NamesExpectedShape()
    {
        var e = Rejects(new RnnInput(RnnTensors.Zeros(5, 2, 3), InitialHidden: RnnTensors.Zeros(2, 2, 4)));
        Assert.That(e.ParamName, Is.EqualTo("h0"));
        Assert.That(e.Message, Does.Contain("(4, 2, 4)").And.Contain("(2, 2, 4)"));
    }

    [Test]
    public void InitialCellOfWrongShape_IsRejected() =>
        Assert.That(Rejects(new RnnInput(RnnTensors.Zeros(5, 2, 3), InitialCell: RnnTensors.Zeros(4, 1, 4))).ParamName, Is.EqualTo("c0"));

    [Test]
    public void InitialCellForGru_IsRejected()
    {
        var gru = new RnnSpec(RnnCellKind.Gru, 3, 4);
        using var exec = ManagedBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(gru, 1));
        var e = Assert.Throws<ArgumentException>(() => exec.Forward(new RnnInput(RnnTensors.Zeros(2, 1, 3), InitialCell: RnnTensors.Zeros(1, 1, 4))));
        Assert.That(e!.ParamName, Is.EqualTo("c0"));
    }

    [Test]
    public void GradientOfWrongShape_IsRejected()
    {
        using var exec = Executor();
        using var fwd = exec.Forward(new RnnInput(RnnTensors.Zeros(5, 2, 3)), RnnMode.Training);
        var e = Assert.Throws<ArgumentException>(() => exec.Backward(fwd.Context!, new RnnOutputGradients(RnnTensors.Zeros(5, 2, 4))));
        Assert.That(e!.Message, Does.Contain("(5, 2, 8)"));
    }

    [Test]
    public void ContextIsSingleUse()
    {
        using var exec = Executor();
        using var fwd = exec.Forward(new RnnInput(RnnTensors.Zeros(5, 2, 3)), RnnMode.Training);
        exec.Backward(fwd.Context!, new RnnOutputGradients(RnnTensors.Zeros(5, 2, 8)));
        Assert.Throws<ObjectDisposedException>(() => exec.Backward(fwd.Context!, new RnnOutputGradients(RnnTensors.Zeros(5, 2, 8))));
    }

    [Test]
    public void ParametersWithWrongShape_NameTheTensor()
    {
        var spec = new RnnSpec(RnnCellKind.Gru, 3, 4);
        var tensors = RnnParameters.Zeros(spec).Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
        tensors["weight_hh_l0"] = RnnTensors.Zeros(12, 3);
        var e = Assert.Throws<ArgumentException>(() => RnnParameters.FromTensors(spec, tensors));
        Assert.That(e!.Message, Does.Contain("weight_hh_l0").And.Contain("(12, 4)").And.Contain("(12, 3)"));
    }

    [Test]
    public void MissingAndExtraParameters_AreNamed()
    {
        var spec = new RnnSpec(RnnCellKind.RnnTanh, 3, 4);
        var tensors = RnnParameters.Zeros(spec).Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
        tensors.Remove("bias_hh_l0");
        Assert.That(Assert.Throws<ArgumentException>(() => RnnParameters.FromTensors(spec, tensors))!.Message, Does.Contain("bias_hh_l0"));
        tensors = RnnParameters.Zeros(spec).Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
        tensors["weight_ih_l1"] = RnnTensors.Zeros(4, 4);
        Assert.That(Assert.Throws<ArgumentException>(() => RnnParameters.FromTensors(spec, tensors))!.Message, Does.Contain("weight_ih_l1"));
    }

    [Test]
    public void BatchFirstInput_GivesBatchFirstOutputEqualToTimeMajor()
    {
        using var exec = Executor();
        var rng = new Random(3);
        var x = RnnTensors.Zeros(4, 2, 3);
        for (int i = 0; i < x.Length; i++) x.Span[i] = (float)rng.NextDouble();
        using var tm = exec.Forward(new RnnInput(x, [4, 2]));
        using var bf = exec.Forward(new RnnInput(SequenceLayout.SwapBatchAndTime(x), [4, 2], BatchFirst: true));
        Assert.That(bf.Output.ShapeString, Is.EqualTo("(2, 4, 8)"));
        Assert.That(SequenceLayout.SwapBatchAndTime(bf.Output).Span.ToArray(), Is.EqualTo(tm.Output.Span.ToArray()));
        Assert.That(bf.Hidden.Span.ToArray(), Is.EqualTo(tm.Hidden.Span.ToArray()));
    }
}
