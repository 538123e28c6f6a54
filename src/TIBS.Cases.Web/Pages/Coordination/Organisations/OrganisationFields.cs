using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Organisations;

namespace TIBS.Cases.Web.Pages.Coordination.Organisations;

/// <summary>The fields of the add and edit forms, with the error of each.</summary>
internal sealed record OrganisationFields(string? Name, string? Kind, string? CountryCode, string? WebAddress, ModelStateDictionary State)
{
    public string? Error(string field) => State[field]?.Errors.FirstOrDefault()?.ErrorMessage;

    /// <summary>A stored kind in the reader's language, one key per value.</summary>
    public static string KindName(IStringLocalizer t, string kind) => kind switch
    {
        OrganisationKinds.RegionalDevelopmentAgency => t["Regional development agency"],
        OrganisationKinds.University => t["University"],
        OrganisationKinds.ChamberOfCommerce => t["Chamber of commerce"],
        OrganisationKinds.SciencePark => t["Science park or innovation agency"],
        OrganisationKinds.Other => t["Other"],
        _ => kind,
    };
}
