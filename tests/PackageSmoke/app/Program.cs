// A fresh application that knows RnnNative only as NuGet packages: it runs a small LSTM with variable lengths on
// onednn and on managed, compares them within the validation suite's f32 tolerance, and reports where the native
// libraries of the process were loaded from (/proc/self/maps), so the smoke test can check they came from the package.
// It imports both RnnNative and System.Numerics.Tensors, whose Tensor<T> the API takes and returns.
using System.Numerics.Tensors;
using RnnNative;

var spec = new RnnSpec(RnnCellKind.Lstm, inputSize: 8, hiddenSize: 16, numLayers: 2, bidirectional: true);
var parameters = RnnParameters.InitializeUniform(spec, seed: 7);
int seqLen = 6, batch = 3;
int[] lengths = [6, 2, 4];
var random = new Random(11);
Tensor<float> x = Tensor.Create(Enumerable.Range(0, seqLen * batch * spec.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
    [seqLen, batch, spec.InputSize]);
var input = new RnnInput(x, lengths);

var onednn = RnnBackends.Get("onednn");
if (!onednn.Availability.IsAvailable)
{
    Console.Error.WriteLine($"onednn unavailable: {onednn.Availability.Reason}");
    return 1;
}
Console.WriteLine($"fastest: {RnnBackends.Fastest().Name}");

// This app references RnnNative.OneDnn only: asking for cudnn must name the package that brings it.
try
{
    RnnBackends.Get("cudnn");
    Console.Error.WriteLine("cudnn resolved although its package is not referenced");
    return 1;
}
catch (ArgumentException e) when (e.Message.Contains("dotnet add package RnnNative.CuDnn", StringComparison.Ordinal))
{
    Console.WriteLine($"without its package: {e.Message}");
}

using var fast = onednn.CreateExecutor(parameters);
using var reference = RnnBackends.Managed.CreateExecutor(parameters);
using var a = fast.Forward(input);
using var b = reference.Forward(input);

// The validation suite's f32 bound: max|a − b| ≤ 1e-4 · max(1, max|ref|), per tensor.
bool ok = true;
foreach (var (name, got, want) in new[] { ("output", a.Output, b.Output), ("h_n", a.Hidden, b.Hidden), ("c_n", a.Cell!, b.Cell!) })
{
    double scale = Math.Max(1, want.Span.ToArray().Max(v => Math.Abs(v)));
    double error = got.Span.ToArray().Zip(want.Span.ToArray(), (p, q) => Math.Abs(p - q)).Max();
    bool pass = error <= 1e-4 * scale;
    ok &= pass;
    Console.WriteLine($"{name}: max|onednn - managed| = {error:E2} (bound {1e-4 * scale:E2}) {(pass ? "ok" : "FAIL")}");
}

// The maps name the real files: a system copy shows up as e.g. libOpenCL.so.1.0.0, the bundled one as libOpenCL.so.1.
string[] watched = ["librnnshim.so", "libdnnl.so", "libgomp.so", "libOpenCL.so"];
foreach (string path in File.ReadLines("/proc/self/maps").Select(l => l.IndexOf('/') is var i and >= 0 ? l[i..] : "").Distinct())
{
    string file = Path.GetFileName(path);
    if (watched.FirstOrDefault(w => file.StartsWith(w, StringComparison.Ordinal)) is { } library)
        Console.WriteLine($"loaded {library}: {path}");
}
return ok ? 0 : 1;
