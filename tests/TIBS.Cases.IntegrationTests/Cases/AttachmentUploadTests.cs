using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Uploaded files belong to a case only through their attachment row: a command that writes nothing leaves no file,
/// a file whose row never came (the process stopped in between) is never served or listed and is swept after an
/// hour, and only those who may read the case download its attachments.
/// </summary>
public abstract class AttachmentUploadTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly byte[] Pdf = "%PDF-1.7 signed"u8.ToArray();

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static int FilesIn(FileSystemAttachmentStorage storage) =>
        Directory.Exists(storage.Root) ? Directory.EnumerateFiles(storage.Root, "*", SearchOption.AllDirectories).Count() : 0;

    [SkippableFact]
    public async Task An_attachment_refused_for_a_stale_version_leaves_no_file_and_one_accepted_is_listed_and_downloaded()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        Assert.True((await env.Service.ApplyCaseActionAsync(c.Id, c.Version, "hold", "Waiting for the bank", env.LatvianBroker)).Succeeded);

        var stale = await env.Service.AddAttachmentAsync(c.Id, c.Version, CaseCommands.File("plan.pdf", Pdf), env.LatvianBroker);

        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        Assert.Equal(0, FilesIn(env.Storage));
        Assert.Empty((await env.DetailsAsync(c.Id)).Attachments);

        var current = (await env.DetailsAsync(c.Id)).Case.Version;
        var added = await env.Service.AddAttachmentAsync(c.Id, current, CaseCommands.File("../plan.pdf", Pdf), env.LatvianBroker);

        Assert.True(added.Succeeded, added.Message);
        var attachment = Assert.Single((await env.DetailsAsync(c.Id)).Attachments);
        Assert.Equal("plan.pdf", attachment.FileName);
        Assert.Equal(1, FilesIn(env.Storage));
        var download = await env.Service.Download.HandleAsync(new OpenAttachment.Request(c.Id, attachment.Id), env.Coordinator);
        Assert.NotNull(download);
        await using var content = download.Content!;
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        Assert.Equal(Pdf, copy.ToArray());
    }

    [SkippableFact]
    public async Task The_command_refuses_a_file_that_breaks_the_attachment_rules_naming_the_file_and_why_and_keeps_nothing()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        // The host's settings reach the command: here a limit of 1 MB instead of the default 20 MB.
        var strict = await CaseCommands.CreateAsync(fixture.Factory, env.Time, env.Storage, s => s.AddSingleton(new AttachmentOptions { MaxBytes = 1024 * 1024 }));

        var exe = await env.Service.AddAttachmentAsync(c.Id, c.Version, CaseCommands.File("tool.exe", [0x4D, 0x5A, 0, 0]), env.LatvianBroker);
        var fake = await env.Service.AddAttachmentAsync(c.Id, c.Version, CaseCommands.File("letter.pdf", "hello"u8.ToArray()), env.LatvianBroker);
        var large = await strict.AddAttachmentAsync(c.Id, c.Version, CaseCommands.File("plan.pdf", [.. Pdf, .. new byte[1536 * 1024]]), env.LatvianBroker);

        Assert.Equal((CaseCommandStatus.InvalidForm, AttachmentProblemKind.WrongType), (exe.Status, exe.FileProblem));
        Assert.Equal(new FieldError("file", "tool.exe: .exe files cannot be attached; allowed: .pdf, .docx, .xlsx, .pptx, .odt, .ods, .png, .jpg, .jpeg, .txt, .csv."), Assert.Single(exe.FieldErrors));
        Assert.Equal((CaseCommandStatus.InvalidForm, AttachmentProblemKind.WrongType), (fake.Status, fake.FileProblem));
        Assert.Equal(new FieldError("file", "letter.pdf does not look like a .pdf file."), Assert.Single(fake.FieldErrors));
        Assert.Equal((CaseCommandStatus.InvalidForm, AttachmentProblemKind.TooLarge), (large.Status, large.FileProblem));
        Assert.Equal(new FieldError("file", "plan.pdf is 1.5 MB; files may be at most 1 MB."), Assert.Single(large.FieldErrors));
        Assert.Equal(0, FilesIn(env.Storage));
        var after = await env.DetailsAsync(c.Id);
        Assert.Empty(after.Attachments);
        Assert.Equal(c.Version, after.Case.Version);
    }

    [SkippableFact]
    public async Task A_step_refused_for_its_form_keeps_none_of_the_files_sent_with_it()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();

        var refused = await env.Service.CompleteStepAsync(c.Id, c.Version, "registered", FormInput.Empty, env.LatvianBroker, [CaseCommands.File("intake.pdf", Pdf, "company")]);

        Assert.Equal(CaseCommandStatus.InvalidForm, refused.Status);
        Assert.Contains(refused.FieldErrors, e => e.Field == "company" && e.Message.Contains("intake.pdf", StringComparison.Ordinal));
        Assert.Equal(0, FilesIn(env.Storage));
        Assert.Equal(c.Version, (await env.DetailsAsync(c.Id)).Case.Version);
    }

    [SkippableFact]
    public async Task A_file_whose_row_never_came_is_not_served_nor_listed_and_the_sweep_removes_only_it()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        Assert.True((await env.Service.AddAttachmentAsync(c.Id, c.Version, CaseCommands.File("kept.pdf", Pdf), env.LatvianBroker)).Succeeded);
        var kept = Assert.Single((await env.DetailsAsync(c.Id)).Attachments);

        // The process stops after storing a file and before committing its row.
        var orphanId = Guid.CreateVersion7();
        await using (var content = new MemoryStream(Pdf))
        {
            await env.Storage.SaveAsync(c.Id, orphanId, content);
        }

        var open = env.Service.Download;
        Assert.Null(await open.HandleAsync(new OpenAttachment.Request(c.Id, orphanId), env.LatvianBroker));
        Assert.Single((await env.DetailsAsync(c.Id)).Attachments);

        var rows = env.Cases;
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(0, await new SweepAttachmentFiles(env.Storage, rows, new FakeTimeProvider(now)).HandleAsync(new SweepAttachmentFiles.Request()));
        Assert.Equal(2, FilesIn(env.Storage));

        var removed = await new SweepAttachmentFiles(env.Storage, rows, new FakeTimeProvider(now.AddHours(2))).HandleAsync(new SweepAttachmentFiles.Request());

        Assert.Equal(1, removed);
        Assert.Equal(1, FilesIn(env.Storage));
        Assert.NotNull(await open.HandleAsync(new OpenAttachment.Request(c.Id, kept.Id), env.LatvianBroker));
    }

    [SkippableFact]
    public async Task Only_those_who_may_read_the_case_download_its_attachments()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        Assert.True((await env.Service.AddAttachmentAsync(c.Id, c.Version, CaseCommands.File("plan.pdf", Pdf), env.LatvianBroker)).Succeeded);
        var attachment = Assert.Single((await env.DetailsAsync(c.Id)).Attachments);
        var open = env.Service.Download;

        async Task<bool> MayDownload(Actor actor, Guid caseId)
        {
            var download = await open.HandleAsync(new OpenAttachment.Request(caseId, attachment.Id), actor);
            if (download is not null)
            {
                await download.Content!.DisposeAsync();
            }

            return download is not null;
        }

        Assert.True(await MayDownload(env.LatvianBroker, c.Id));
        Assert.True(await MayDownload(env.Coordinator, c.Id));
        Assert.False(await MayDownload(env.GermanBroker, c.Id));
        Assert.False(await MayDownload(env.Evaluator, c.Id));
        Assert.False(await MayDownload(env.LatvianBroker, Guid.CreateVersion7()));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAttachmentUploadTests(SqliteFixture fixture) : AttachmentUploadTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAttachmentUploadTests(PostgresFixture fixture) : AttachmentUploadTests(fixture);
