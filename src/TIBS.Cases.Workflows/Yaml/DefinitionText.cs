using System.Buffers;
using System.Text;

namespace TIBS.Cases.Workflows.Yaml;

/// <summary>Strict reading of definition text: where bytes are not UTF-8, where text holds characters that are not.</summary>
internal static class DefinitionText
{
    /// <summary>The first byte that is not part of valid UTF-8, with its line and column (counted in characters); null when all are valid.</summary>
    public static (byte Value, SourcePosition Position)? FindInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var line = 1;
        var column = 1;
        var index = 0;
        while (index < utf8.Length)
        {
            var status = Rune.DecodeFromUtf8(utf8[index..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                return (utf8[index], new SourcePosition(line, column));
            }

            (line, column) = rune.Value == '\n' ? (line + 1, 1) : (line, column + 1);
            index += consumed;
        }

        return null;
    }

    /// <summary>The position of the first U+FFFD or unpaired surrogate in <paramref name="text"/>; null when there is none.</summary>
    public static SourcePosition? FindUnreadable(string text)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == '\uFFFD' || char.IsLowSurrogate(ch) || (char.IsHighSurrogate(ch) && (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))))
            {
                return new SourcePosition(line, column);
            }

            if (char.IsHighSurrogate(ch))
            {
                i++;
            }

            (line, column) = ch == '\n' ? (line + 1, 1) : (line, column + 1);
        }

        return null;
    }
}
