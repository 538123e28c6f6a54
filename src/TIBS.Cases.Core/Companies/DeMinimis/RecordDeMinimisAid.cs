using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Companies.DeMinimis;

/// <summary>De minimis aid as entered: text as typed (a date yyyy-MM-dd, an amount in euros such as 12500.50).</summary>
public sealed record DeMinimisFields
{
    public string? GrantedOn { get; init; }
    public string? GrantingBody { get; init; }
    public string? AmountEur { get; init; }
    public string? Description { get; init; }
}

/// <summary>
/// Records de minimis aid declared for a company: the people who may edit the company may. When the new record would
/// take any three-year total over the ceiling, nothing is written and the answer says by how much, unless the person
/// confirms (<see cref="Request.RecordOverCeiling"/>): the declaration is a fact to record, the ceiling a warning.
/// </summary>
public sealed class RecordDeMinimisAid(ICompanyStore companies, IDeMinimisStore aid, TimeProvider time)
{
    public sealed record Request(Guid CompanyId, DeMinimisFields Fields, bool RecordOverCeiling = false);

    /// <param name="Highest">The highest three-year total with this record (Done, or Refused over the ceiling).</param>
    public sealed record Result(CaseCommandStatus Status, string Message, IReadOnlyList<FieldError> FieldErrors, DeMinimisAid? Aid = null, DeMinimisStatus? Highest = null)
    {
        public bool Succeeded => Status == CaseCommandStatus.Done;

        /// <summary>Refused only because the ceiling would be exceeded: the person may confirm and record it anyway.</summary>
        public bool NeedsConfirmation => Status == CaseCommandStatus.Refused && Highest is { OverCeiling: true };
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var company = await companies.GetAsync(request.CompanyId, ct);
        if (company is null)
        {
            return new Result(CaseCommandStatus.NotFound, Localized.Text("The company was not found."), []);
        }

        if (!CompanyAccess.CanEdit(actor, company))
        {
            return new Result(CaseCommandStatus.Forbidden, Localized.Text("Brokers record aid for the companies of their own region; coordinators for every company."), []);
        }

        var now = time.UtcNow();
        var (record, errors) = Validate(request.Fields ?? new DeMinimisFields(), company.Id, DateOnly.FromDateTime(now.UtcDateTime));
        if (record is null)
        {
            return new Result(CaseCommandStatus.InvalidForm, errors.Count == 1 ? Localized.Text("Please correct this problem.") : Localized.Format("Please correct these {0} problems.", errors.Count), errors);
        }

        record = record with { RecordedBy = actor.AuditId, RecordedAt = now };
        var recorded = await aid.ListAsync(company.Id, ct);
        var highest = DeMinimisRules.HighestWith(recorded, record);
        if (highest.OverCeiling && !request.RecordOverCeiling)
        {
            return new Result(CaseCommandStatus.Refused,
                Localized.Format(
                    "With this aid {0} would have received {1} from {2} to {3}, over the de minimis ceiling of {4} in any three years (Regulation (EU) 2023/2831). Nothing is recorded yet; record it anyway if the company's declaration says so.",
                    company.Name, DeMinimisRules.Euros(highest.SumCents), Day(highest.From), Day(highest.To), DeMinimisRules.Euros(DeMinimisRules.CeilingCents)),
                [], record, highest);
        }

        await aid.InsertAsync(record, ct);
        return new Result(CaseCommandStatus.Done,
            Localized.Format("Aid of {0} from {1} on {2} is recorded for {3}.", DeMinimisRules.Euros(record.AmountCents), record.GrantingBody, Day(record.GrantedOn), company.Name), [], record, highest);
    }

    private static string Day(DateOnly d) => Display.MessageDates.Long(d);

    /// <summary>The record the fields describe, or the problems keyed by field (GrantedOn, GrantingBody, AmountEur, Description).</summary>
    internal static (DeMinimisAid? Aid, IReadOnlyList<FieldError> Errors) Validate(DeMinimisFields f, Guid companyId, DateOnly today)
    {
        var errors = new List<FieldError>();
        DateOnly granted = default;
        var dateText = f.GrantedOn?.Trim();
        if (string.IsNullOrEmpty(dateText))
        {
            errors.Add(new(nameof(f.GrantedOn), Localized.Text("Enter the date the aid was granted, such as 2026-03-14.")));
        }
        else if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out granted))
        {
            errors.Add(new(nameof(f.GrantedOn), Localized.Text("Enter the date the aid was granted as a date such as 2026-03-14.")));
        }
        else if (granted > today)
        {
            errors.Add(new(nameof(f.GrantedOn), Localized.Text("The date the aid was granted cannot be in the future.")));
        }

        var body = f.GrantingBody?.Trim();
        if (string.IsNullOrEmpty(body))
        {
            errors.Add(new(nameof(f.GrantingBody), Localized.Text("Enter the body that granted the aid.")));
        }
        else if (TextRules.Problem(Localized.Text("The granting body"), body, DeMinimisRules.MaxGrantingBodyLength) is { } bodyProblem)
        {
            errors.Add(new(nameof(f.GrantingBody), bodyProblem));
        }

        var cents = Amount(f.AmountEur, errors);
        var description = string.IsNullOrWhiteSpace(f.Description) ? null : f.Description.Trim();
        if (TextRules.Problem(Localized.Text("The description"), description, DeMinimisRules.MaxDescriptionLength) is { } descriptionProblem)
        {
            errors.Add(new(nameof(f.Description), descriptionProblem));
        }

        return errors.Count > 0
            ? (null, errors)
            : (new DeMinimisAid { Id = Guid.CreateVersion7(), CompanyId = companyId, GrantedOn = granted, GrantingBody = body!, AmountCents = cents, Description = description }, errors);
    }

    private static long Amount(string? text, List<FieldError> errors)
    {
        var value = (text ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal);
        if (value.StartsWith("EUR", StringComparison.OrdinalIgnoreCase))
        {
            value = value[3..];
        }

        if (value.Length == 0)
        {
            errors.Add(new(nameof(DeMinimisFields.AmountEur), Localized.Text("Enter the amount in euros, such as 12500.50.")));
            return 0;
        }

        // One decimal comma is read as the decimal point (12500,50); thousands are written without separators or with spaces.
        if (!value.Contains('.', StringComparison.Ordinal) && value.Count(c => c == ',') == 1)
        {
            value = value.Replace(',', '.');
        }

        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var eur) || eur * 100 != decimal.Truncate(eur * 100))
        {
            errors.Add(new(nameof(DeMinimisFields.AmountEur), Localized.Text("Enter the amount in euros with at most two decimals, such as 12500.50 (no thousands separators).")));
            return 0;
        }

        if (eur <= 0)
        {
            errors.Add(new(nameof(DeMinimisFields.AmountEur), Localized.Text("The amount must be more than zero.")));
            return 0;
        }

        if (eur > 100_000_000m)
        {
            errors.Add(new(nameof(DeMinimisFields.AmountEur), Localized.Text("The amount cannot be more than EUR 100,000,000; check the figure.")));
            return 0;
        }

        return (long)(eur * 100);
    }
}
