using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Forms;

/// <summary>
/// How much a form field may hold. A text field's length is declared by its definition (<c>maxLength</c>); where a
/// definition declares none, the default of the field's type applies. Counts of several values and of table rows have
/// one cap for every definition. E-mail, phone and URL fields default to the lengths a company profile allows
/// (<see cref="ContactFormats"/>).
/// </summary>
public static class FieldLimits
{
    /// <summary>A one-line text field without a declared <c>maxLength</c>.</summary>
    public const int DefaultTextLength = 2_000;

    /// <summary>A text area without a declared <c>maxLength</c>.</summary>
    public const int DefaultTextareaLength = 20_000;

    /// <summary>The largest <c>maxLength</c> a definition may declare.</summary>
    public const int MaxDeclarableLength = 100_000;

    /// <summary>Values of one multi-valued field (multi-choice, taxonomy, company or file with <c>multiple</c>).</summary>
    public const int MaxValues = 100;

    /// <summary>One of several values (a code, an option, an id).</summary>
    public const int MaxValueLength = 200;

    /// <summary>Rows of one table field.</summary>
    public const int MaxTableRows = 100;

    /// <summary>Whether a field of this type holds free text, so that <c>maxLength</c> applies to it.</summary>
    public static bool HoldsText(FieldType type) => type is FieldType.Text or FieldType.Textarea or FieldType.Email or FieldType.Phone or FieldType.Url;

    /// <summary>The number of characters a text field accepts: its declared <c>maxLength</c> or its type's default.</summary>
    public static int MaxLengthOf(FieldType type, int? declared) =>
        declared ?? type switch
        {
            FieldType.Textarea => DefaultTextareaLength,
            FieldType.Email => ContactFormats.MaxEmailLength,
            FieldType.Phone => ContactFormats.MaxPhoneLength,
            FieldType.Url => ContactFormats.MaxWebsiteLength,
            _ => DefaultTextLength,
        };

    public static int MaxLengthOf(PlanField field) => MaxLengthOf((field ?? throw new ArgumentNullException(nameof(field))).Type, field.MaxLength);
}
