using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

public class CudaSearchLocationsTests
{
    private static CudaSearchLocations Locations(string? cuda = null, string? cudnn = null, params string[] sitePackages) =>
        new(cuda, cudnn, sitePackages, ["/usr/lib"], ["/usr/local/cuda/lib64"]);

    private static string[] Paths(IEnumerable<LibraryCandidate> candidates) => candidates.Select(c => c.Path).ToArray();

    [Test]
    public void CuDnnIsLookedForInOverrideThenSystemThenToolkitThenPip()
    {
        var candidates = Locations(cudnn: "/opt/cudnn/lib", sitePackages: "/sp").CandidatesFor(CudaLibraryRole.CuDnn);
        Assert.That(Paths(candidates), Is.EqualTo(new[]
        {
            "/opt/cudnn/lib/libcudnn.so.9",
            "libcudnn.so.9",
            "/usr/local/cuda/lib64/libcudnn.so.9",
            "/sp/nvidia/cudnn/lib/libcudnn.so.9",
        }));
        Assert.That(candidates[1].ViaSystemLoader, Is.True);
        Assert.That(candidates[0].ViaSystemLoader, Is.False);
    }

    [Test]
    public void NewerCudaRuntimeIsPreferredEverywhereBeforeOlder()
    {
        var paths = Paths(Locations(sitePackages: "/sp").CandidatesFor(CudaLibraryRole.CudaRuntime));
        Assert.That(paths, Is.EqualTo(new[]
        {
            "libcudart.so.13",
            "/usr/local/cuda/lib64/libcudart.so.13",
            "/sp/nvidia/cu13/lib/libcudart.so.13",
            "/sp/nvidia/cuda_runtime/lib/libcudart.so.13",
            "libcudart.so.12",
            "/usr/local/cuda/lib64/libcudart.so.12",
            "/sp/nvidia/cu13/lib/libcudart.so.12",
            "/sp/nvidia/cuda_runtime/lib/libcudart.so.12",
        }));
    }

    [Test]
    public void OverrideNamingTheFileIsTriedFirstAndItsFolderServesTheCompanions()
    {
        var locations = Locations(cuda: "/x/libcudart.so.12");
        var runtime = Paths(locations.CandidatesFor(CudaLibraryRole.CudaRuntime));
        Assert.That(runtime[0], Is.EqualTo("/x/libcudart.so.12"));
        Assert.That(runtime, Does.Contain("/x/libcudart.so.13"));
        var cublas = Paths(locations.CandidatesFor(CudaLibraryRole.CublasLt));
        Assert.That(cublas[0], Is.EqualTo("/x/libcublasLt.so.13"));
        Assert.That(cublas, Does.Not.Contain("/x/libcudart.so.12"));
    }

    [Test]
    public void CublasLtIsLookedForBesideTheCudaRuntimeFirst()
    {
        var paths = Paths(Locations(sitePackages: "/sp").CandidatesFor(CudaLibraryRole.CublasLt, companionDirectory: "/rt"));
        Assert.That(paths[0], Is.EqualTo("/rt/libcublasLt.so.13"));
        Assert.That(paths, Does.Contain("/sp/nvidia/cublas/lib/libcublasLt.so.12"));
    }

    [Test]
    public void DriverComesOnlyFromTheSystemLoader()
    {
        var paths = Paths(Locations(cuda: "/x", sitePackages: "/sp").CandidatesFor(CudaLibraryRole.CudaDriver));
        Assert.That(paths, Is.EqualTo(new[] { "libcuda.so.1" }));
    }

    [TestCase("/opt/lib/libcudnn.so.9", true)]
    [TestCase("/opt/lib/libcudnn.so.9.19.0", true)]
    [TestCase("/opt/lib", false)]
    [TestCase("/opt/lib/", false)]
    [TestCase("/usr/local/lib/python3.12/site-packages/nvidia/cudnn/lib", false)]
    public void OverridePathsAreFilesOnlyWhenTheyNameASharedLibrary(string path, bool isFile) =>
        Assert.That(CudaSearchLocations.NamesLibraryFile(path), Is.EqualTo(isFile));
}
