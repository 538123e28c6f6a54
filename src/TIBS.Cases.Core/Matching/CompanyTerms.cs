using TIBS.Cases.Core.Companies;

namespace TIBS.Cases.Core.Matching;

/// <summary>
/// What of a company the match score compares, as the database stores it beside the company (written in the same
/// transaction, schema script 0037) so that SQL scores a candidate exactly as <see cref="MatchScorer"/> does
/// (decision 0051): the terms of its offers and keywords and of its needs (one row each, found by the case's terms),
/// and its codes (<see cref="Codes"/>: S3 areas, NACE divisions and sections, languages, in one short text that SQL
/// tests with one substring search per code of the case, so no code common to most companies is grouped or joined).
/// </summary>
public static class CompanyTerms
{
    /// <summary>The version of the rules that turn a company into terms and codes; rows computed with another version are computed again at start.</summary>
    public const int Version = 1;

    /// <summary>Terms of the offers and keywords (compared with the case's needs).</summary>
    public const string Offer = "offer";

    /// <summary>Terms of the needs (compared with the case's offers).</summary>
    public const string Need = "need";

    /// <summary>The longest term stored; longer words are not compared at all.</summary>
    public const int MaxLength = Keywords.MaxTermLength;

    /// <summary>Kinds of code in <see cref="Codes"/>.</summary>
    public const string S3Code = "s3";
    public const string NaceDivisionCode = "nd";
    public const string NaceSectionCode = "ns";
    public const string LanguageCode = "lang";

    /// <summary>Every term of the company by kind, each once, in a stable order.</summary>
    public static IReadOnlyList<(string Kind, string Term)> Of(Company company)
    {
        ArgumentNullException.ThrowIfNull(company);
        return
        [
            .. OfferTerms(company).Order(StringComparer.Ordinal).Select(t => (Offer, t)),
            .. Keywords.Terms(company.Needs).Order(StringComparer.Ordinal).Select(t => (Need, t)),
        ];
    }

    /// <summary>
    /// The company's codes as one text, each code between spaces (" s3:bioeconomy nd:C16 ns:C lang:en "): its S3 areas
    /// (lower case), the NACE divisions and sections of its codes, its languages, as <see cref="MatchScorer"/> reads them.
    /// </summary>
    public static string Codes(Company company)
    {
        ArgumentNullException.ThrowIfNull(company);
        var nace = company.NaceCodes.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        IEnumerable<string> codes =
        [
            .. company.S3Areas.Select(a => Token(S3Code, a.ToLowerInvariant())),
            .. nace.Select(MatchScorer.NaceDivision).OfType<string>().Select(d => Token(NaceDivisionCode, d)),
            .. nace.Select(MatchScorer.NaceSection).Select(s => Token(NaceSectionCode, s)),
            .. Keywords.Languages(company.Languages).Select(l => Token(LanguageCode, l)),
        ];
        return " " + string.Join(' ', codes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + " ";
    }

    /// <summary>One code of <see cref="Codes"/>: its kind and value ("s3:bioeconomy").</summary>
    public static string Token(string kind, string value) => $"{kind}:{value}";

    /// <summary>The terms of a candidate's offers and keywords together, as the score compares them with the case's needs.</summary>
    internal static IReadOnlySet<string> OfferTerms(Company company) => Keywords.Terms(string.Join(' ', company.Offers, company.Keywords));
}
