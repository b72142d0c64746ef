namespace AgentSafety.Benchmarks.Corpus;

/// <summary>One C# source of a corpus: its path (decides generated-code status) and its text.</summary>
internal sealed record CorpusFile(string Path, string Text)
{
    public int LineCount
    {
        get
        {
            var lines = 1;
            foreach (var c in Text)
            {
                if (c == '\n')
                {
                    lines++;
                }
            }

            return lines;
        }
    }

    /// <summary>Every <c>*.cs</c> file under <paramref name="directory"/> (bin and obj folders left out), in a stable order.</summary>
    public static IReadOnlyList<CorpusFile> Load(string directory)
    {
        var root = System.IO.Path.GetFullPath(directory);
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !System.IO.Path.GetRelativePath(root, path).Split(System.IO.Path.DirectorySeparatorChar)
                .Any(part => part.Equals("bin", StringComparison.OrdinalIgnoreCase) || part.Equals("obj", StringComparison.OrdinalIgnoreCase)))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => new CorpusFile(path, File.ReadAllText(path)))
            .ToList();
    }
}
