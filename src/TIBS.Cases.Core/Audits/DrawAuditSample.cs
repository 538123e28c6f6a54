using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Audits;

/// <summary>
/// An evaluator draws a sample: <see cref="Request.Size"/> random completed strategies of a region closed in a period,
/// and an audit is started for each. The draw is reproducible (<see cref="AuditSampler"/>): the seed — given, or new —
/// and the strategies drawn are recorded in <c>audit_samples</c> and in every audit's opening event, and the same
/// seed over the same strategies draws the same list. A drawn strategy whose audit is still running keeps that audit
/// and is reported.
/// </summary>
public sealed class DrawAuditSample(IAuditStore audits, ICaseStore cases, IReferenceDataStore reference, StartAudit start, TimeProvider time)
{
    /// <summary>The most strategies one sample draws.</summary>
    public const int MaxSize = 50;

    /// <param name="Region">The region whose strategies are drawn.</param>
    /// <param name="From">First day of the period (closed on or after, UTC).</param>
    /// <param name="To">Last day of the period (closed on or before, UTC).</param>
    /// <param name="Size">How many strategies, 1 to <see cref="MaxSize"/>.</param>
    /// <param name="Seed">Draw again with a recorded seed; a new seed when null.</param>
    public sealed record Request(string? Region, DateOnly? From, DateOnly? To, int? Size, long? Seed = null);

    /// <param name="Drawn">The strategies drawn, in the order drawn.</param>
    /// <param name="Started">The audits started, one per drawn strategy that had none running.</param>
    /// <param name="Skipped">Why a drawn strategy got no new audit, in words.</param>
    public sealed record Result(CaseCommandStatus Status, string Message, AuditSampleRecord? Sample, IReadOnlyList<SampleCandidate> Drawn, IReadOnlyList<CaseRecord> Started, IReadOnlyList<string> Skipped)
    {
        public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];

        public bool Succeeded => Status == CaseCommandStatus.Done;
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Evaluator)
        {
            return new Result(CaseCommandStatus.Forbidden, Localized.Text("Samples are drawn by evaluators."), null, [], [], []);
        }

        var errors = new List<FieldError>();
        var regions = await reference.RegionsAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(request.Region))
        {
            errors.Add(new FieldError("region", Localized.Text("Choose the region to draw from.")));
        }
        else if (regions.All(r => r.Code != request.Region))
        {
            errors.Add(new FieldError("region", Localized.Format("'{0}' is not a region of TIBS; choose one from the list.", request.Region)));
        }

        if (request.From is null)
        {
            errors.Add(new FieldError("from", Localized.Text("Enter the first day of the period.")));
        }

        if (request.To is null)
        {
            errors.Add(new FieldError("to", Localized.Text("Enter the last day of the period.")));
        }
        else if (request.From is { } f && request.To < f)
        {
            errors.Add(new FieldError("to", Localized.Text("The last day of the period is before its first day.")));
        }

        if (request.Size is not { } size || size < 1 || size > MaxSize)
        {
            errors.Add(new FieldError("size", Localized.Format("Enter how many strategies to draw, from 1 to {0}.", MaxSize)));
        }

        if (request.Seed is < 0)
        {
            errors.Add(new FieldError("seed", Localized.Text("A seed is a whole number of at least 0, as recorded with an earlier sample.")));
        }

        if (errors.Count > 0)
        {
            return new Result(CaseCommandStatus.InvalidForm, errors.Count == 1 ? errors[0].Message : Localized.Text("Some fields need attention; nothing was drawn."), null, [], [], []) { FieldErrors = errors };
        }

        var now = time.GetUtcNow();
        var from = request.From!.Value;
        var to = request.To!.Value;
        var id = Guid.CreateVersion7(now);
        var seed = request.Seed ?? AuditSampler.NewSeed(Guid.NewGuid());
        var candidates = await audits.GetSampleCandidatesAsync(request.Region!, Start(from), Start(to.AddDays(1)), cancellationToken);
        var drawn = AuditSampler.Draw(candidates, request.Size!.Value, seed);
        if (drawn.Count == 0)
        {
            return new Result(CaseCommandStatus.Refused, Localized.Format(
                "No strategy of {0} was completed from {1} to {2}; nothing was drawn.", regions.First(r => r.Code == request.Region).Name, Display.MessageDates.Long(from), Display.MessageDates.Long(to)), null, [], [], []);
        }

        var sample = new AuditSampleRecord
        {
            Id = id,
            Seed = seed,
            RegionCode = request.Region!,
            PeriodFrom = from,
            PeriodTo = to,
            Requested = request.Size!.Value,
            DrawnCaseIds = string.Join(",", drawn.Select(d => d.Id.ToString())),
            DrawnBy = actor.UserId,
            DrawnAt = now,
        };
        await audits.InsertSampleAsync(sample, cancellationToken);
        var draw = new SampleDraw(id, seed, from, to, [.. drawn.Select(d => d.Reference)]);
        var started = new List<CaseRecord>();
        var skipped = new List<string>();
        foreach (var candidate in drawn)
        {
            var strategy = await cases.GetAsync(candidate.Id, cancellationToken);
            var opened = strategy is null ? CaseCommandResult.Missing(Localized.Format("{0} was not found.", candidate.Reference)) : await start.OpenAsync(strategy, actor, draw, cancellationToken);
            if (opened.Succeeded)
            {
                started.Add(opened.Case!);
            }
            else
            {
                skipped.Add(opened.Message);
            }
        }

        var message = started.Count == 1
            ? Localized.Format("Drew {0} of {1} completed strategies with seed {2}: {3}; 1 audit started.", drawn.Count, candidates.Count, seed.ToString(CultureInfo.InvariantCulture), string.Join(", ", draw.Drawn))
            : Localized.Format("Drew {0} of {1} completed strategies with seed {2}: {3}; {4} audits started.", drawn.Count, candidates.Count, seed.ToString(CultureInfo.InvariantCulture), string.Join(", ", draw.Drawn), started.Count);
        return new Result(CaseCommandStatus.Done, message, sample, drawn, started, skipped);
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
