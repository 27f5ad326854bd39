using System.Reflection;
using System.Runtime.InteropServices;
using RnnNative.Interop.CuDnn;
using RnnNative.Interop.OneDnn;

namespace RnnNative.Tests.Backends;

/// <summary>
/// Every native binding a backend package declares is called by that package: a binding nothing calls is an entry point
/// nobody checks against the library it names. Found by reading the call instructions of every method body.
/// </summary>
public class NativeBindingUseTests
{
    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    [TestCase(typeof(OneDnnBackend))]
    [TestCase(typeof(CuDnnBackend))]
    public void EveryBindingIsCalled(Type anyTypeOfThePackage)
    {
        var assembly = anyTypeOfThePackage.Assembly;
        var bindings = Methods(assembly).Where(IsBinding).ToHashSet();
        Assert.That(bindings, Is.Not.Empty, "the package declares native bindings");
        var called = new HashSet<MethodBase>();
        foreach (var method in Methods(assembly)) called.UnionWith(Callees(method));
        var unused = bindings.Where(b => !called.Contains(b)).Select(b => $"{b.DeclaringType!.Name}.{b.Name}").Order().ToArray();
        Assert.That(unused, Is.Empty, "declared but never called");
    }

    /// <summary>A method the package declares as a native entry point (the generator's inner stubs excluded).</summary>
    private static bool IsBinding(MethodBase method) =>
        method.IsDefined(typeof(LibraryImportAttribute))
        || (method.Attributes.HasFlag(MethodAttributes.PinvokeImpl) && !method.Name.Contains("__PInvoke", StringComparison.Ordinal));

    private static IEnumerable<MethodBase> Methods(Assembly assembly) =>
        assembly.GetTypes().SelectMany(t => t.GetMethods(Everything).Cast<MethodBase>().Concat(t.GetConstructors(Everything)));

    /// <summary>
    /// Methods that <paramref name="method"/>'s body calls or takes the address of. Any 4 bytes after a call opcode
    /// are tried as a method token: a misread can only add a callee, so it can hide an unused binding only by the
    /// improbable chance of spelling that binding's exact token, never report a used one as unused.
    /// </summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (InvalidOperationException)
        {
            yield break;
        }
        if (il is null) yield break;
        for (int i = 0; i + 4 < il.Length; i++)
        {
            bool call = il[i] is 0x28 or 0x6F or 0x73; // call, callvirt, newobj
            bool ldftn = il[i] == 0xFE && il[i + 1] is 0x06 or 0x07 && i + 5 < il.Length; // ldftn, ldvirtftn
            if (!call && !ldftn) continue;
            int token = BitConverter.ToInt32(il, ldftn ? i + 2 : i + 1);
            MethodBase? callee = null;
            try
            {
                callee = method.Module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(),
                    method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or MissingMethodException or TypeLoadException)
            {
            }
            if (callee is not null) yield return callee;
        }
    }
}
