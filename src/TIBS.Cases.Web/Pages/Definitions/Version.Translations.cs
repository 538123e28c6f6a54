using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>The "Translations" section of a published version: each language's completeness, a download and an upload per language.</summary>
internal sealed partial class VersionModel
{
    /// <summary>Set after an upload was saved: the page confirms it once.</summary>
    public const string TranslationSavedKey = "translation-saved";

    public IReadOnlyList<GetDefinitionTranslations.Language> Translations { get; private set; } = [];

    /// <summary>What the last upload said: saved (with warnings) or refused (with problems).</summary>
    public string? TranslationMessage { get; private set; }

    public bool TranslationSaved { get; private set; }

    public IReadOnlyList<ValidationError> TranslationProblems { get; private set; } = [];

    public IReadOnlyList<ValidationError> TranslationWarnings { get; private set; } = [];

    /// <summary>The language of the last upload, chosen again in the form.</summary>
    public string? TranslationLanguage { get; private set; }

    private async Task LoadTranslationsAsync(int number, CancellationToken cancellationToken)
    {
        if (Version.IsPublished)
        {
            Translations = (await getTranslations.HandleAsync(new GetDefinitionTranslations.Request(Key, number), User.ToActor(), cancellationToken)).Languages;
        }

        if (TempData[TranslationSavedKey] is string saved)
        {
            TranslationSaved = true;
            TranslationMessage = saved;
        }
    }

    /// <summary>A language's sidecar as a file: the saved one, or one to fill in with the English as comments.</summary>
    public async Task<IActionResult> OnGetTranslationAsync(string? language, CancellationToken cancellationToken)
    {
        if (DefinitionPages.ParseNumber(NumberText) is not { } number)
        {
            return NotFound();
        }

        var file = await downloadTranslation.HandleAsync(new DownloadDefinitionTranslation.Request(Key, number, language ?? ""), User.ToActor(), cancellationToken);
        return file.Status == CaseCommandStatus.Done
            ? File(System.Text.Encoding.UTF8.GetBytes(file.Content), "application/yaml; charset=utf-8", file.FileName)
            : NotFound();
    }

    /// <summary>Uploads (or replaces) a language's sidecar; refused files come back with every problem and its line.</summary>
    public async Task<IActionResult> OnPostTranslationAsync(string? language, IFormFile? file, CancellationToken cancellationToken)
    {
        // The row version of the language's translation when the page was loaded; none when it had none.
        int? rowVersion = int.TryParse(Request.Form[$"rowVersion-{language}"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seen) ? seen : null;
        if (DefinitionPages.ParseNumber(NumberText) is not { } number)
        {
            return NotFound();
        }

        byte[]? content = null;
        if (file is { Length: > 0 and <= TIBS.Cases.Workflows.Translations.TranslationSidecar.MaxBytes + 1 })
        {
            await using var stream = file.OpenReadStream();
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        else if (file is { Length: > 0 })
        {
            content = new byte[TIBS.Cases.Workflows.Translations.TranslationSidecar.MaxBytes + 1];
        }

        var result = await saveTranslation.HandleAsync(new SaveDefinitionTranslation.Request(Key, number, language, content, rowVersion), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.NotFound:
                return NotFound();
            case CaseCommandStatus.Forbidden:
                return Forbid();
            case CaseCommandStatus.Done when result.Warnings.Count == 0:
                TempData[TranslationSavedKey] = result.Message;
                return Redirect($"/definitions/{Uri.EscapeDataString(Key)}/v{number}#translations-heading");
        }

        View = await getVersion.HandleAsync(new GetDefinitionVersion.Request(Key, number), User.ToActor(), cancellationToken);
        if (View.Status != CaseCommandStatus.Done)
        {
            return NotFound();
        }

        await LoadTranslationsAsync(number, cancellationToken);
        TranslationSaved = result.Status == CaseCommandStatus.Done;
        TranslationMessage = result.Message;
        TranslationProblems = result.Problems;
        TranslationWarnings = result.Warnings;
        TranslationLanguage = language;
        if (!TranslationSaved)
        {
            Response.StatusCode = result.Status == CaseCommandStatus.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }
}
