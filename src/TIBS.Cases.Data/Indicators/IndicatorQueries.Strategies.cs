using System.Globalization;
using Dapper;
using TIBS.Cases.Core.Indicators;

namespace TIBS.Cases.Data.Indicators;

/// <summary>The strategies per year: from the counts the writes keep (strategy_counts, decision 0059), or from cases.</summary>
internal sealed partial class IndicatorQueries
{
    /// <summary>
    /// Strategies opened, completed and withdrawn per year. The triggers on cases keep how many were opened, completed
    /// and withdrawn per region and UTC day (delta rows, summed here); the page's filters on the region, its country and
    /// the period (whole UTC days) select among those rows, so the figures are a sum over a few thousand rows whatever
    /// the number of cases. The S3 area and the brokers' organisation are not in the counts: those filters count cases.
    /// </summary>
    public async Task<IReadOnlyList<StrategyYear>> StrategiesAsync(IndicatorFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!string.IsNullOrEmpty(filter.S3Area) || filter.OrganisationId is not null)
        {
            return await StrategiesFromCasesAsync(filter, cancellationToken);
        }

        var provider = db.Dialect.Provider;
        var parameters = new DynamicParameters();
        var clauses = new List<string> { "1 = 1" };
        var regions = "";
        if (!string.IsNullOrEmpty(filter.RegionCode))
        {
            clauses.Add("k.region_code = @region");
            parameters.Add("region", filter.RegionCode);
        }

        if (!string.IsNullOrEmpty(filter.CountryCode))
        {
            regions = " JOIN regions r ON r.code = k.region_code";
            clauses.Add("r.country_code = @country");
            parameters.Add("country", filter.CountryCode);
        }

        // The period's bounds are whole UTC days (FromTime and ToTime start a day), so the days answer them exactly.
        string Day(string parameter) => provider == DatabaseProvider.Sqlite ? parameter : $"CAST({parameter} AS date)";
        if (filter.From is { } from)
        {
            clauses.Add($"k.on_day >= {Day("@fromDay")}");
            parameters.Add("fromDay", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (filter.To is { } to)
        {
            clauses.Add($"k.on_day < {Day("@toDay")}");
            parameters.Add("toDay", to.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        var year = provider switch
        {
            DatabaseProvider.Sqlite => "substr(k.on_day, 1, 4)",
            DatabaseProvider.Postgres => "to_char(k.on_day, 'YYYY')",
            _ => "CAST(YEAR(k.on_day) AS nvarchar(4))",
        };
        var text =
            $"""
            SELECT year, SUM(opened) AS opened, SUM(completed) AS completed, SUM(withdrawn) AS withdrawn
            FROM (SELECT {year} AS year, k.opened, k.completed, k.withdrawn FROM strategy_counts k{regions} WHERE {string.Join(" AND ", clauses)}) y
            GROUP BY year
            HAVING SUM(opened) + SUM(completed) + SUM(withdrawn) > 0
            ORDER BY year
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<StrategyYear>(new CommandDefinition(text, parameters, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Strategies opened, completed and withdrawn per year under a filter the kept counts cannot answer (an S3 area or
    /// the brokers' organisation): the first and last year come from the ends of the opening and closing indexes; each
    /// year is then three counts of an index range (ix_cases_opened_at, or the filter's own index such as
    /// ix_cases_region_opened, and ix_cases_closed), so no timestamp is turned into a year row by row.
    /// </summary>
    private async Task<IReadOnlyList<StrategyYear>> StrategiesFromCasesAsync(IndicatorFilter filter, CancellationToken cancellationToken)
    {
        var sql = Sql;
        const string Completed = "c.status = 'closed' AND c.current_step = 'completed' AND c.closed_at IS NOT NULL";
        const string Withdrawn = "c.status = 'closed' AND c.current_step = 'withdrawn' AND c.closed_at IS NOT NULL";
        string End(string aggregate, string column, string? condition) =>
            sql.Year($"(SELECT {aggregate}({column}) FROM cases c{(condition is null ? "" : " WHERE " + condition)})");
        var bounds =
            $"""
            SELECT {End("MIN", "c.opened_at", null)} AS a, {End("MAX", "c.opened_at", null)} AS b,
                   {End("MIN", "c.closed_at", Completed)} AS c, {End("MAX", "c.closed_at", Completed)} AS d,
                   {End("MIN", "c.closed_at", Withdrawn)} AS e, {End("MAX", "c.closed_at", Withdrawn)} AS f
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        var ends = (await c.QueryAsync(new CommandDefinition(bounds, cancellationToken: cancellationToken))).Cast<IDictionary<string, object?>>().Single()
            .Values.OfType<string>().Select(y => int.Parse(y, NumberStyles.None, CultureInfo.InvariantCulture)).ToList();
        if (ends.Count == 0)
        {
            return [];
        }

        var regions = string.IsNullOrEmpty(filter.CountryCode) ? "" : " JOIN regions r ON r.code = c.region_code";
        var opened = Where(filter, "c.opened_at", out var parameters);
        var closed = Where(filter, "c.closed_at", out _);
        string Count(string where, string column, int year, string? condition) =>
            $"(SELECT COUNT(*) FROM cases c{regions} {where}{(condition is null ? "" : " AND " + condition)} AND {column} >= @y{year} AND {column} < @y{year + 1})";
        var years = new List<string>();
        for (var year = ends.Min(); year <= ends.Max(); year++)
        {
            parameters.Add($"y{year}", new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero));
            parameters.Add($"y{year + 1}", new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero));
            years.Add(
                $"SELECT '{year.ToString("D4", CultureInfo.InvariantCulture)}' AS year, {Count(opened, "c.opened_at", year, null)} AS opened, " +
                $"{Count(closed, "c.closed_at", year, Completed)} AS completed, {Count(closed, "c.closed_at", year, Withdrawn)} AS withdrawn");
        }

        var text = $"SELECT year, opened, completed, withdrawn FROM (\n{string.Join("\nUNION ALL\n", years)}\n) y WHERE opened + completed + withdrawn > 0 ORDER BY year";
        return [.. await c.QueryAsync<StrategyYear>(new CommandDefinition(text, parameters, cancellationToken: cancellationToken))];
    }
}
