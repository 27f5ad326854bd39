using RnnNative.Interop.OneDnn;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.OneDnn;

/// <summary>
/// Bad input straight to the shim's C API, bypassing the managed validation: each call must come back with a status
/// and a message that says what was wrong, never crash the process.
/// </summary>
public unsafe class OneDnnNativeFirewallTests
{
    private static readonly RnnSpec Spec = new(RnnCellKind.Lstm, 3, 4, 2, bidirectional: true);

    [SetUp]
    public void Setup() => RequireBackend();

    private static NativeStatus Create(NativeModelDesc desc, float[] parameters, out OneDnnExecutorHandle handle)
    {
        fixed (float* p = parameters) return OneDnnNative.ExecutorCreate(&desc, p, parameters.Length, out handle);
    }

    private static OneDnnExecutorHandle CreateValid()
    {
        var flat = FlatParameterLayout.Flatten(RnnParameters.InitializeUniform(Spec, 1));
        Assert.That(Create(NativeModelDesc.From(Spec, RnnExecutorOptions.Default), flat, out var handle), Is.EqualTo(NativeStatus.Ok), OneDnnNative.LastError());
        return handle;
    }

    private static void AssertFails(NativeStatus status, NativeStatus expected, string messagePart)
    {
        Assert.That(status, Is.EqualTo(expected));
        Assert.That(OneDnnNative.LastError(), Does.Contain(messagePart));
    }

    [Test]
    public void ModelDescriptionsOutOfRangeAreRefused()
    {
        var flat = new float[16];
        var desc = NativeModelDesc.From(Spec, RnnExecutorOptions.Default);
        AssertFails(Create(desc with { HiddenSize = 0 }, flat, out _), NativeStatus.InvalidArgument, "hidden_size");
        AssertFails(Create(desc with { Cell = 7 }, flat, out _), NativeStatus.InvalidArgument, "cell");
        AssertFails(Create(desc with { NumLayers = -1 }, flat, out _), NativeStatus.InvalidArgument, "num_layers");
        AssertFails(Create(desc with { Bidirectional = 2 }, flat, out _), NativeStatus.InvalidArgument, "bidirectional");
        AssertFails(Create(desc with { Threads = -3 }, flat, out _), NativeStatus.InvalidArgument, "threads");
        AssertFails(Create(desc with { Precision = 2 }, flat, out _), NativeStatus.Unsupported, "f16");
        AssertFails(Create(desc with { InputSize = int.MaxValue, HiddenSize = int.MaxValue }, flat, out _), NativeStatus.InvalidArgument, "input_size");
        AssertFails(Create(desc, flat, out var handle), NativeStatus.InvalidArgument, "params has 16 elements");
        Assert.That(handle.IsInvalid, Is.True);
        AssertFails(OneDnnNative.ExecutorCreate(null, null, 0, out _), NativeStatus.InvalidArgument, "null");
    }

    [Test]
    public void DeadOrForeignHandlesAreRefused()
    {
        var forward = new NativeForwardArgs();
        using (var garbage = new OneDnnExecutorHandle(new IntPtr(0x1234), ownsHandle: false))
            AssertFails(OneDnnNative.ExecutorForward(garbage, &forward, 0, out _), NativeStatus.InvalidArgument, "not live");
        AssertFails(OneDnnNative.ExecutorDestroy(IntPtr.Zero), NativeStatus.InvalidArgument, "null");

        var handle = CreateValid();
        IntPtr raw = handle.DangerousGetHandle();
        handle.Dispose();
        using var successor = CreateValid();
        AssertFails(OneDnnNative.ExecutorDestroy(raw), NativeStatus.InvalidArgument, "not live");
        AssertFails(OneDnnNative.ContextDestroy(successor.DangerousGetHandle()), NativeStatus.InvalidArgument, "context handle is not live");
        AssertFails(OneDnnNative.ContextDestroy(new IntPtr(0x5678)), NativeStatus.InvalidArgument, "context handle is not live");
    }

