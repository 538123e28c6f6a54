using Dapper;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>Script 0043: the partner search's count starts from the companies already there.</summary>
public abstract partial class SchemaUpgradeTests
{
    [SkippableFact]
    public async Task Script_0043_counts_the_companies_written_before_it()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0043");
        var riga = Guid.CreateVersion7();
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertCompanyAsync(c, riga, "Baltic Amber Works");
            await InsertCompanyAsync(c, Guid.CreateVersion7(), "Gauja Timber");
            foreach (var (name, country, region) in new[] { ("Hamburg Holz", "DE", "DE60"), ("Hamburg Timber", "DE", "DE60"), ("Aabenraa Water", "DK", "DK03") })
            {
                await c.ExecuteAsync(
                    "INSERT INTO companies (id, name, country_code, region_code, size_class, created_at, updated_at, version) VALUES (@id, @name, @country, @region, 'small', @Then, @Then, 1)",
                    new { id = Guid.CreateVersion7(), name, country, region, Then });
            }
        }

        await upgrade.ApplyAsync();
        await upgrade.CompleteAsync();

        var queries = new MatchingQueries(upgrade.Factory);
        Assert.Equal(3, await queries.CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "LV" }));
        Assert.Equal(3, await queries.CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "DK", ExcludeCompanyIds = [riga] }));
        Assert.Equal(2, await queries.CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", Country = "DE" }));
    }
}
