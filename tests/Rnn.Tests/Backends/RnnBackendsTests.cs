using RnnNative.Interop.CuDnn;
using RnnNative.Interop.OneDnn;

namespace RnnNative.Tests.Backends;

/// <summary>The registry finds backend packages by their assembly attribute; the core names none of them.</summary>
public class RnnBackendsTests
{
    [Test]
    public void Backend_packages_are_discovered_fastest_first()
    {
        var names = RnnBackends.All.Select(b => b.Name).ToArray();
        Assert.That(names, Is.SupersetOf(new[] { "cudnn", "onednn", "managed" }));
        Assert.That(Array.IndexOf(names, "cudnn"), Is.LessThan(Array.IndexOf(names, "onednn")));
        Assert.That(Array.IndexOf(names, "onednn"), Is.LessThan(Array.IndexOf(names, "managed")));
        Assert.That(RnnBackends.Get("onednn"), Is.SameAs(OneDnnBackend.Instance));
        Assert.That(RnnBackends.Get("CUDNN"), Is.SameAs(CuDnnBackend.Instance));
    }

    [Test]
    public void The_core_assembly_references_no_backend_package_and_carries_no_samples()
    {
        var core = typeof(RnnSpec).Assembly;
        var referenced = core.GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.That(referenced, Has.None.StartsWith("RnnNative."));
        Assert.That(core.GetManifestResourceNames(), Is.Empty);
        Assert.That(core.GetTypes().Select(t => t.Namespace), Has.None.StartsWith("RnnNative.Samples"));
    }

    [Test]
    public void A_registered_backend_is_found_by_name_and_a_duplicate_name_is_refused()
    {
        var extra = new NamedBackend("registry-test-backend");
        RnnBackends.Register(extra, speedRank: -1);
        Assert.That(RnnBackends.Get("registry-test-backend"), Is.SameAs(extra));
        Assert.That(RnnBackends.All[^1], Is.SameAs(extra), "rank -1 sorts after the managed reference");
        var e = Assert.Throws<ArgumentException>(() => RnnBackends.Register(new NamedBackend("onednn"), 5));
        Assert.That(e!.Message, Does.Contain("'onednn' is already registered"));
    }

    [Test]
    public void An_unknown_name_lists_the_backends_present()
    {
        var e = Assert.Throws<ArgumentException>(() => RnnBackends.Get("tpu"));
        Assert.That(e!.Message, Does.Contain("Unknown backend 'tpu'").And.Contain("onednn").And.Contain("managed"));
    }

    private sealed class NamedBackend(string name) : IRnnBackend
    {
        public string Name => name;
        public BackendAvailability Availability => BackendAvailability.Unavailable("a registry test double; it runs nothing");
        public IReadOnlyList<KeyValuePair<string, string>> Describe() => [];
        public bool Supports(RnnPrecision precision) => false;
        public RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null) =>
            throw new RnnBackendUnavailableException(Name, Availability.Reason);
    }
}
