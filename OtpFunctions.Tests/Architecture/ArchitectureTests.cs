using System.Text.RegularExpressions;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Architecture;

/// <summary>
/// The tree is the map: a type's folder is its namespace and its file is its name, so a newcomer finds
/// <c>OtpFunctions.Sending.CodeIssuer</c> at <c>OtpFunctions/Sending/CodeIssuer.cs</c> without searching.
/// Read from the source text, so a file that is not compiled into anything still counts.
/// </summary>
public sealed partial class ArchitectureTests
{
    [Theory]
    [InlineData("OtpFunctions")]
    [InlineData("OtpFunctions.LocalHost")]
    [InlineData("OtpFunctions.Tests")]
    public void DeclaresTheNamespaceOfItsFolderInEveryFile(string project)
    {
        var files = SourceFiles(project);

        var misplaced = files
            .Where(file => !IsTopLevelProgram(file))
            .Select(file => (file.Path, Expected: ExpectedNamespace(file.Path), Actual: Namespace().Match(file.Text) is { Success: true } m ? m.Groups[1].Value : "(none)"))
            .Where(file => file.Actual != file.Expected)
            .Select(file => $"{file.Path}: namespace {file.Actual}, expected {file.Expected}")
            .ToList();

        Assert.True(files.Count >= 5, $"only {files.Count} files found under {project}/");
        Assert.Empty(misplaced);
    }

    [Fact]
    public void NamesEveryProductFileAfterItsFirstType()
    {
        var files = SourceFiles("OtpFunctions");

        var misnamed = files
            .Where(file => !IsTopLevelProgram(file))
            .Select(file => (file.Path, Type: FirstType().Match(file.Text) is { Success: true } m ? m.Groups[1].Value : "(none)"))
            .Where(file => file.Type != Path.GetFileNameWithoutExtension(file.Path))
            .Select(file => $"{file.Path}: first type is {file.Type}")
            .ToList();

        Assert.True(files.Count > 50, $"only {files.Count} product files found");
        Assert.Empty(misnamed);
    }

    [Fact]
    public void NamesEveryTestClassAfterItsSubject()
    {
        // One scheme: <Subject>Tests, each method a sentence about the subject (ReturnsXGivenY, KeepsXAcrossY).
        var testClasses = typeof(ArchitectureTests).Assembly.GetTypes()
            .Where(type => type.GetMethods().Any(method => method.IsDefined(typeof(FactAttribute), inherit: true)))
            .ToList();

        Assert.True(testClasses.Count > 50, $"only {testClasses.Count} test classes found");
        Assert.Empty(testClasses.Where(type => !type.Name.EndsWith("Tests", StringComparison.Ordinal)).Select(type => type.FullName));
    }

    [Fact]
    public void RecognisesMisplacedAndMisnamedFiles()
    {
        // Negative control for the two rules above: the readers do see a wrong namespace and a wrong first type.
        const string text = "namespace OtpFunctions.Sending;\n\n/// <summary>a class Comment</summary>\npublic sealed partial record Other<T>(int X);\n";

        Assert.Equal("OtpFunctions.Verifying", ExpectedNamespace("OtpFunctions/Verifying/CodeVerifier.cs"));
        Assert.Equal("OtpFunctions.Sending", Namespace().Match(text).Groups[1].Value);
        Assert.Equal("Other", FirstType().Match(text).Groups[1].Value);
    }

    private static string ExpectedNamespace(string path) => Path.GetDirectoryName(path)!.Replace('/', '.').Replace('\\', '.');

    // Program.cs holds top-level statements and GlobalUsings.cs only global usings: no namespace and no type of their own.
    private static bool IsTopLevelProgram((string Path, string Text) file) =>
        Path.GetFileName(file.Path) is "Program.cs" or "GlobalUsings.cs" && !Namespace().IsMatch(file.Text);

    private static List<(string Path, string Text)> SourceFiles(string project)
    {
        var root = Path.Combine(RepoRoot.Path, project);
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(full => Path.GetRelativePath(RepoRoot.Path, full).Replace('\\', '/'))
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(Path.Combine(RepoRoot.Path, path))))
            .ToList();
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^\s*(?:\[[^\]]*\]\s*)*(?:(?:public|internal|private|protected|file|static|sealed|abstract|partial|readonly|ref|unsafe|new)\s+)*(?:record\s+struct|record\s+class|class|record|struct|interface|enum|delegate\s+[\w<>?,\s]+?)\s+([A-Za-z_]\w*)", RegexOptions.Multiline)]
    private static partial Regex FirstType();
}
