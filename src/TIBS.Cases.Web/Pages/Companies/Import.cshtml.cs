using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies.Import;
using TIBS.Cases.Web.Imports;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>
/// Imports companies from a CSV or XLSX file: the upload is checked first (a dry run of <see cref="ImportCompanies"/>:
/// nothing is written), the rows are kept for 30 minutes for this user, and "Import" writes the accepted companies.
/// </summary>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
[TIBS.Cases.Web.Infrastructure.RequestSafety.AcceptsUploads(MaxBodyBytes = MaxRequestBytes)]
internal sealed class ImportModel(ImportCompanies import, IMemoryCache cache, IStringLocalizer<Ui> t) : PageModel
{
    private const long MaxRequestBytes = CompanyImportFile.MaxRequestBytes;

    public IReadOnlyList<ImportColumn> Columns => ImportColumns.All;

    public ImportReport? Report { get; private set; }

    /// <summary>The file could not be read, or was not chosen.</summary>
    public string? FileProblem { get; private set; }

    public string? FileName { get; private set; }

    /// <summary>Names the checked rows kept for the import button.</summary>
    public string? Token { get; private set; }

    public void OnGet()
    {
    }

    public IActionResult OnGetTemplate() => File(CompanyImportFile.Template(), "text/csv; charset=utf-8", "company-import-template.csv");

    public async Task<IActionResult> OnPostCheckAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            FileProblem = t["Choose a .csv or .xlsx file to check."];
            return Page();
        }

        FileName = Path.GetFileName(file.FileName);
        await using var stream = file.OpenReadStream();
        var (contents, problem) = CompanyImportFile.Read(stream, file.FileName, file.Length);
        if (contents is null)
        {
            FileProblem = problem;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Report = await import.HandleAsync(new ImportCompanies.Request(contents.Headers, contents.Rows, DryRun: true), User.ToActor(), cancellationToken);
        if (Report.Status == CaseCommandStatus.Forbidden)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (Report.Status == CaseCommandStatus.Done && Report.Accepted.Count > 0)
        {
            Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            cache.Set(Key(Token), new Pending(contents, FileName), TimeSpan.FromMinutes(30));
        }
        else if (Report.Status != CaseCommandStatus.Done)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(string? token, int expected, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !cache.TryGetValue(Key(token), out Pending? pending) || pending is null)
        {
            FileProblem = t["The checked file is no longer kept (it is kept for 30 minutes): upload it again."];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        FileName = pending.FileName;
        Report = await import.HandleAsync(
            new ImportCompanies.Request(pending.Contents.Headers, pending.Contents.Rows, DryRun: false, ExpectedCount: expected), User.ToActor(), cancellationToken);
        if (Report.Status == CaseCommandStatus.Forbidden)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (Report.Written)
        {
            cache.Remove(Key(token));
            TempData["Flash"] = Report.Message;
            return Redirect("/companies/import");
        }

        Token = token;
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    /// <summary>Rows kept per user: another user cannot import them with the token.</summary>
    private string Key(string token) => $"company-import:{User.ToActor().UserId:N}:{token}";

    private sealed record Pending(CompanyImportFile.Contents Contents, string? FileName);
}
