namespace TIBS.Cases.Web;

/// <summary>
/// The interface's texts: <c>IStringLocalizer&lt;Ui&gt;</c> reads <c>Resources/Ui.&lt;lang&gt;.resx</c>, keyed by the
/// English text (<c>Resources/Ui.resx</c> lists every key). Views have it as <c>T</c> (and <c>H</c> for sentences with markup).
/// </summary>
internal sealed class Ui;
