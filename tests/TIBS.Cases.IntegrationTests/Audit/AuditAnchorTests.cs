using Dapper;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Audit;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Audit;

/// <summary>
/// Signed checkpoints against a database administrator: each kind of tampering with the events is named by the
/// verifier (command line, verification page) and by the case page's verification, on every available database.
/// </summary>
public abstract class AuditAnchorTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "tibs-tests", $"anchors_{Guid.NewGuid():N}");
    private readonly string keyFile = Path.Combine(Path.GetTempPath(), "tibs-tests", $"audit_key_{Guid.NewGuid():N}.pem");
    private CaseEnvironment env = null!;
    private AuditKeyRing keys = null!;
    private AuditAnchoring anchoring = null!;
    private AuditVerifier verifier = null!;

    public async Task InitializeAsync()
    {
        if (!fixture.Available)
        {
            return;
        }

        await fixture.ResetAsync();
        env = await CaseEnvironment.CreateAsync(fixture);
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        await File.WriteAllTextAsync(keyFile, AuditKeyRing.NewPrivateKeyPem());
        keys = AuditKeyRing.FromPem(await File.ReadAllTextAsync(keyFile), []);
        var log = new AnchorFolderLog(folder);
        var ledger = new AuditLedger(fixture.Factory);
        anchoring = new AuditAnchoring(ledger, env.Cases, log, keys, env.Time);
        verifier = new AuditVerifier(env.Cases, ledger, log, keys);
    }

    public Task DisposeAsync()
    {
        keys?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Two cases, A one step further than B, anchored by checkpoint 1.</summary>
    private async Task<(Guid A, Guid B)> TwoAnchoredCasesAsync()
    {
        var a = (await env.OpenCaseAsync()).Id;
        var b = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(a, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        env.Time.Advance(TimeSpan.FromMinutes(1));
        var first = await anchoring.CheckpointAsync();
        Assert.Equal(1, first!.Seq);
        return (a, b);
    }

    private async Task<AuditCheckpoint> NextCheckpointAsync()
    {
        env.Time.Advance(TimeSpan.FromMinutes(1));
        return (await anchoring.CheckpointAsync())!;
    }

    private async Task<AuditProblem> OnlyProblemOfAsync(Guid caseId)
    {
        var report = await verifier.VerifyAsync();
        Assert.False(report.IsIntact);
        return Assert.Single(report.Problems, p => p.CaseId == caseId);
    }

    /// <summary>The verdict the case page shows.</summary>
    private async Task<CaseAuditResult> CasePageVerdictAsync(Guid caseId)
    {
        var record = (await env.Cases.GetAsync(caseId))!;
        return await verifier.VerifyCaseAsync(record, await env.Cases.GetEventsAsync(caseId));
    }

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync(sql, parameters);
    }

    /// <summary>Sets a case's recorded head and count back to its stored event <paramref name="seq"/>, as an administrator would.</summary>
    private async Task SetHeadBackAsync(Guid caseId, int seq)
    {
        var events = await env.Cases.GetEventsAsync(caseId);
        await ExecuteAsync("DELETE FROM case_events WHERE case_id = @caseId AND seq > @seq", new { caseId, seq });
        await ExecuteAsync("UPDATE cases SET audit_count = @seq, audit_head_hash = @hash WHERE id = @caseId", new { caseId, seq, hash = events[seq - 1].Hash });
    }

    [SkippableFact]
    public async Task An_untouched_trail_is_verified_against_the_signed_checkpoint_and_existing_chains_record_their_anchoring()
    {
        fixture.EnsureAvailable();
        var (a, b) = await TwoAnchoredCasesAsync();

        var report = await verifier.VerifyAsync();
        Assert.True(report.IsIntact, string.Join(" ", report.Problems.Select(p => p.Message)));
        Assert.Equal(1, report.LatestCheckpoint!.Seq);
        Assert.Equal(2, report.LatestCheckpoint.CaseCount);
        var verdict = await CasePageVerdictAsync(a);
        Assert.StartsWith("Audit trail verified against checkpoint 1 signed 2026-01-12 09:01:00 UTC: all 3 events are intact", verdict.Describe(), StringComparison.Ordinal);

        var anchored = (await env.Cases.GetEventsAsync(b)).Last();
        Assert.Equal(AuditAnchoring.AnchoredKind, anchored.Kind);
        Assert.Null(anchored.ActorUserId);

        Assert.Null(await NextCheckpointAsync());
        Assert.True((await env.Service.AddNoteAsync(b, "Called the CEO.", env.LatvianBroker)).Succeeded);
        var second = await NextCheckpointAsync();
        Assert.Equal(2, second.Seq);
        Assert.Equal(b, Assert.Single(second.Leaves).CaseId);
        Assert.Single(await env.Cases.GetEventsAsync(b), e => e.Kind == AuditAnchoring.AnchoredKind);
        Assert.True((await verifier.VerifyAsync()).IsIntact);
    }

    [SkippableFact]
    public async Task A_system_record_or_a_note_appended_meanwhile_does_not_make_a_step_completion_conflict()
    {
        fixture.EnsureAvailable();
        var a = (await env.OpenCaseAsync()).Id;
        var read = (await env.Cases.GetAsync(a))!;

        await anchoring.CheckpointAsync(); // appends the audit-anchored system record
        Assert.True((await env.Service.AddNoteAsync(a, "A note from the partner's broker.", env.LatvianBroker)).Succeeded);
        var details = await env.DetailsAsync(a);
        var outcome = details.CurrentStep!.Outcomes.First(o => o.Target == "first-contact");
        var input = TIBS.Cases.Testing.FormFiller.Fill(details.CurrentStep.Fields, env.Lead.Id, With(("contact-data-consent", "yes")));
        var completed = await env.Service.CompleteStepAsync(a, read.Version, outcome.Key, input, env.LatvianBroker);

        Assert.True(completed.Succeeded, completed.Message);
        Assert.Equal(["case-opened", "audit-anchored", "note-added", "step-completed"], (await env.Cases.GetEventsAsync(a)).Select(e => e.Kind));
        Assert.True((await CasePageVerdictAsync(a)).IsIntact);
    }

    [SkippableFact]
    public async Task An_edited_event_is_reported_as_edited()
    {
        fixture.EnsureAvailable();
        var (a, _) = await TwoAnchoredCasesAsync();
        await ExecuteAsync("UPDATE case_events SET data = @data WHERE case_id = @a AND seq = 2", new { a, data = """{"contact-data-consent":"no"}""" });

        var problem = await OnlyProblemOfAsync(a);
        Assert.Equal(AuditProblemKind.Edited, problem.Kind);
        Assert.Equal("Event 2 (Step completed) was edited: its content does not match its hash.", problem.Message);
        Assert.Equal(AuditProblemKind.Edited, (await CasePageVerdictAsync(a)).Problem!.Kind);
    }

    [SkippableFact]
    public async Task A_removed_event_is_reported_as_missing()
    {
        fixture.EnsureAvailable();
        var (a, _) = await TwoAnchoredCasesAsync();
        await ExecuteAsync("DELETE FROM case_events WHERE case_id = @a AND seq = 2", new { a });

        var problem = await OnlyProblemOfAsync(a);
        Assert.Equal(AuditProblemKind.Missing, problem.Kind);
        Assert.Equal("Event 2 is missing.", problem.Message);
        Assert.Equal(AuditProblemKind.Missing, (await CasePageVerdictAsync(a)).Problem!.Kind);
    }

    [SkippableFact]
    public async Task Swapped_events_are_reported_as_reordered()
    {
        fixture.EnsureAvailable();
        var (a, _) = await TwoAnchoredCasesAsync();
        await ExecuteAsync("UPDATE case_events SET seq = 99 WHERE case_id = @a AND seq = 2", new { a });
        await ExecuteAsync("UPDATE case_events SET seq = 2 WHERE case_id = @a AND seq = 3", new { a });
        await ExecuteAsync("UPDATE case_events SET seq = 3 WHERE case_id = @a AND seq = 99", new { a });

        var problem = await OnlyProblemOfAsync(a);
        Assert.Equal(AuditProblemKind.Reordered, problem.Kind);
        Assert.Equal(AuditProblemKind.Reordered, (await CasePageVerdictAsync(a)).Problem!.Kind);
    }

    [SkippableFact]
    public async Task Removing_the_last_events_and_setting_the_head_back_is_reported_as_truncated()
    {
        fixture.EnsureAvailable();
        var (a, b) = await TwoAnchoredCasesAsync();
        Assert.True((await env.CompleteTowardsAsync(a, "needs-assessment")).Succeeded);
        await NextCheckpointAsync();
        Assert.True((await env.Service.AddNoteAsync(b, "Later work on another case.", env.LatvianBroker)).Succeeded);
        await NextCheckpointAsync();

        await SetHeadBackAsync(a, 3);

        var problem = await OnlyProblemOfAsync(a);
        Assert.Equal(AuditProblemKind.Truncated, problem.Kind);
        Assert.Equal("The trail was truncated: checkpoint 2 signed at 2026-01-12 09:02:00 UTC anchored 4 events, only 3 remain.", problem.Message);
        Assert.Equal(AuditProblemKind.Truncated, (await CasePageVerdictAsync(a)).Problem!.Kind);
    }

    [SkippableFact]
    public async Task An_edited_payload_with_every_hash_recomputed_is_reported_as_rewritten_by_the_verifier_the_case_page_and_the_command()
    {
        fixture.EnsureAvailable();
        var (a, _) = await TwoAnchoredCasesAsync();
        var events = await env.Cases.GetEventsAsync(a);
        var prev = events[0].Hash;
        foreach (var e in events.Skip(1))
        {
            var data = e.Seq == 2 ? """{"contact-data-consent":"no"}""" : e.Data;
            var hash = AuditChain.Hash(prev, AuditChain.Canonical(e with { Data = data }));
            await ExecuteAsync("UPDATE case_events SET data = @data, prev_hash = @prev, hash = @hash WHERE case_id = @a AND seq = @Seq", new { data, prev, hash, a, e.Seq });
            prev = hash;
        }

        await ExecuteAsync("UPDATE cases SET audit_head_hash = @prev WHERE id = @a", new { prev, a });
        Assert.Null(AuditEvidence.CheckChain(a, await env.Cases.GetAsync(a), await env.Cases.GetEventsAsync(a)));

        var problem = await OnlyProblemOfAsync(a);
        Assert.Equal(AuditProblemKind.Rewritten, problem.Kind);
        Assert.StartsWith("The trail was rewritten: event 3 is not the one checkpoint 1", problem.Message, StringComparison.Ordinal);
        Assert.Equal(AuditProblemKind.Rewritten, (await CasePageVerdictAsync(a)).Problem!.Kind);

        var reference = (await env.Cases.GetAsync(a))!.Reference;
        var output = new StringWriter();
        var exit = await AuditCommand.RunAsync(
            ["verify", "--case", reference, $"--Database:Provider={fixture.Provider}", $"--Database:ConnectionString={fixture.ConnectionString}",
             $"--Audit:SigningKeyFile={keyFile}", $"--Audit:AnchorFolder={folder}"], output, new StringWriter());
        Assert.Equal(1, exit);
        Assert.Contains($"{reference}: rewritten: The trail was rewritten", output.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_database_restored_from_a_backup_is_recognised_as_such_not_as_truncation()
    {
        fixture.EnsureAvailable();
        var (a, b) = await TwoAnchoredCasesAsync();
        Assert.True((await env.CompleteTowardsAsync(a, "needs-assessment")).Succeeded);
        Assert.True((await env.Service.AddNoteAsync(b, "Work after the backup.", env.LatvianBroker)).Succeeded);
        await NextCheckpointAsync();

        // The backup was taken at checkpoint 1: every case and the checkpoint table go back to that state.
        await SetHeadBackAsync(a, 3);
        await SetHeadBackAsync(b, 2);
        await ExecuteAsync("DELETE FROM audit_checkpoints WHERE seq > @seq", new { seq = 1 });

        var report = await verifier.VerifyAsync();
        Assert.Equal(1, report.Restore!.CheckpointSeq);
        Assert.DoesNotContain(report.Problems, p => p.Kind == AuditProblemKind.Truncated);
        Assert.Contains(report.Problems, p => p.Kind == AuditProblemKind.Restored && p.CaseId is null
            && p.Message.StartsWith("Restored from a backup: the database was restored to the state of checkpoint 1 at 2026-01-12 09:01:00 UTC", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Kind == AuditProblemKind.Checkpoint && p.Message == "Checkpoint 2 of the anchor files is missing from the database.");
        var verdict = (await CasePageVerdictAsync(a)).Problem!;
        Assert.Equal(AuditProblemKind.Restored, verdict.Kind);
        Assert.Contains("restored to the state of checkpoint 1", verdict.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_case_page_reads_only_the_checkpoints_appended_since_and_still_reports_a_line_forged_in_place()
    {
        fixture.EnsureAvailable();
        var (a, _) = await TwoAnchoredCasesAsync();
        var held = verifier.History();
        Assert.True((await env.CompleteTowardsAsync(a, "needs-assessment")).Succeeded);
        var second = await NextCheckpointAsync();

        var now = verifier.History();
        Assert.Equal([1, 2], now.Checkpoints.Select(c => c.Seq));
        Assert.Empty(now.Problems);
        Assert.Equal(second.Leaves[0].Head, now.State[a].Head);
        Assert.Same(now, verifier.History());
        Assert.Equal([1], held.Checkpoints.Select(c => c.Seq));
        Assert.Null((await CasePageVerdictAsync(a)).Problem);

        // The second line is forged in place: the file keeps its length, and the next read starts again from the first line.
        var file = Directory.GetFiles(folder, "checkpoints-*.jsonl").Single();
        var lines = await File.ReadAllLinesAsync(file);
        var events = await env.Cases.GetEventsAsync(a);
        await File.WriteAllLinesAsync(file, [lines[0], lines[1].Replace(second.Leaves[0].Head, events[2].Hash, StringComparison.Ordinal)]);
        Assert.Equal(new FileInfo(file).Length, lines.Sum(l => l.Length + 1));
        Assert.Contains(verifier.History().Problems, p => p.Kind == AuditProblemKind.Checkpoint
            && p.Message == $"{Path.GetFileName(file)} line 2: checkpoint 2 is forged: its signature does not match its content.");
    }

    [SkippableFact]
    public async Task A_forged_or_removed_checkpoint_line_is_reported()
    {
        fixture.EnsureAvailable();
        var (a, _) = await TwoAnchoredCasesAsync();
        Assert.True((await env.CompleteTowardsAsync(a, "needs-assessment")).Succeeded);
        var second = await NextCheckpointAsync();
        var file = Directory.GetFiles(folder, "checkpoints-*.jsonl").Single();
        var lines = await File.ReadAllLinesAsync(file);
        var events = await env.Cases.GetEventsAsync(a);

        // Someone with write access to the files re-anchors A at an older head, keeping the signature.
        lines[1] = lines[1].Replace(second.Leaves[0].Head, events[2].Hash, StringComparison.Ordinal);
        await File.WriteAllLinesAsync(file, lines);
        var forged = await verifier.VerifyAsync();
        Assert.Contains(forged.Problems, p => p.Kind == AuditProblemKind.Checkpoint
            && p.Message == $"{Path.GetFileName(file)} line 2: checkpoint 2 is forged: its signature does not match its content.");

        // Someone removes the first line.
        await File.WriteAllLinesAsync(file, [lines[1].Replace(events[2].Hash, second.Leaves[0].Head, StringComparison.Ordinal)]);
        var removed = await verifier.VerifyAsync();
        Assert.Contains(removed.Problems, p => p.Kind == AuditProblemKind.Checkpoint && p.Message.EndsWith("checkpoint 1 is missing from the anchor files.", StringComparison.Ordinal));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAuditAnchorTests(SqliteFixture fixture) : AuditAnchorTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditAnchorTests(PostgresFixture fixture) : AuditAnchorTests(fixture);
