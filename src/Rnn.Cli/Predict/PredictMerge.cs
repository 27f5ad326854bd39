namespace RnnNative.Cli.Predict;

/// <summary>
/// <c>rnn predict merge</c>: the outputs of the n shards of one run back into one output in global input order.
/// Shard i holds the ordinals i, i+n, i+2n, …, and its manifest says which of them went to its errors file, so the
/// merge walks the global ordinals and takes each record from its shard's output or errors, writing both merged
/// files by atomic rename. Shards must come from the same command (same identity but the shard) and be complete.
/// </summary>
internal static class PredictMerge
{
    public static (long Records, long Errors) Run(IReadOnlyList<string> shardOutputs, string output, string errors)
    {
        if (shardOutputs.Count == 0) throw new CliUsageException("rnn predict merge needs the shard outputs to merge.");
        var format = ResultFormat.ForOutput(output);
        var shards = new List<(string Path, PredictManifest Manifest)>();
        foreach (var path in shardOutputs)
        {
            if (ResultFormat.ForOutput(path) != format) throw new CliUsageException($"{path}: a {format.Name} merge needs {format.Name} shard outputs.");
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: shard output not found.", path);
            var manifest = PredictManifest.Load(path) ?? throw new CliUsageException($"{path}: no {PredictManifest.PathFor(path)} beside it; merge needs the manifests rnn predict writes.");
            if (!manifest.Complete) throw new CliUsageException($"{path}: this shard has not finished (its manifest is not complete); run it again to finish it.");
            // A shard is merged only as its run wrote it: the output and errors file by length and checksum, the manifest by its own consistency.
            string? damage = manifest.Output!.Mismatch(path) is { } o ? $"{path}: {o}"
                : manifest.ErrorsOutput!.Mismatch(manifest.ErrorsFileOf(path)) is { } e ? $"{manifest.ErrorsFileOf(path)}: {e}"
                : Enumerable.Range(0, manifest.Chunks.Count).Select(manifest.Inconsistency).FirstOrDefault(i => i is not null) is { } i ? $"{PredictManifest.PathFor(path)}: {i}" : null;
            if (damage is not null)
                throw new CliUsageException($"{damage}, not what the shard's run wrote; run that shard's command again to compute it again.");
            shards.Add((path, manifest));
        }
        var paths = new PredictPaths();
        foreach (var (path, manifest) in shards)
            paths.Reads("shard", path).Reads("the manifest of shard", PredictManifest.PathFor(path)).Reads("the errors file of shard", manifest.ErrorsFileOf(path));
        paths.Writes("--output", output).Writes("--errors", errors).Writes("the temporary output", output + ".tmp").Writes("the temporary errors file", errors + ".tmp")
            .Check([output, errors]);
        shards.Sort((a, b) => a.Manifest.ShardIndex.CompareTo(b.Manifest.ShardIndex));
        int n = shards[0].Manifest.NumShards;
        var reference = WithoutShard(shards[0].Manifest.Identity);
        for (int i = 0; i < shards.Count; i++)
        {
            var m = shards[i].Manifest;
            if (m.NumShards != shards.Count || m.ShardIndex != i)
                throw new CliUsageException($"merge needs every shard 0..{n - 1} of one run exactly once; got shard(s) {string.Join(", ", shards.Select(s => $"{s.Manifest.ShardIndex} of {s.Manifest.NumShards}"))}.");
            if (RunIdentity.Differences(reference, WithoutShard(m.Identity)) is { } differences)
                throw new CliUsageException($"{shards[i].Path} comes from a different run than {shards[0].Path} ({differences} differ).");
        }

        string outputTemporary = output + ".tmp", errorsTemporary = errors + ".tmp";
        long records = 0, errorCount = 0;
        var positions = shards.Select(s => ErrorFlags(s.Manifest).GetEnumerator()).ToArray();
        var rows = shards.Select(s => format.ReadRows(s.Path).GetEnumerator()).ToArray();
        var errorLines = shards.Select(s => File.ReadLines(s.Manifest.ErrorsFileOf(s.Path)).GetEnumerator()).ToArray();
        try
        {
            using (var writer = format.CreateWriter(outputTemporary, shards.Select(s => s.Path).ToList(), null, Math.Max(1, shards[0].Manifest.Window)))
            using (var errorWriter = new StreamWriter(errorsTemporary, false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" })
            {
                for (long g = 0; ; g++)
                {
                    int s = (int)(g % n);
                    if (!positions[s].MoveNext())
                    {
                        // Ordinals past the end are past it in every shard.
                        for (int k = 0; k < n; k++)
                            if (k != s && positions[k].MoveNext())
                                throw new CliUsageException($"the shards do not fit together: shard {s} ends before shard {k}.");
                        break;
                    }
                    var source = positions[s].Current ? errorLines[s] : (System.Collections.IEnumerator)rows[s];
                    if (!source.MoveNext())
                        throw new CliUsageException($"{shards[s].Path}: fewer {(positions[s].Current ? "errors" : "records")} than its manifest lists.");
                    if (positions[s].Current)
                    {
                        errorWriter.Write((string)source.Current! + "\n");
                        errorCount++;
                    }
                    else writer.Add(source.Current!);
                    records++;
                }
                for (int k = 0; k < n; k++)
                    if (rows[k].MoveNext() || errorLines[k].MoveNext())
                        throw new CliUsageException($"{shards[k].Path}: more records than its manifest lists.");
                writer.Complete();
            }
        }
        finally
        {
            foreach (var e in rows) e.Dispose();
            foreach (var e in errorLines) e.Dispose();
        }
        File.Move(outputTemporary, output, overwrite: true);
        File.Move(errorsTemporary, errors, overwrite: true);
        return (records, errorCount);
    }

    /// <summary>Per record of the shard, in order: whether it went to the errors file.</summary>
    private static IEnumerable<bool> ErrorFlags(PredictManifest manifest)
    {
        foreach (var chunk in manifest.Chunks)
        {
            var errors = chunk.ErrorPositions.ToHashSet();
            for (int p = 0; p < chunk.Records; p++) yield return errors.Contains(p);
        }
    }

    private static SortedDictionary<string, string> WithoutShard(SortedDictionary<string, string> identity)
    {
        var copy = new SortedDictionary<string, string>(identity, StringComparer.Ordinal);
        copy.Remove("shard");
        return copy;
    }
}
