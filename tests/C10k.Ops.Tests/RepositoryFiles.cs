namespace C10k.Ops.Tests;

/// <summary>Finds files of the repository from the test's output directory.</summary>
internal static class RepositoryFiles
{
    public static string Root()
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

    public static string ReadAllText(string relativePath) => File.ReadAllText(Path.Combine(Root(), relativePath));
}
