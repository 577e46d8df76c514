namespace OtpFunctions.Tests.Infra;

/// <summary>
/// Issue 20, item 9: Communication Services and its email service keep data at rest in the geography of the
/// deployment's region unless communicationDataLocation says otherwise; evaluated from the compiled template.
/// </summary>
public sealed class CommunicationDataLocationTests
{
    [Theory]
    [InlineData("westeurope", "Europe")]
    [InlineData("swedencentral", "Europe")]
    [InlineData("uksouth", "UK")]
    [InlineData("eastus2", "United States")]
    [InlineData("AustraliaEast", "Australia")]
    public void FollowsTheRegionGivenNoDataLocation(string location, string expected)
    {
        Assert.Equal([expected, expected], DataLocations(new Dictionary<string, object?> { ["location"] = location }));
    }

    [Fact]
    public void UsesTheGivenDataLocationGivenOne()
    {
        Assert.Equal(["United States", "United States"], DataLocations(new Dictionary<string, object?> { ["communicationDataLocation"] = "United States" }));
    }

    [Fact]
    public void FollowsTheResourceGroupRegionGivenDefaults()
    {
        // The evaluator's resource group is in westeurope, as main.bicepparam's default location is.
        Assert.Equal(["Europe", "Europe"], DataLocations(new Dictionary<string, object?>()));
    }

    [Fact]
    public void StopsTheDeploymentGivenRegionWithoutAGeography()
    {
        // No silent fallback to the United States: an unlisted region fails until the location is set by hand.
        Assert.ThrowsAny<Exception>(() => DataLocations(new Dictionary<string, object?> { ["location"] = "mexicocentral" }));
    }

    // ACS, then its email service: both must match to be linked.
    private static List<object?> DataLocations(Dictionary<string, object?> parameters)
    {
        var evaluator = MainTemplatePrivateNetworkingTests.Evaluator(parameters);
        return
        [
            Assert.Single(evaluator.Evaluate("Microsoft.Communication/communicationServices", r => r.GetProperty("properties").GetProperty("dataLocation"))),
            Assert.Single(evaluator.Evaluate("Microsoft.Communication/emailServices", r => r.GetProperty("properties").GetProperty("dataLocation"))),
        ];
    }
}
