using RnnNative.Interop.OneDnn;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.Errors;

/// <summary>Real shim calls that fail natively arrive as the subclass of their kind, carrying the shim's status and message.</summary>
public unsafe class NativeFailureSurfaceTests
{
    [SetUp]
    public void Setup() => RequireBackend();

    [Test]
    public void AnUnsupportedRequestThroughThePublicApiIsAnUnsupportedBackendException()
    {
        // int8 passes the managed checks for an LSTM with projection; the shim refuses it (rnn_status 2).
        var spec = new RnnSpec(RnnCellKind.Lstm, 4, 8, projectionSize: 3);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 2);
        var options = new RnnExecutorOptions(RnnPrecision.Int8, Quantization: new Int8Quantization([new(100f, 128f)]));
        var e = Assert.Throws<RnnBackendUnsupportedException>(() => OneDnnBackend.Instance.CreateExecutor(parameters, options));
        Assert.That((e!.Backend, e.ErrorCode, e.NativeCode), Is.EqualTo(("onednn", RnnBackendErrorCode.Unsupported, 2)));
        Assert.That(e.Message, Does.Contain("proj"));
    }

    [Test]
    public void AnArgumentTheShimRefusesIsAnInvalidArgumentBackendException()
    {
        // Managed validation never lets a zero hidden size through, so this is reachable only below the public API.
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 4);
        var desc = NativeModelDesc.From(spec, RnnExecutorOptions.Default) with { HiddenSize = 0 };
        var flat = FlatParameterLayout.Flatten(RnnParameters.InitializeUniform(spec, 1));
        var e = Assert.Throws<RnnBackendInvalidArgumentException>(() => CreateThroughStatusCheck(desc, flat));
        Assert.That((e!.Backend, e.ErrorCode, e.NativeCode), Is.EqualTo(("onednn", RnnBackendErrorCode.InvalidArgument, 1)));
        Assert.That(e.Message, Does.Contain("hidden_size"));
    }

    private static void CreateThroughStatusCheck(NativeModelDesc desc, float[] flat)
    {
        fixed (float* p = flat)
        {
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorCreate(&desc, p, flat.Length, out var handle));
            handle.Dispose();
        }
    }
}
