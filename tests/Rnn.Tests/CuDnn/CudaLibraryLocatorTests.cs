using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

/// <summary>The locator against folders we control: what it reports when a library is absent or broken.</summary>
public class CudaLibraryLocatorTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), "rnn-locator-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    private CudaSearchLocations Empty(string? cudnnOverride = null, params string[] sitePackages) =>
        new(null, cudnnOverride, sitePackages, [Path.Combine(_root, "lib")], [Path.Combine(_root, "toolkit")]);

    private static void SkipIfInstalled(string soname)
    {
        var probe = new CudaLibraryLocator(new CudaSearchLocations(null, null, [], [], []));
        var role = soname.StartsWith("libcudnn", StringComparison.Ordinal) ? CudaLibraryRole.CuDnn : CudaLibraryRole.CudaRuntime;
        if (probe.Load(role).IsLoaded) Assert.Ignore($"{soname} is installed on this machine, so it cannot be shown missing.");
    }

    [Test]
    public void MissingCuDnnListsEveryPlaceTriedAndTheUnsetOverride()
    {
        SkipIfInstalled("libcudnn.so.9");
        var result = new CudaLibraryLocator(Empty()).Load(CudaLibraryRole.CuDnn);
        Assert.That(result.IsLoaded, Is.False);
        Assert.That(result.Failure, Does.StartWith("libcudnn.so.9 not found (tried: "));
        Assert.That(result.Failure, Does.Contain("libcudnn.so.9 via the system loader"));
        Assert.That(result.Failure, Does.Contain(Path.Combine(_root, "toolkit", "libcudnn.so.9") + " (absent)"));
        Assert.That(result.Failure, Does.Contain("$RNNNATIVE_CUDNN_PATH is not set"));
        Assert.That(result.Failure, Does.Contain("no Python site-packages with an nvidia/ folder under " + Path.Combine(_root, "lib") + "/python3*"));
    }

    [Test]
    public void PipFoldersAppearInTheListWhenSitePackagesExist()
    {
        SkipIfInstalled("libcudart.so.13");
        string sitePackages = Path.Combine(_root, "site-packages");
        var result = new CudaLibraryLocator(Empty(null, sitePackages)).Load(CudaLibraryRole.CudaRuntime);
        Assert.That(result.Failure, Does.Contain(Path.Combine(sitePackages, "nvidia", "cu13", "lib", "libcudart.so.13") + " (absent)"));
        Assert.That(result.Failure, Does.Not.Contain("no Python site-packages"));
    }

    [Test]
    public void ABrokenLibraryIsReportedWithTheLoaderError()
    {
        SkipIfInstalled("libcudnn.so.9");
        string fake = Path.Combine(_root, "libcudnn.so.9");
        File.WriteAllText(fake, "not an ELF file");
        var result = new CudaLibraryLocator(Empty(cudnnOverride: fake)).Load(CudaLibraryRole.CuDnn);
        Assert.That(result.IsLoaded, Is.False);
        Assert.That(result.Failure, Does.StartWith("libcudnn.so.9 could not be loaded (tried: "));
        Assert.That(result.Failure, Does.Contain(fake + " ($RNNNATIVE_CUDNN_PATH): "));
        Assert.That(result.Failure, Does.Not.Contain(fake + " ($RNNNATIVE_CUDNN_PATH): not found"));
        Assert.That(result.Failure, Does.Not.Contain("is not set"));
    }

    [Test]
    public void LoadingIsRememberedPerLocator()
    {
        var locator = new CudaLibraryLocator(Empty());
        Assert.That(locator.Load(CudaLibraryRole.CuDnn), Is.SameAs(locator.Load(CudaLibraryRole.CuDnn)));
    }

    [Test]
    public void LoaderMessagesAreShortenedToTheDlerrorText()
    {
        const string message = "Unable to load shared library '/a/libx.so' or one of its dependencies. In order to help diagnose loading problems, "
            + "consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \n"
            + "/a/libx.so: cannot open shared object file: No such file or directory";
        Assert.That(CudaLibraryLocator.ShortLoadError("/a/libx.so", message), Is.EqualTo("not found"));
        const string dependency = "Unable to load ... LD_DEBUG environment variable: \nlibcublasLt.so.13: cannot open shared object file: No such file or directory";
        Assert.That(CudaLibraryLocator.ShortLoadError("/a/libcudnn_adv.so.9", dependency),
            Is.EqualTo("libcublasLt.so.13: cannot open shared object file: No such file or directory"));
    }
}
