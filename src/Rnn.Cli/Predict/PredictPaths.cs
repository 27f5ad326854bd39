namespace RnnNative.Cli.Predict;

/// <summary>
/// The files one command reads and writes, checked before anything is written: no file it writes may be one it reads
/// or another it writes (compared after resolving symbolic links in every part of the path), nor lie inside the parts
/// folder (which is deleted when the run finishes), and every file it writes must be a file it can create — a run
/// that would destroy its input or model, or end with an output overwritten by another, is refused instead.
/// </summary>
internal sealed class PredictPaths
{
    private readonly List<(string Role, string Path, string Canonical, bool Written)> _files = [];

    /// <summary>A file the command reads (an input, the model, the labels).</summary>
    public PredictPaths Reads(string role, string? path) => Add(role, path, written: false);

    /// <summary>A file (or folder) the command writes, replaces or deletes.</summary>
    public PredictPaths Writes(string role, string? path) => Add(role, path, written: true);

    /// <summary>The files and folders one run of rnn predict writes for <paramref name="output"/> besides the output itself.</summary>
    public PredictPaths WritesRunFiles(string output, string errors) =>
        Writes("the manifest", PredictManifest.PathFor(output))
            .Writes("the parts folder", ChunkedOutput.PartsFolderFor(output))
            .Writes("the lock file", OutputLock.PathFor(output))
            .Writes("the temporary output", output + ".tmp")
            .Writes("the temporary errors file", errors + ".tmp");

    private PredictPaths Add(string role, string? path, bool written)
    {
        if (path is not null) _files.Add((role, path, Canonical(path), written));
        return this;
    }

    /// <summary>Whether <paramref name="path"/> is one of the files this command writes, or lies inside a folder it writes.</summary>
    public bool IsWritten(string path)
    {
        string canonical = Canonical(path);
        return _files.Any(f => f.Written && (f.Canonical == canonical || IsInside(canonical, f.Canonical)));
    }

    /// <summary>Throws, naming both, at the first two files that alias where one is written; then checks that each output file can be created.</summary>
    public void Check(IEnumerable<string> outputFiles)
    {
        for (int i = 0; i < _files.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                var (a, b) = (_files[j], _files[i]);
                if (!a.Written && !b.Written) continue;
                if (a.Canonical == b.Canonical)
                    throw new CliUsageException($"{Name(b)} and {Name(a)} are the same file{(b.Path == a.Path ? "" : $" ({b.Canonical})")}; nothing was written.");
                foreach (var (inner, outer) in new[] { (a, b), (b, a) })
                    if (outer.Written && outer.Role == "the parts folder" && IsInside(inner.Canonical, outer.Canonical))
                        throw new CliUsageException($"{Name(inner)} is inside {Name(outer)}, which is deleted when the run finishes; nothing was written.");
            }
        }
        foreach (string path in outputFiles) CheckCanCreate(_files.First(f => f.Path == path));
    }

    private static void CheckCanCreate((string Role, string Path, string Canonical, bool Written) file)
    {
        if (Directory.Exists(file.Canonical)) throw new CliUsageException($"{Name(file)} is a folder, not a file; nothing was written.");
        string? folder = Path.GetDirectoryName(file.Canonical);
        if (folder is not null && !Directory.Exists(folder)) throw new CliUsageException($"{Name(file)}: the folder {folder} does not exist.");
        try
        {
            // Opened for writing without truncating (or created and removed again): the permission is known before the run.
            bool existed = File.Exists(file.Canonical);
            using (new FileStream(file.Canonical, existed ? FileMode.Open : FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { }
            if (!existed) File.Delete(file.Canonical);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new CliUsageException($"{Name(file)} cannot be written ({e.Message}); nothing was written.");
        }
    }

    private static string Name((string Role, string Path, string Canonical, bool Written) file) => $"{file.Role} {file.Path}";

    private static bool IsInside(string path, string folder) =>
        path.Length > folder.Length + 1 && path.StartsWith(folder, StringComparison.Ordinal) && path[folder.Length] == Path.DirectorySeparatorChar;

    /// <summary>The absolute path with every symbolic link along it resolved (the parts that do not exist yet kept as they are).</summary>
    public static string Canonical(string path) => Canonical(Path.GetFullPath(path), depth: 0);

    private static string Canonical(string full, int depth)
    {
        if (depth > 40) throw new CliUsageException($"{full}: too many levels of symbolic links.");
        string root = Path.GetPathRoot(full) ?? "/";
        string current = root;
        foreach (string part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
                next = Canonical(Path.GetFullPath(target, current), depth + 1);
            current = next;
        }
        return current;
    }
}
