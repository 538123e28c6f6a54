using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace TIBS.Cases.Web.Pages.Coordination.Organisations;

/// <summary>The fields of the add and edit forms, with the error of each.</summary>
internal sealed record OrganisationFields(string? Name, string? Kind, string? CountryCode, string? WebAddress, ModelStateDictionary State)
{
    public string? Error(string field) => State[field]?.Errors.FirstOrDefault()?.ErrorMessage;
}
