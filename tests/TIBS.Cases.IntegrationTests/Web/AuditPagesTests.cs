using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The case page and the verification page judge the audit trail against the signed checkpoints.</summary>
public abstract class AuditPagesTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task A_trail_rewritten_with_recomputed_hashes_is_never_shown_as_verified_and_the_verification_page_names_it()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var broker = await SignedInAsync(factory, "broker.lv008@tibs.example");
        var form = await broker.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == "Vidzeme Wood Solutions").GetAttribute("value")!;
        var opened = await broker.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var url = opened.RequestMessage!.RequestUri!.AbsolutePath;
        var caseId = Guid.Parse(url[7..]);
        using (var scope = factory.Services.CreateScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<TIBS.Cases.Web.Infrastructure.Jobs.AuditCheckpointJob>().RunAsync(CancellationToken.None));
        }

        var checkpoint = factory.Services.GetRequiredService<AuditVerifier>().History().Latest;

        var verified = await broker.GetDocumentAsync(url);
        Assert.StartsWith($"Audit trail verified against checkpoint {checkpoint!.Seq} signed", verified.QuerySelector("#audit-status")!.TextContent.Trim(), StringComparison.Ordinal);

        // An administrator of the database changes the first event and recomputes every hash and the case's head.
        var events = await factory.Services.GetRequiredService<ICaseStore>().GetEventsAsync(caseId);
        await using (var c = await factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            var prev = AuditChain.GenesisHash;
            foreach (var e in events)
            {
                var data = e.Seq == 1 ? e.Data.Replace("Vidzeme Wood Solutions", "Another Company", StringComparison.Ordinal) : e.Data;
                var hash = AuditChain.Hash(prev, AuditChain.Canonical(e with { Data = data }));
                await c.ExecuteAsync("UPDATE case_events SET data = @data, prev_hash = @prev, hash = @hash WHERE case_id = @caseId AND seq = @Seq", new { data, prev, hash, caseId, e.Seq });
                prev = hash;
            }

            await c.ExecuteAsync("UPDATE cases SET audit_head_hash = @prev WHERE id = @caseId", new { prev, caseId });
        }

        var rewritten = await broker.GetDocumentAsync(url);
        var status = rewritten.QuerySelector("#audit-status")!;
        Assert.StartsWith("Audit trail broken (the trail was rewritten): The trail was rewritten", status.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("rewritten", status.GetAttribute("data-audit-problem"));

        var admin = await SignedInAsync(factory, "admin@tibs.example");
        var response = await admin.GetAsync("/audit/verify");
        var page = await HtmlForms.ParseAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(page.QuerySelector("nav.mainnav a[href='/audit/verify']"));
        var row = Assert.Single(page.QuerySelectorAll("#verify-problems tbody tr"));
        Assert.Equal("rewritten", row.GetAttribute("data-kind"));
        Assert.Equal(url, row.QuerySelector("a")!.GetAttribute("href"));
        var key = factory.Services.GetRequiredService<AuditKeyRing>().PublicKeys.Single();
        Assert.Contains(key.Pem.Trim(), page.QuerySelector($".public-key[data-key-id='{key.KeyId}'] pre")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(checkpoint.Root, page.QuerySelector("#latest-checkpoint")!.TextContent, StringComparison.Ordinal);

        var evaluator = await SignedInAsync(factory, "evaluator@tibs.example");
        var one = await evaluator.GetDocumentAsync("/audit/verify?case=" + verified.QuerySelector("h1")!.TextContent.Split(' ')[0]);
        Assert.Equal("1 problem(s) found in 1 case(s) checked.", one.QuerySelector("#verify-summary")!.TextContent.Trim());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAuditPagesTests(SqliteFixture fixture) : AuditPagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditPagesTests(PostgresFixture fixture) : AuditPagesTests(fixture);
