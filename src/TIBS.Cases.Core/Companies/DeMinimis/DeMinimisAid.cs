using System.Globalization;

namespace TIBS.Cases.Core.Companies.DeMinimis;

/// <summary>De minimis aid declared for a company: when it was granted, by whom, and its amount (in euro cents, exact).</summary>
public sealed record DeMinimisAid
{
    public required Guid Id { get; init; }
    public required Guid CompanyId { get; init; }
    public required DateOnly GrantedOn { get; init; }
    public required string GrantingBody { get; init; }
    public required long AmountCents { get; init; }
    public string? Description { get; init; }
    public Guid? RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    public decimal AmountEur => AmountCents / 100m;
}

/// <summary>A record for an export: the aid with its company's name, country, register number and organisation type.</summary>
public sealed record DeMinimisExportRow(DeMinimisAid Aid, string CompanyName, string CountryCode, string? RegisterNumber, string OrganisationType);

/// <summary>The total over the three years up to a day, and what remains under the ceiling.</summary>
public sealed record DeMinimisStatus(DateOnly From, DateOnly To, long SumCents, long RemainingCents)
{
    public decimal Sum => SumCents / 100m;

    public decimal Remaining => RemainingCents / 100m;

    public bool OverCeiling => SumCents > DeMinimisRules.CeilingCents;
}

/// <summary>
/// The de minimis ceiling of Regulation (EU) 2023/2831: at most EUR 300,000 to one undertaking over any period of three
/// years. A period of three years ending on a day D runs from the day after D three years earlier to D, both included
/// (2023-12-03 to 2026-12-02): aid granted exactly three years before D no longer counts on D.
/// </summary>
public static class DeMinimisRules
{
    public const long CeilingCents = 300_000_00;

    public const int MaxGrantingBodyLength = 300;

    public const int MaxDescriptionLength = 1000;

    /// <summary>The first day of the three-year period that ends on <paramref name="to"/>.</summary>
    public static DateOnly PeriodStart(DateOnly to) => to.AddYears(-3).AddDays(1);

    /// <summary>The sum of the aid granted in the three years ending on <paramref name="to"/>, and what remains.</summary>
    public static DeMinimisStatus Status(IEnumerable<DeMinimisAid> aid, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(aid);
        var from = PeriodStart(to);
        var sum = aid.Where(a => a.GrantedOn >= from && a.GrantedOn <= to).Sum(a => a.AmountCents);
        return new DeMinimisStatus(from, to, sum, Math.Max(0, CeilingCents - sum));
    }

    /// <summary>
    /// The highest three-year total that <paramref name="added"/> takes part in, counted with the aid already recorded:
    /// every period containing its date is checked (those ending on its date or on a later grant within three years),
    /// so that aid recorded late is measured against later grants too. Above <see cref="CeilingCents"/> it exceeds the ceiling.
    /// </summary>
    public static DeMinimisStatus HighestWith(IReadOnlyCollection<DeMinimisAid> recorded, DeMinimisAid added)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(added);
        var all = recorded.Append(added).ToList();
        var lastEnd = added.GrantedOn.AddYears(3).AddDays(-1);
        return all.Select(a => a.GrantedOn).Where(d => d >= added.GrantedOn && d <= lastEnd).Distinct()
            .Select(end => Status(all, end))
            .OrderByDescending(s => s.SumCents).ThenBy(s => s.To)
            .First();
    }

    /// <summary>An amount in euros as people read it: EUR 12,500.00.</summary>
    public static string Euros(long cents) =>
        Localization.Localized.Format("EUR {0}", (cents / 100m).ToString("#,##0.00", Display.MessageDates.Culture));
}
