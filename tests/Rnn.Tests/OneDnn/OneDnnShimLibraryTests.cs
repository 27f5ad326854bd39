using RnnNative.Interop.OneDnn;

namespace RnnNative.Tests.OneDnn;

/// <summary>How the shim is found, and what a failure to load it says.</summary>
public class OneDnnShimLibraryTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("rnnshim-test").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void AMissingOverrideNamesTheVariableAndThePath()
    {
        string path = Path.Combine(_dir, "nowhere", "librnnshim.so");
        var result = OneDnnShimLibrary.Load(path, []);
        Assert.That(result.IsLoaded, Is.False);
        Assert.That(result.Error, Does.Contain(OneDnnShimLibrary.OverrideVariable).And.Contain(path));
    }

    [Test]
    public void AnOverrideFolderIsSearchedForTheShim()
    {
        var result = OneDnnShimLibrary.Load(_dir, []);
        Assert.That(result.Error, Does.Contain(Path.Combine(_dir, OneDnnShimLibrary.FileName)));
    }

    [Test]
    public void AFileThatIsNotALibraryIsNamedWithTheLoadersReason()
    {
        string path = Path.Combine(_dir, OneDnnShimLibrary.FileName);
        File.WriteAllText(path, "not an ELF file");
        var result = OneDnnShimLibrary.Load(null, [_dir]);
        Assert.That(result.IsLoaded, Is.False);
        Assert.That(result.Path, Is.EqualTo(path));
        Assert.That(result.Error, Does.StartWith($"{path} could not be loaded"));
    }

    [Test]
    public void AMissingDependencySaysWhichPackageProvidesIt()
    {
        string message = OneDnnShimLibrary.Explain("/x/librnnshim.so: libdnnl.so.2: cannot open shared object file: No such file or directory");
        Assert.That(message, Does.Contain("libdnnl.so").And.Contain("apt-get install libdnnl2"));
        Assert.That(OneDnnShimLibrary.Explain("libgomp.so.1: cannot open shared object file"), Does.Contain("apt-get install libgomp1"));
        Assert.That(OneDnnShimLibrary.Explain("some other failure"), Is.EqualTo("some other failure"));
    }

    [Test]
    public void NothingFoundSaysHowToBuildIt()
    {
        // Without the system search: once another test has loaded the shim, dlopen by bare name finds that copy.
        var result = OneDnnShimLibrary.Load(null, [_dir], searchSystemPath: false);
        Assert.That(result.IsLoaded, Is.False);
        Assert.That(result.Error, Does.Contain(_dir).And.Contain("./build.sh build").And.Contain(OneDnnShimLibrary.OverrideVariable));
    }

    [Test]
    public void TheBuiltShimLoadsFromBesideTheAssembly()
    {
        string besideAssembly = Path.GetDirectoryName(typeof(OneDnnBackend).Assembly.Location)!;
        if (!File.Exists(Path.Combine(besideAssembly, OneDnnShimLibrary.FileName)))
            Assert.Ignore("librnnshim.so was not built (./build.sh build), so nothing sits beside the assembly");
        var result = OneDnnShimLibrary.Load(null, [besideAssembly]);
        Assert.That(result.IsLoaded, Is.True, result.Error);
        Assert.That(OneDnnBackend.Instance.Availability.IsAvailable, Is.True, OneDnnBackend.Instance.Availability.Reason);
        Assert.That(OneDnnBackend.Instance.Describe().Select(kv => kv.Key), Is.SupersetOf(new[] { "engine", "isa", "threads" }));
    }
}
