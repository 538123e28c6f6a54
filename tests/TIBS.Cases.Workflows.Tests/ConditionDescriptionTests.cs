using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>Every condition of the catalog reads as a sentence with the form's labels, never as its YAML syntax.</summary>
public sealed class ConditionDescriptionTests
{
    private static readonly IReadOnlyList<FieldDefinition> Form =
    [
        new() { Key = "contact-data-consent", Label = "Consent to process contact data", Type = "boolean" },
        new() { Key = "decision", Label = "Decision", Type = "choice", Options = [new ChoiceOption { Value = "go-ahead", Label = "Go ahead with the search" }] },
        new() { Key = "signed-agreement", Label = "Signed agreement", Type = "file" },
    ];

    /// <summary>A use of each condition, made from what it takes (so a new condition is covered without a new test).</summary>
    private static ConditionRef Example(ConditionDescriptor d) => d.Parameter switch
    {
        ConditionParameterKind.None => new ConditionRef { Name = d.Name },
        ConditionParameterKind.Count => new ConditionRef { Name = d.Name, Argument = "2" },
        ConditionParameterKind.Field => new ConditionRef { Name = d.Name, Argument = "decision" },
        ConditionParameterKind.FileField => new ConditionRef { Name = d.Name, Argument = "signed-agreement" },
        ConditionParameterKind.FieldValue => new ConditionRef { Name = d.Name, Arguments = new Dictionary<string, string> { ["field"] = "decision", ["value"] = "go-ahead" } },
        ConditionParameterKind.Moment => new ConditionRef { Name = d.Name, Argument = "P12M" },
        ConditionParameterKind.Expression => new ConditionRef { Name = d.Name, Argument = "partners.agreed >= 2" },
        _ => throw new InvalidOperationException($"No example for {d.Parameter}."),
    };

    public static TheoryData<string> Conditions() => [.. ConditionCatalog.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Each_condition_is_described_in_words(string name)
    {
        Assert.True(ConditionCatalog.TryGet(name, out var descriptor));
        var condition = Example(descriptor);

        var text = ConditionCatalog.Describe(condition, Form);

        Assert.DoesNotContain(name, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ConditionCatalog.GuardName(condition), text, StringComparison.Ordinal);
        Assert.DoesNotContain("go-ahead", text, StringComparison.Ordinal);
        Assert.DoesNotContain("signed-agreement", text, StringComparison.Ordinal);
        Assert.Matches("^[A-Z]", text);
    }

    [Fact]
    public void A_yes_no_field_reads_Yes_or_No_and_a_choice_its_option_label()
    {
        Assert.Equal("Consent to process contact data is Yes", ConditionCatalog.Describe(
            new ConditionRef { Name = ConditionCatalog.FieldEquals, Arguments = new Dictionary<string, string> { ["field"] = "contact-data-consent", ["value"] = "yes" } }, Form));
        Assert.Equal("Decision is 'Go ahead with the search'", ConditionCatalog.Describe(
            new ConditionRef { Name = ConditionCatalog.FieldEquals, Arguments = new Dictionary<string, string> { ["field"] = "decision", ["value"] = "go-ahead" } }, Form));
        Assert.Equal("At least 2 partners have agreed to take part", ConditionCatalog.Describe(
            new ConditionRef { Name = ConditionCatalog.MinAgreedPartners, Argument = "2" }, Form));
    }
}
