namespace C10k.Testing;

/// <summary>Files of the repository, found from the test's output folder upwards (the folder that holds C10k.sln).</summary>
public static class RepositoryFiles
{
    public static readonly string Root = FindRoot();

    /// <summary>The absolute path of <paramref name="relativePath"/> (parts below the repository root).</summary>
    public static string PathOf(params string[] relativePath) => Path.Combine([Root, .. relativePath]);

    public static string ReadAllText(string relativePath) => File.ReadAllText(PathOf(relativePath));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "C10k.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("C10k.sln not found above " + AppContext.BaseDirectory);
    }
}
