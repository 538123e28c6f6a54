using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>What the field partial needs to draw one input of a generated form.</summary>
public sealed record FieldInput(
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

/// <summary>Country codes offered in country fields: the partner countries first, then the rest of the EU/EEA and frequent others.</summary>
public static class Countries
{
    public static IReadOnlyList<(string Code, string Name)> All { get; } =
    [
        ("PL", "Poland"), ("LV", "Latvia"), ("EE", "Estonia"), ("LT", "Lithuania"), ("DE", "Germany"), ("FI", "Finland"), ("DK", "Denmark"), ("SE", "Sweden"),
        ("AT", "Austria"), ("BE", "Belgium"), ("BG", "Bulgaria"), ("CY", "Cyprus"), ("CZ", "Czechia"), ("ES", "Spain"), ("FR", "France"), ("GR", "Greece"),
        ("HR", "Croatia"), ("HU", "Hungary"), ("IE", "Ireland"), ("IS", "Iceland"), ("IT", "Italy"), ("LU", "Luxembourg"), ("MT", "Malta"), ("NL", "Netherlands"),
        ("NO", "Norway"), ("PT", "Portugal"), ("RO", "Romania"), ("SI", "Slovenia"), ("SK", "Slovakia"), ("CH", "Switzerland"), ("UA", "Ukraine"),
        ("GB", "United Kingdom"), ("US", "United States"), ("CA", "Canada"), ("JP", "Japan"), ("CN", "China"), ("IN", "India"),
    ];
}
