using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// The HTML-encoded form of a long text that is itself kept and shown on many pages (a workflow's diagram text, drawn
/// once per version and step): encoded once per text, not on every view. The text is the key, so the entry goes when
/// the text does.
/// </summary>
internal static class EncodedOnce
{
    private static readonly ConditionalWeakTable<string, HtmlString> Encoded = [];

    public static IHtmlContent Html(string text) =>
        Encoded.GetValue(text, static t => new HtmlString(HtmlEncoder.Default.Encode(t)));
}
