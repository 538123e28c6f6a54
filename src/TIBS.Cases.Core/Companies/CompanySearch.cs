using System.Buffers.Text;
using System.Text;
using TIBS.Cases.Core.Localization;
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

    /// <summary>The alphabet the names are sorted in (the user's language); the cursor continues in the same order.</summary>
    public NameOrder Order { get; init; } = NameOrder.English;

    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>What is wrong with the filters (too long, a forbidden character), by query name; empty when none.</summary>
    public IReadOnlyList<FieldError> Problems() => TextRules.FilterProblems(
        ("q", Localized.Text("The search text"), Text), ("country", Localized.Text("The country"), CountryCode), ("region", Localized.Text("The region"), RegionCode),
        ("s3", Localized.Text("The S3 area"), S3Area), ("nace", Localized.Text("The NACE section"), NaceSection), ("size", Localized.Text("The organisation type"), SizeClass));
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
/// Position in the (name, id) order of the company list, in the alphabet of <see cref="Order"/> (null: a cursor made
/// before the lists were sorted by language, read in the current one). Travels in the query string as an opaque
/// URL-safe token that names its order, so that the next pages continue in the order the first page was sorted in.
/// </summary>
public sealed record CompanyCursor(string Name, Guid Id, NameOrder? Order = null)
{
    public static CompanyCursor After(CompanySummary last, NameOrder order) => new(last.Name, last.Id, order);

    /// <summary>"lt." then the id and the name; without an order, the id and the name (the tokens made before orders).</summary>
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Order is null ? $"{Id:N}{Name}" : $"{Order.Language}.{Id:N}{Name}"));

    /// <summary>Decodes a token made by <see cref="Encode"/>; null when it is missing or malformed, or names an unknown order.</summary>
    public static CompanyCursor? Decode(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2000)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            NameOrder? order = null;
            if (text.Length > 3 && text[2] == '.')
            {
                // A hex id never has a dot at index 2, so an ordered token cannot be read as an old one or the other way round.
                order = NameOrder.Of(text[..2]);
                if (order is null)
                {
                    return null;
                }

                text = text[3..];
            }

            return text.Length > 32 && Guid.TryParseExact(text[..32], "N", out var id) && TextRules.ForbiddenCharacter(text) is null
                ? new CompanyCursor(text[32..], id, order)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
