using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RnnNative.Cli.Predict;

/// <summary>
/// An exclusive lock on one output for a run's lifetime (<c>OUT.lock</c>, an advisory lock the system drops when the
/// process ends, however it ends): two runs writing one output would interleave chunks and manifests, so a second run
/// is refused at once, naming the holder's pid. The file holds only that pid; it is left in place (deleting a lock
/// file another run may be opening would let two runs hold "the" lock), and may be deleted whenever no run is going.
/// </summary>
internal sealed partial class OutputLock : IDisposable
{
    private readonly FileStream _stream;

    private OutputLock(FileStream stream) => _stream = stream;

    public static string PathFor(string output) => output + ".lock";

    public static OutputLock Take(string output)
    {
        string path = PathFor(output);
        FileStream stream;
        try
        {
            // FileShare.None takes an exclusive lock (flock on Unix) that every other opening of the file runs into.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new IOException($"{output} is being written by another rnn predict (pid {HolderOf(path)}); wait for it to end, or write to another --output.");
        }
        stream.SetLength(0);
        stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        stream.Flush();
        return new OutputLock(stream);
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>The pid the holder wrote, read past the lock (.NET itself would not open a locked file), or "unknown".</summary>
    private static string HolderOf(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return "unknown";
        try
        {
            int fd = Open(path, 0);
            if (fd < 0) return "unknown";
            var buffer = new byte[32];
            nint read;
            try
            {
                read = Read(fd, buffer, buffer.Length);
            }
            finally
            {
                Close(fd);
            }
            string text = read > 0 ? Encoding.ASCII.GetString(buffer, 0, (int)read).Trim() : "";
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid.ToString(CultureInfo.InvariantCulture) : "unknown";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "unknown";
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read")]
    private static partial nint Read(int fd, [Out] byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
