using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.PersonalData;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>Stored codes of the company pages (organisation types, legal bases) in the reader's language, one key per value.</summary>
internal static class CompanyLabels
{
    public static string SizeClass(IStringLocalizer t, string? code) => code switch
    {
        SizeClasses.Micro => t["Micro enterprise, SME (fewer than 10 staff)"],
        SizeClasses.Small => t["Small enterprise, SME (10–49 staff)"],
        SizeClasses.Medium => t["Medium-sized enterprise, SME (50–249 staff)"],
        SizeClasses.Large => t["Large enterprise (250 staff or more)"],
        SizeClasses.Research => t["Research and higher-education organisation"],
        SizeClasses.PublicBody => t["Public authority"],
        SizeClasses.BusinessSupport => t["Business support organisation"],
        SizeClasses.Ngo => t["Interest group or NGO"],
        null => "",
        _ => code,
    };

    public static string LegalBasis(IStringLocalizer t, string? basis) => basis switch
    {
        LegalBases.Consent => t["Consent of the person (GDPR Art. 6(1)(a))"],
        LegalBases.Contract => t["A contract with the person or steps before one (GDPR Art. 6(1)(b))"],
        LegalBases.LegitimateInterests => t["Legitimate interests of the programme (GDPR Art. 6(1)(f))"],
        LegalBases.PublicTask => t["A task in the public interest: the EU-funded programme (GDPR Art. 6(1)(e))"],
        _ => t["Not recorded"],
    };
}
