using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

public class PythonSitePackagesTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), "rnn-sitepkg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    private string Make(params string[] parts)
    {
        string path = Path.Combine([_root, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    [Test]
    public void FindsOnlyPackagesFoldersHoldingNvidiaWheelsNewestPythonFirst()
    {
        Make("lib", "python3.9", "site-packages", "nvidia");
        Make("lib", "python3.12", "site-packages", "nvidia", "cudnn", "lib");
        Make("lib", "python3.12", "dist-packages", "numpy");
        Make("lib", "python3.11", "dist-packages", "nvidia");
        var found = PythonSitePackages.Find([Path.Combine(_root, "lib"), Path.Combine(_root, "missing")]);
        Assert.That(found, Is.EqualTo(new[]
        {
            Path.Combine(_root, "lib", "python3.12", "site-packages"),
            Path.Combine(_root, "lib", "python3.11", "dist-packages"),
            Path.Combine(_root, "lib", "python3.9", "site-packages"),
        }));
    }

    [Test]
    public void VirtualEnvironmentsAreScanned()
    {
        string? saved = Environment.GetEnvironmentVariable("VIRTUAL_ENV");
        try
        {
            Environment.SetEnvironmentVariable("VIRTUAL_ENV", _root);
            Assert.That(PythonSitePackages.DefaultLibRoots(), Does.Contain(Path.Combine(_root, "lib")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("VIRTUAL_ENV", saved);
        }
    }
}
