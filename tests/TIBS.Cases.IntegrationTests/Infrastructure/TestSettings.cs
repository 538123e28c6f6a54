namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>
/// Which databases this run may use. SQLite always; PostgreSQL when TIBS_TEST_POSTGRES holds a connection string;
/// SQL Server when TIBS_TEST_SQLSERVER does. TIBS_REQUIRE (comma list, e.g. "postgres,browser") turns a missing
/// one into a failure instead of a skip.
/// </summary>
public static class TestSettings
{
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("TIBS_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static string? SqlServerConnectionString => Environment.GetEnvironmentVariable("TIBS_TEST_SQLSERVER") is { Length: > 0 } s ? s : null;

    public static IReadOnlySet<string> Required { get; } =
        (Environment.GetEnvironmentVariable("TIBS_REQUIRE") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant())
            .ToHashSet();

    /// <summary>Skips the calling test when <paramref name="available"/> is false, unless the capability is required.</summary>
    public static void SkipUnlessAvailable(string capability, bool available, string howToEnable)
    {
        if (available)
        {
            return;
        }

        if (Required.Contains(capability))
        {
            throw new InvalidOperationException($"TIBS_REQUIRE includes '{capability}' but it is not available: {howToEnable}");
        }

        Skip.If(true, $"{capability} not available: {howToEnable}");
    }
}
