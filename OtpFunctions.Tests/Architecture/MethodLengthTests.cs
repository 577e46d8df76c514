using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Architecture;

/// <summary>
/// A method a reader takes in at once: no member body in product code runs over 40 lines, declaration to closing
/// brace. Parsed with Roslyn rather than read as text, so expression-bodied members and local functions count too.
/// </summary>
public sealed class MethodLengthTests
{
    private const int MaxLines = 40;

    [Fact]
    public void KeepsEveryProductMethodWithinFortyLines()
    {
        var members = ProductMembers();

        var tooLong = members
            .Where(member => member.Lines > MaxLines)
            .OrderByDescending(member => member.Lines)
            .Select(member => $"{member.Where}: {member.Lines} lines")
            .ToList();

        Assert.True(members.Count > 300, $"only {members.Count} members found");
        Assert.True(tooLong.Count == 0, "Split these along their steps:\n" + string.Join('\n', tooLong));
    }

    [Fact]
    public void MeasuresExpressionBodiesAccessorsAndLocalFunctions()
    {
        // Negative control: the meter sees every kind of body the rule is about.
        const string source = """
            class C
            {
                int A() => 1 +
                    2;
                int B { get { return 1; } }
                void D()
                {
                    int Local()
                    {
                        return 1;
                    }
                }
            }
            """;

        var measured = Measure(CSharpSyntaxTree.ParseText(source), "c.cs").ToDictionary(member => member.Where, member => member.Lines);

        Assert.Equal(2, measured["c.cs:3 C.A"]);
        Assert.Equal(1, measured["c.cs:5 C.GetAccessorDeclaration"]);
        Assert.Equal(7, measured["c.cs:6 C.D"]);
        Assert.Equal(4, measured["c.cs:8 C.Local"]);
    }

    private static List<(string Where, int Lines)> ProductMembers()
    {
        var root = Path.Combine(RepoRoot.Path, "OtpFunctions");
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(path => Measure(CSharpSyntaxTree.ParseText(File.ReadAllText(path)), Path.GetRelativePath(root, path).Replace('\\', '/')))
            .ToList();
    }

    private static IEnumerable<(string Where, int Lines)> Measure(SyntaxTree tree, string file)
    {
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            if (!HasBody(node))
            {
                continue;
            }

            var span = node.GetLocation().GetLineSpan();
            var type = node.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text;
            yield return ($"{file}:{span.StartLinePosition.Line + 1} {type}.{Name(node)}", span.EndLinePosition.Line - span.StartLinePosition.Line + 1);
        }
    }

    private static bool HasBody(SyntaxNode node) => node switch
    {
        BaseMethodDeclarationSyntax method => method.Body is not null || method.ExpressionBody is not null,
        AccessorDeclarationSyntax accessor => accessor.Body is not null || accessor.ExpressionBody is not null,
        LocalFunctionStatementSyntax local => local.Body is not null || local.ExpressionBody is not null,
        PropertyDeclarationSyntax property => property.ExpressionBody is not null,
        _ => false,
    };

    private static string Name(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax method => method.Identifier.Text,
        ConstructorDeclarationSyntax constructor => constructor.Identifier.Text + ".ctor",
        LocalFunctionStatementSyntax local => local.Identifier.Text,
        PropertyDeclarationSyntax property => property.Identifier.Text,
        _ => node.Kind().ToString(),
    };
}
