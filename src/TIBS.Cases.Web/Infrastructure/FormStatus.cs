using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Training;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// The status code of a form shown again after a refused post: 422 when fields are wrong, 409 when the saved state
/// stands in the way (someone else's edit, the last administrator), 200 otherwise. The page shows the words either way.
/// </summary>
internal static class FormStatus
{
    public static int Of(CaseCommandStatus status) => status switch
    {
        CaseCommandStatus.InvalidForm => StatusCodes.Status422UnprocessableEntity,
        CaseCommandStatus.Conflict or CaseCommandStatus.Refused or CaseCommandStatus.ConditionsNotMet => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status200OK,
    };

    public static int Of(TrainingStatus status) => status switch
    {
        TrainingStatus.Invalid => StatusCodes.Status422UnprocessableEntity,
        TrainingStatus.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status200OK,
    };
}
