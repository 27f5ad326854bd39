using System.Runtime.InteropServices;

namespace RnnNative.Interop.OneDnn;

/// <summary>
/// The shim's OpenMP runtime (libgomp) lets a call's idle team threads spin for about 3 ms before they sleep, unless
/// OMP_WAIT_POLICY or GOMP_SPINCOUNT says otherwise. On a machine whose cores are busy with other processes that spinning
/// takes the time slices the working threads need, and a call on several threads runs 20 to 100 times slower than with
/// passive waiting (bench/threads/measure-contention.sh). So before the shim (and with it libgomp, which reads these variables once,
/// when it loads) is loaded, OMP_WAIT_POLICY=passive is put in the process environment, unless the user set either
/// variable (OMP_WAIT_POLICY=active brings spinning back, for a machine the process has to itself). It takes effect only
/// when no OpenMP runtime was loaded into the process before.
/// </summary>
internal static unsafe class OpenMpWaitPolicy
{
    public const string PolicyVariable = "OMP_WAIT_POLICY";
    public const string SpinCountVariable = "GOMP_SPINCOUNT";
    public const string Default = "passive";

    /// <summary>True when this process's OMP_WAIT_POLICY came from <see cref="PreferPassive"/>, not from the user.</summary>
    public static bool Applied { get; private set; }

    /// <summary>Sets OMP_WAIT_POLICY=passive where neither variable is set; called once, before the shim loads.</summary>
    public static void PreferPassive()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable(PolicyVariable) is not null || Environment.GetEnvironmentVariable(SpinCountVariable) is not null) return;
        // libgomp reads the C library's environment, which Environment.SetEnvironmentVariable does not write on Unix.
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "setenv", out var export)) return;
        var setenv = (delegate* unmanaged<byte*, byte*, int, int>)export;
        fixed (byte* name = "OMP_WAIT_POLICY\0"u8, value = "passive\0"u8)
            if (setenv(name, value, 0) != 0) return; // overwrite 0: a value set natively since startup stays
        Environment.SetEnvironmentVariable(PolicyVariable, Default); // what .NET reports and hands to child processes
        Applied = true;
    }

    /// <summary>The C library's value of OMP_WAIT_POLICY (what libgomp read), or null.</summary>
    public static string? NativeValue()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "getenv", out var export))
            return null;
        var getenv = (delegate* unmanaged<byte*, byte*>)export;
        fixed (byte* name = "OMP_WAIT_POLICY\0"u8) return Marshal.PtrToStringUTF8((IntPtr)getenv(name));
    }
}
