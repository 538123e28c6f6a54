using System.Buffers.Text;
using System.Text;

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
}

/// <summary>A row of the company list.</summary>
public sealed record CompanySummary
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string CountryCode { get; init; }
    public required string RegionCode { get; init; }
    public required string SizeClass { get; init; }
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
            return text.Length > 32 && Guid.TryParseExact(text[..32], "N", out var id) ? new CompanyCursor(text[32..], id) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
