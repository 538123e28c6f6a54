using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Localization;
using YamlDotNet.Core;

namespace TIBS.Cases.Workflows.Yaml;

/// <summary>Turns the YAML parser's messages into words a coordinator understands.</summary>
internal static partial class YamlMessages
{
    private static readonly (string Fragment, string Message)[] Known =
    [
        ("double-quoted scalar, found wrong indentation", "a quoted value runs on into the next lines: its closing quote is missing."),
        ("single-quoted scalar, found wrong indentation", "a quoted value runs on into the next lines: its closing quote is missing."),
        ("found invalid mapping", "a ': ' follows a value on the same line; put a value that contains ': ' in quotes."),
        ("quoted scalar, found unexpected end of stream", "a quoted value is never closed: its closing quote is missing."),
        ("quoted scalar, found unexpected document indicator", "a quoted value is never closed: its closing quote is missing."),
        ("did not find expected key", "this line is not indented like the lines around it, or a ':' is missing after a key."),
        ("did not find expected '-' indicator", "this list item is not indented like the items above it (each item starts with '- ')."),
        ("Mapping values are not allowed in this context", "a ':' follows a value here; put a value that contains ': ' in quotes, or check the indentation."),
        ("could not find expected ':'", "a ':' is missing after a key."),
        ("did not find expected ',' or ']'", "a list written in [ ] is not closed, or its items are not separated by commas."),
        ("did not find expected ',' or '}'", "a block written in { } is not closed, or its pairs are not separated by commas."),
        ("found character that cannot start any token", "this character cannot start a value (a tab used for indentation, '@' or '`'); indent with spaces and put such values in quotes."),
        ("control characters are not allowed", "the text holds a control character, which YAML does not allow."),
        ("did not find expected node content", "a value is missing here."),
        ("did not find expected <document start>", "there is text after the end of the definition; check the indentation of this line."),
        ("found a tab character", "a tab is used for indentation; indent with spaces."),
    ];

    /// <summary>What to say when the parser stops with an error of its own rather than a described one.</summary>
    public static string Unparseable => Localized.Text("the text cannot be read from here on; check the brackets [ ] and { }, the quotes and the indentation around this line.");

    public static string Describe(YamlException exception)
    {
        var message = Clean(exception.Message);
        if (exception.InnerException is YamlException inner && !string.IsNullOrWhiteSpace(inner.Message))
        {
            message = Clean(inner.Message);
        }

        foreach (var (fragment, human) in Known)
        {
            if (message.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return Localized.Text(human);
            }
        }

        return message.Length == 0 ? Localized.Text("unexpected content.") : message;
    }

    private static string Clean(string message) => MarkPrefix().Replace(message, "").Trim();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();
}
