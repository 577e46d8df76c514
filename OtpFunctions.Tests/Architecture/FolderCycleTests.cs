using OtpFunctions.Tests.Support;
using Xunit.Abstractions;

namespace OtpFunctions.Tests.Architecture;

/// <summary>
/// Product folders should depend on each other without cycles, so a newcomer reads the tree from the shared
/// vocabulary up to the flows (<c>Sending/</c>, <c>Delivery/</c>, ...) without going back and forth.
/// </summary>
public sealed class FolderCycleTests(ITestOutputHelper output)
{
    [Fact]
    public void FormsNoCycleBetweenProductFolders()
    {
        var graph = FolderGraph.Read(typeof(OtpFunctions.Sending.CodeIssuer).Assembly.Location, "OtpFunctions");
        foreach (var (folder, uses) in graph.Edges.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            foreach (var used in uses.Order(StringComparer.Ordinal))
            {
                output.WriteLine($"{folder} → {used}: {string.Join(", ", graph.CausesOf(folder, used))}");
            }
        }

        output.WriteLine($"{graph.Edges.Count} folders, {graph.EdgeCount} edges");
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, "folders that reach each other: " + string.Join(" | ", cycles.Select(graph.Explain)));
        foreach (var (layer, folders) in graph.Layers().Select((folders, layer) => (layer, folders)))
        {
            output.WriteLine($"layer {layer}: {string.Join(", ", folders)}");
        }
    }

    /// <summary>The control: two folders of the test project that use each other only inside method bodies and through a fully qualified name.</summary>
    [Fact]
    public void SeesACycleHiddenInMethodBodies()
    {
        var graph = FolderGraph.Read(typeof(FolderCycleTests).Assembly.Location, "OtpFunctions.Tests.Support");

        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal(["CyclePing", "CyclePong"], cycle);
    }
}
