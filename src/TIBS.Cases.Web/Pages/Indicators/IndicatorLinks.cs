using System.Text.Json;
using Microsoft.AspNetCore.Http.Extensions;
using TIBS.Cases.Core.Indicators;

namespace TIBS.Cases.Web.Pages.Indicators;

/// <summary>Addresses between the indicator pages, and chart data for wwwroot/js/indicators.js.</summary>
internal static class IndicatorLinks
{
    public static string Cases(ProgrammeIndicators.Input input, string code, string? group)
    {
        ArgumentNullException.ThrowIfNull(input);
        var query = new QueryBuilder { { "indicator", code } };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add(name, value);
            }
        }

        Add("region", input.Region);
        Add("country", input.Country);
        Add("s3", input.S3Area);
        Add("from", input.From);
        Add("to", input.To);
        Add("organisation", input.Organisation);
        if (group is not null)
        {
            Add("by", input.By);
            Add("group", group);
        }

        return "/indicators/cases" + query.ToQueryString();
    }

    /// <summary>A bar chart's data as JSON for a <c>data-chart</c> attribute: labels and one series per dataset.</summary>
    public static string Chart(IEnumerable<string> labels, params (string Label, IEnumerable<double> Values)[] series) =>
        JsonSerializer.Serialize(new
        {
            labels = labels.ToArray(),
            datasets = series.Select(s => new { label = s.Label, data = s.Values.ToArray() }).ToArray(),
        });
}
