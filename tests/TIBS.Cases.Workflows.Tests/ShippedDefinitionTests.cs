namespace TIBS.Cases.Workflows.Tests;

public sealed class ShippedDefinitionTests
{
    [Theory]
    [InlineData("joint-smart-strategy/v1.yaml", 1)]
    [InlineData("joint-smart-strategy/v2.yaml", 2)]
    [InlineData("joint-smart-strategy/v3.yaml", 3)]
    [InlineData("joint-smart-strategy/v4.yaml", 4)]
    [InlineData("joint-smart-strategy/v5.yaml", 5)]
    public void Shipped_definitions_validate_clean(string file, int version)
    {
        var check = WorkflowDefinitions.Check(TestFiles.ReadWorkflow(file));

        Assert.True(check.Errors.Count == 0, string.Join(Environment.NewLine, check.Errors.Select(e => $"{e} ({e.Position})")));
        Assert.Equal("joint-smart-strategy", check.Document!.Key);
        Assert.Equal(version, check.Document.Version);
    }
}
