using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Exports;

namespace TIBS.Cases.Core.Companies.DeMinimis;

/// <summary>
/// The de minimis records as an export table (CSV, XLSX, the dossier): of the given companies (a strategy's lead and
/// partners) or of the whole registry. Coordinators, evaluators and brokers may export; others get null.
/// </summary>
public sealed class DeMinimisExport(IDeMinimisStore aid, TimeProvider time)
{
    /// <param name="CompanyIds">The companies whose records to export; null for every company.</param>
    public sealed record Request(IReadOnlyCollection<Guid>? CompanyIds = null);

    public static IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("Company", ExportColumnKind.Text, "The company's name as registered now (a merged company's records are under the company it was merged into)."),
        new("Country", ExportColumnKind.Text, "The company's country."),
        new("Register or VAT number", ExportColumnKind.Text, "The company's business-register or VAT number, when known."),
        new("Organisation type", ExportColumnKind.Text, "The organisation type in words (SME size class, large enterprise, …)."),
        new("Granted on", ExportColumnKind.Date, "The date the aid was granted."),
        new("Granting body", ExportColumnKind.Text, "Who granted the aid."),
        new("Amount (EUR)", ExportColumnKind.Decimal, "The aid's amount (gross grant equivalent) in euros."),
        new("Description", ExportColumnKind.Text, "What the aid was for, as recorded."),
        new("Recorded at", ExportColumnKind.DateTime, "When the record was entered."),
    ];

    public ExportTable? Handle(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CompanyAccess.CanReadAid(actor))
        {
            return null;
        }

        var day = DateOnly.FromDateTime(time.UtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return new ExportTable($"de-minimis-{day}", Columns, Rows(request.CompanyIds, ct));
    }

    private async IAsyncEnumerable<object?[]> Rows(IReadOnlyCollection<Guid>? companyIds, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var r in aid.StreamAsync(companyIds, ct))
        {
            yield return
            [
                r.CompanyName, CompanyRules.CountryName(r.CountryCode), r.RegisterNumber is { } n ? RegisterNumbers.Display(r.CountryCode, n) : null,
                CompanyRules.SizeClassName(r.OrganisationType), r.Aid.GrantedOn, r.Aid.GrantingBody, r.Aid.AmountEur, r.Aid.Description, r.Aid.RecordedAt,
            ];
        }
    }
}
