using System.Buffers.Text;
using System.Text;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Companies;

/// <summary>Filters of the company list; every one optional. <see cref="After"/> continues after a previous page.</summary>
public sealed record CompanySearch
{
    public const int DefaultPageSize = 25;

    /// <summary>Words looked for, case-insensitively, in the name, keywords, offers and needs.</summary>
    public string? Text { get; init; }

    public string? CountryCode { get; init; }

    public string? RegionCode { get; init; }

    public string? S3Area { get; init; }

    /// <summary>A NACE section letter (A–U): companies with that section or any of its divisions.</summary>
    public string? NaceSection { get; init; }

    public string? SizeClass { get; init; }

    public CompanyCursor? After { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>What is wrong with the filters (too long, a forbidden character), by query name; empty when none.</summary>
    public IReadOnlyList<FieldError> Problems() => TextRules.FilterProblems(
        ("q", "The search text", Text), ("country", "The country", CountryCode), ("region", "The region", RegionCode),
        ("s3", "The S3 area", S3Area), ("nace", "The NACE section", NaceSection), ("size", "The organisation type", SizeClass));
}

/// <summary>A row of the company list.</summary>
public sealed record CompanySummary
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string CountryCode { get; init; }
    public required string RegionCode { get; init; }
    public required string SizeClass { get; init; }
    public string? RegisterNumber { get; init; }
    public string? Keywords { get; init; }
    public string? Offers { get; init; }
    public string? Needs { get; init; }
}

public sealed record CompanySearchPage(IReadOnlyList<CompanySummary> Items, CompanyCursor? Next);

/// <summary>
/// Position in the (name, id) order of the company list. Travels in the query string as an opaque URL-safe token.
/// </summary>
public sealed record CompanyCursor(string Name, Guid Id)
{
    public static CompanyCursor After(CompanySummary last) => new(last.Name, last.Id);

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Id:N}{Name}"));

    /// <summary>Decodes a token made by <see cref="Encode"/>; null when it is missing or malformed.</summary>
    public static CompanyCursor? Decode(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2000)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            return text.Length > 32 && Guid.TryParseExact(text[..32], "N", out var id) && TextRules.ForbiddenCharacter(text) is null
                ? new CompanyCursor(text[32..], id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
