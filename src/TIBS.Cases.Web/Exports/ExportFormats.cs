namespace TIBS.Cases.Web.Exports;

/// <summary>The <c>format</c> of a page's download link: <c>csv</c> or <c>xlsx</c>.</summary>
internal static class ExportFormats
{
    public static ExportFormat? Parse(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        "csv" => ExportFormat.Csv,
        "xlsx" => ExportFormat.Xlsx,
        _ => null,
    };

    public static string BadFormat(string? format) => $"An export is downloaded as 'csv' or 'xlsx'; '{format}' is neither.";
}
