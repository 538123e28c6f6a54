using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Tests;

public sealed class DurationTests
{
    private static readonly TimeSpan Utc = TimeSpan.Zero;

    [Theory]
    [InlineData("P5D", 0, 5, 0)]
    [InlineData("P2W", 0, 14, 0)]
    [InlineData("P3M", 3, 0, 0)]
    [InlineData("P1Y", 12, 0, 0)]
    [InlineData("P1Y6M", 18, 0, 0)]
    [InlineData("PT12H", 0, 0, 12)]
    [InlineData("P1DT6H", 0, 1, 6)]
    [InlineData("P1Y2M3W4DT5H6M7S", 14, 25, 5)]
    public void Parses_iso_8601_durations(string text, int months, int days, int hours)
    {
        var duration = IsoDuration.Parse(text);

        Assert.Equal(months, duration.Months);
        Assert.Equal(days, duration.Time.Days);
        Assert.Equal(hours, duration.Time.Hours);
    }

    [Theory]
    [InlineData("", "missing")]
    [InlineData("P", "is not an ISO-8601 duration")]
    [InlineData("PT", "is not an ISO-8601 duration")]
    [InlineData("P1DT", "is not an ISO-8601 duration")]
    [InlineData("5 days", "is not an ISO-8601 duration")]
    [InlineData("P1.5D", "is not an ISO-8601 duration")]
    [InlineData("P-1D", "is not an ISO-8601 duration")]
    [InlineData("p3m", "must be written in capitals: P3M")]
    [InlineData("P99999999999999999999D", "far too long")]
    [InlineData("P200Y", "longer than a hundred years")]
    public void Rejects_bad_durations_with_a_reason(string text, string reason)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_months_after_31_January_is_30_April()
    {
        var start = new DateTimeOffset(2026, 1, 31, 9, 0, 0, Utc);

        Assert.Equal(new DateTimeOffset(2026, 4, 30, 9, 0, 0, Utc), IsoDuration.Parse("P3M").AddTo(start));
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 9, 0, 0, Utc), IsoDuration.Parse("P1M").AddTo(start));
    }

    [Fact]
    public void A_year_after_29_February_is_28_February_and_days_are_exact()
    {
        var leap = new DateTimeOffset(2028, 2, 29, 0, 0, 0, Utc);

        Assert.Equal(new DateTimeOffset(2029, 2, 28, 0, 0, 0, Utc), IsoDuration.Parse("P1Y").AddTo(leap));
        Assert.Equal(new DateTimeOffset(2028, 3, 10, 12, 0, 0, Utc), IsoDuration.Parse("P10DT12H").AddTo(leap));
        Assert.Equal(new DateOnly(2028, 5, 31), IsoDuration.Parse("P3M2D").AddTo(new DateOnly(2028, 2, 29)));
    }

    [Fact]
    public void Months_keep_the_offset_of_the_start()
    {
        var start = new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.FromHours(2));

        var end = IsoDuration.Parse("P1M").AddTo(start);

        Assert.Equal(new DateTimeOffset(2026, 4, 15, 10, 0, 0, TimeSpan.FromHours(2)), end);
    }

    [Theory]
    [InlineData("P2W", "P14D", "14 days")]
    [InlineData("P15M", "P1Y3M", "1 year and 3 months")]
    [InlineData("PT90M", "PT1H30M", "1 hour and 30 minutes")]
    [InlineData("P1DT1S", "P1DT1S", "1 day and 1 second")]
    [InlineData("P1M10DT2H", "P1M10DT2H", "1 month, 10 days and 2 hours")]
    [InlineData("PT0S", "PT0S", "no time")]
    public void Writes_canonical_text_and_words(string text, string canonical, string words)
    {
        var duration = IsoDuration.Parse(text);

        Assert.Equal(canonical, duration.ToString());
        Assert.Equal(words, duration.ToWords());
        Assert.Equal(duration, IsoDuration.Parse(duration.ToString()));
    }
}
