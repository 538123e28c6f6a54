using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>What the field partial needs to draw one input of a generated form.</summary>
internal sealed record FieldInput(
    PlanField Field,
    string Name,
    string Value,
    IReadOnlyList<string> Values,
    string? Error,
    IReadOnlyList<(string Value, string Label)> Choices,
    int TableRows,
    Func<int, string, string> Cell,
    Func<int, string, string?> CellError)
{
    /// <summary>Options of the company and taxonomy columns of a table, by column key.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Value, string Label)>> ColumnChoices { get; init; } =
        new Dictionary<string, IReadOnlyList<(string Value, string Label)>>();

    public string Id => "f-" + Name.Replace('[', '-').Replace(']', '-').Replace('.', '-');

    public string? DescribedBy => Error is null ? (Field.Help is null ? null : Id + "-help") : Id + "-error";
}

/// <summary>Country codes offered in country fields (the list and names live in Core, where values are put into words).</summary>
internal static class Countries
{
    public static IReadOnlyList<(string Code, string Name)> All => TIBS.Cases.Core.Display.Countries.All;
}