    [Test]
    public void ForwardBuffersThatDoNotMatchTheShapesAreRefused()
    {
        using var handle = CreateValid();
        int t = 3, n = 2, rows = 4, h = 4;
        var x = new float[t * n * 3];
        var y = new float[t * n * 8];
        var hn = new float[rows * n * h];
        var cn = new float[rows * n * h];
        int[] badLengths = [3, 4];
        fixed (float* px = x, py = y, phn = hn, pcn = cn)
        fixed (int* pl = badLengths)
        {
            var valid = new NativeForwardArgs
            {
                SeqLen = t, Batch = n, Input = px, InputCount = x.Length, Output = py, OutputCount = y.Length,
                Hn = phn, HnCount = hn.Length, Cn = pcn, CnCount = cn.Length,
            };
            NativeStatus Run(NativeForwardArgs a, int training = 0) => OneDnnNative.ExecutorForward(handle, &a, training, out _);

            Assert.That(Run(valid), Is.EqualTo(NativeStatus.Ok), OneDnnNative.LastError());
            AssertFails(Run(valid with { InputCount = x.Length - 1 }), NativeStatus.InvalidArgument, "input has 17 elements; expected 18");
            AssertFails(Run(valid with { Input = null }), NativeStatus.InvalidArgument, "input is null");
            AssertFails(Run(valid with { OutputCount = 5 }), NativeStatus.InvalidArgument, "output");
            AssertFails(Run(valid with { SeqLen = 0 }), NativeStatus.InvalidArgument, "seq_len");
            AssertFails(Run(valid with { Batch = -2 }), NativeStatus.InvalidArgument, "batch");
            AssertFails(Run(valid with { H0 = px, H0Count = 3 }), NativeStatus.InvalidArgument, "h0");
            AssertFails(Run(valid with { C0Count = 32 }), NativeStatus.InvalidArgument, "c0 is null");
            AssertFails(Run(valid with { Lengths = pl }), NativeStatus.InvalidArgument, "lengths[1] = 4");
            AssertFails(Run(valid with { BatchFirst = 5 }), NativeStatus.InvalidArgument, "batch_first");
            AssertFails(Run(valid, training: 7), NativeStatus.InvalidArgument, "training");
            AssertFails(OneDnnNative.ExecutorForward(handle, null, 0, out _), NativeStatus.InvalidArgument, "args is null");
            Assert.That(OneDnnNative.ExecutorForward(handle, &valid, 0, out _), Is.EqualTo(NativeStatus.Ok), "the executor still works after refusals");
        }
    }

    [Test]
    public void BackwardRefusesForeignSpentOrMisfitContexts()
    {
        using var first = CreateValid();
        using var second = CreateValid();
        int t = 2, n = 1, rows = 4, h = 4;
        var x = new float[t * n * 3];
        var y = new float[t * n * 8];
        var hn = new float[rows * n * h];
        var dx = new float[x.Length];
        var dh0 = new float[hn.Length];
        var dp = new float[FlatParameterLayout.Count(Spec)];
        fixed (float* px = x, py = y, phn = hn, pdx = dx, pdh0 = dh0, pdp = dp)
        {
            var forward = new NativeForwardArgs { SeqLen = t, Batch = n, Input = px, InputCount = x.Length, Output = py, OutputCount = y.Length, Hn = phn, HnCount = hn.Length };
            Assert.That(OneDnnNative.ExecutorForward(first, &forward, 1, out var context), Is.EqualTo(NativeStatus.Ok), OneDnnNative.LastError());
            using (context)
            {
                var backward = new NativeBackwardArgs
                {
                    GradInput = pdx, GradInputCount = dx.Length, GradH0 = pdh0, GradH0Count = dh0.Length, GradParams = pdp, GradParamsCount = dp.Length,
                };
                var shortParams = backward with { GradParamsCount = dp.Length - 1 };
                AssertFails(OneDnnNative.ExecutorBackward(second, context, &backward), NativeStatus.InvalidArgument, "different executor");
                AssertFails(OneDnnNative.ExecutorBackward(first, context, &shortParams), NativeStatus.InvalidArgument, "grad_params");
                Assert.That(OneDnnNative.ExecutorBackward(first, context, &backward), Is.EqualTo(NativeStatus.Ok), OneDnnNative.LastError());
                AssertFails(OneDnnNative.ExecutorBackward(first, context, &backward), NativeStatus.InvalidArgument, "already used");
            }
        }
    }

    [Test]
    public void ErrorsAreReportedPerThread()
    {
        var desc = NativeModelDesc.From(Spec, RnnExecutorOptions.Default) with { HiddenSize = 0 };
        Assert.That(OneDnnNative.ExecutorCreate(&desc, null, 0, out _), Is.EqualTo(NativeStatus.InvalidArgument));
        string other = "unset";
        var thread = new Thread(() => other = OneDnnNative.LastError());
        thread.Start();
        thread.Join();
        Assert.That(other, Is.Empty, "another thread does not see this thread's error");
        Assert.That(OneDnnNative.LastError(), Does.Contain("hidden_size"));
    }

    [Test]
    public void F16IsRefusedAsUnavailableBeforeTheShim()
    {
        // The status-to-exception mapping itself is tested in Errors/BackendErrorModelTests.
        var ex = Assert.Throws<RnnBackendUnavailableException>(() =>
            OneDnnBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(Spec, 1), new RnnExecutorOptions(RnnPrecision.F16)));
        Assert.That(ex!.Message, Does.Contain("F16"));
    }
}
