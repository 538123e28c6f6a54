using TIBS.Cases.Core.Companies.DeMinimis;

namespace TIBS.Cases.Core.Tests;

/// <summary>The de minimis ceiling (EUR 300,000 over any three years) counted over rolling periods, with their edge days.</summary>
public sealed class DeMinimisRulesTests
{
    private static readonly Guid Company = Guid.CreateVersion7();

    private static DeMinimisAid Aid(string day, long euros) => new()
    {
        Id = Guid.CreateVersion7(),
        CompanyId = Company,
        GrantedOn = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture),
        GrantingBody = "Investment and Development Agency of Latvia",
        AmountCents = euros * 100,
    };

    [Fact]
    public void The_three_years_up_to_a_day_start_the_day_after_the_same_date_three_years_earlier()
    {
        var today = new DateOnly(2026, 12, 2);
        DeMinimisAid[] aid = [Aid("2023-12-02", 100_000), Aid("2023-12-03", 50_000), Aid("2026-12-02", 20_000), Aid("2026-12-03", 99_000)];

        var status = DeMinimisRules.Status(aid, today);

        // 2023-12-02 is exactly three years back: no longer counted; 2023-12-03 and today are; tomorrow is not yet.
        Assert.Equal((new DateOnly(2023, 12, 3), today), (status.From, status.To));
        Assert.Equal(70_000_00, status.SumCents);
        Assert.Equal(230_000_00, status.RemainingCents);
        Assert.False(status.OverCeiling);
    }

    [Fact]
    public void A_period_ending_on_the_29th_of_february_starts_on_the_1st_of_march_three_years_earlier()
    {
        Assert.Equal(new DateOnly(2025, 3, 1), DeMinimisRules.PeriodStart(new DateOnly(2028, 2, 29)));
        Assert.Equal(new DateOnly(2025, 3, 2), DeMinimisRules.PeriodStart(new DateOnly(2028, 3, 1)));
    }

    [Fact]
    public void Reaching_the_ceiling_exactly_is_allowed_and_one_cent_more_is_over_it()
    {
        DeMinimisAid[] recorded = [Aid("2024-05-10", 200_000)];

        var exactly = DeMinimisRules.HighestWith(recorded, Aid("2026-05-09", 100_000));
        var more = DeMinimisRules.HighestWith(recorded, Aid("2026-05-09", 100_000) with { AmountCents = 100_000_01 });

        Assert.Equal(300_000_00, exactly.SumCents);
        Assert.False(exactly.OverCeiling);
        Assert.Equal(0, exactly.RemainingCents);
        Assert.True(more.OverCeiling);
    }

    [Fact]
    public void Aid_granted_three_years_and_a_day_after_earlier_aid_does_not_count_with_it()
    {
        DeMinimisAid[] recorded = [Aid("2023-05-10", 250_000)];

        var sameDayThreeYearsLater = DeMinimisRules.HighestWith(recorded, Aid("2026-05-10", 100_000));
        var dayBefore = DeMinimisRules.HighestWith(recorded, Aid("2026-05-09", 100_000));

        Assert.False(sameDayThreeYearsLater.OverCeiling);
        Assert.Equal(100_000_00, sameDayThreeYearsLater.SumCents);
        Assert.True(dayBefore.OverCeiling);
        Assert.Equal((new DateOnly(2023, 5, 10), new DateOnly(2026, 5, 9), 350_000_00L), (dayBefore.From, dayBefore.To, dayBefore.SumCents));
    }

    [Fact]
    public void Aid_recorded_late_is_measured_against_later_grants_too()
    {
        // The later grants alone are within the ceiling; the earlier one, entered afterwards, takes the period ending on
        // the latest grant over it although the period ending on its own date is not.
        DeMinimisAid[] recorded = [Aid("2025-01-10", 150_000), Aid("2026-06-01", 100_000)];

        var late = DeMinimisRules.HighestWith(recorded, Aid("2024-01-15", 60_000));

        Assert.Equal(60_000_00, DeMinimisRules.Status([.. recorded, Aid("2024-01-15", 60_000)], new DateOnly(2024, 1, 15)).SumCents);
        Assert.True(late.OverCeiling);
        Assert.Equal((new DateOnly(2026, 6, 1), 310_000_00L), (late.To, late.SumCents));
    }

    [Fact]
    public void Amounts_are_written_in_euros_with_cents()
    {
        Assert.Equal("EUR 300,000.00", DeMinimisRules.Euros(DeMinimisRules.CeilingCents));
        Assert.Equal("EUR 12,500.50", DeMinimisRules.Euros(12_500_50));
    }
}
