using System.Text;
using FsCheck;
using FsCheck.Fluent;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Fuzzing;

/// <summary>What one fuzz case did: the exception that escaped (a crash), problems without a line, bytes allocated.</summary>
public sealed record FuzzResult(Exception? Crash, int ProblemsWithoutLine, long AllocatedBytes, bool Valid)
{
    public bool Passed(long allocationBound) => Crash is null && ProblemsWithoutLine == 0 && AllocatedBytes <= allocationBound;
}

/// <summary>
/// Generators of workflow definitions for fuzzing the loader and validator: documents built from the definition's own
/// vocabulary (keys, roles, durations, conditions) with hostile values mixed in, mutations of the shipped definitions
/// (lines dropped, doubled, swapped, re-indented, values replaced, bytes flipped, text cut), and known attacks (alias
/// bombs, deep nesting, tags). Used by the unit tests (a few hundred cases) and the benchmark command (many).
/// </summary>
public static class DefinitionFuzz
{
    /// <summary>A bound on what checking one case may allocate; a case of the largest accepted size stays far below it.</summary>
    public const long AllocationBound = 64L * 1024 * 1024;

    private static readonly string[] Keys =
    [
        "key", "name", "version", "description", "start", "stages", "end-states", "case-actions", "check-ins", "steps", "role", "due",
        "reminders", "escalation", "contributors", "form", "outcomes", "after", "to", "task", "label", "type", "required", "help",
        "options", "taxonomy", "multiple", "min", "max", "columns", "value", "conditions", "kind", "roles", "requires-reason", "every",
        "for", "step", "$schema", "<<", "Key", "end_states", "",
    ];

    private static readonly string[] Scalars =
    [
        "broker", "coordinator", "evaluator", "administrator", "wizard", "P5D", "P3M", "PT12H", "P1Y2M3W4DT5H6M7S", "P", "PT", "p5d",
        "P\u0663D", "P\uFF15D", "P99999999999999999999D", "P-1D", "P0D", "P1M", "P30D", "P31D", "form-complete", "min-agreed-partners",
        "attachment", "field-equals", "success", "failure", "withdraw", "hold", "resume", "reassign", "text", "textarea", "number",
        "date", "choice", "multi-choice", "taxonomy", "company", "file", "table", "true", "false", "yes", "no", "~", "null", "1", "0",
        "-1", "2147483648", "1e400", "3.5", "a", "first", "second", "done", "stopped", "intake", "completed", "x --> y", "[*]", "%% c",
        "a; b", "#x", "{a}", "<b>", "\"q\"", "'q'", "a: b", "- a", "&a", "*a", "!include x", "\t", " ", "", "\u202E", "\u2028",
        "\uFFFD", "\u0000", "caf\u00E9", "\U0001F600", "stage:x", "*:withdraw", "x\ny", "GUARD0X",
    ];

    /// <summary>Every kind of case, as UTF-8 bytes (so invalid UTF-8 is among them).</summary>
    public static Gen<byte[]> Cases(IReadOnlyList<string> shipped) => Gen.Frequency(
        (4, Structured().Select(Encoding.UTF8.GetBytes)),
        (5, Mutated(shipped)),
        (1, Attacks().Select(Encoding.UTF8.GetBytes)));

    /// <summary>Loads, validates and (when valid) compiles and draws one case, catching whatever escapes.</summary>
    public static FuzzResult Run(byte[] bytes)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var check = WorkflowDefinitions.Check(bytes);
            var text = WorkflowDefinitions.Check(Encoding.UTF8.GetString(bytes));
            var withoutLine = check.Errors.Concat(text.Errors).Count(e => e.Position is not { Line: >= 1, Column: >= 1 });
            if (check.IsValid)
            {
                var plan = WorkflowPlan.Compile(check.Document!);
                _ = WorkflowDiagram.Mermaid(plan, plan.StartStep.Key);
            }

            return new FuzzResult(null, withoutLine, GC.GetAllocatedBytesForCurrentThread() - before, check.IsValid);
        }
#pragma warning disable CA1031 // a fuzz harness records every escaping exception as a crash
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new FuzzResult(ex, 0, GC.GetAllocatedBytesForCurrentThread() - before, false);
        }
    }

    /// <summary>A definition-shaped document: the real layout, with values drawn from the vocabulary and hostile texts.</summary>
    public static Gen<string> Structured() =>
        from version in Gen.Elements("1", "2", "0", "x", "\u0661")
        from start in Scalar()
        from stages in Gen.Choose(0, 3).SelectMany(n => Stage().ArrayOf(n))
        from ends in Gen.Choose(0, 3).SelectMany(n => Map(2, ["key", "name", "kind"]).ArrayOf(n))
        from actions in Gen.Choose(0, 3).SelectMany(n => Map(2, ["key", "label", "kind", "to", "requires-reason"]).ArrayOf(n))
        from extra in Gen.Frequency((6, Gen.Constant("")), (1, Tree(4).Select(t => "extra: " + t)))
        from flow in Gen.Elements(true, false)
        select string.Join('\n',
            "key: mini", "name: Fuzz", $"version: {version}", $"start: {start}",
            "stages:" + List(stages, 2, flow),
            "end-states:" + List(ends, 2, flow),
            "case-actions:" + List(actions, 2, flow),
            extra) + "\n";

    private static Gen<string> Stage() =>
        from key in Scalar()
        from steps in Gen.Choose(0, 3).SelectMany(n => Step().ArrayOf(n))
        select $"key: {key}\n    name: Stage\n    steps:" + List(steps, 6, false);

    private static Gen<string> Step() =>
        from head in Map(6, ["key", "name", "role", "due", "description"])
        from reminders in Scalar().ArrayOf().Select(r => $"[{string.Join(", ", r.Take(4))}]")
        from escalation in Map(8, ["after", "to"])
        from outcomes in Gen.Choose(0, 3).SelectMany(n => Outcome().ArrayOf(n))
        from fields in Gen.Choose(0, 2).SelectMany(n => Map(10, ["key", "label", "type", "required", "options", "min", "max"]).ArrayOf(n))
        select $"{head}\n      reminders: {reminders}\n      escalation:\n        {escalation}\n      form:" + List(fields, 8, false)
               + "\n      outcomes:" + List(outcomes, 8, false);

    private static Gen<string> Outcome() =>
        from head in Map(10, ["key", "label", "to"])
        from conditions in Gen.Choose(0, 2).SelectMany(n => Condition().ArrayOf(n))
        select head + "\n          conditions:" + List(conditions, 12, false);

    private static Gen<string> Condition() => Gen.OneOf(
        Scalar(),
        Scalar().Select(s => $"min-agreed-partners: {s}"),
        Gen.Two(Scalar()).Select(p => $"field-equals: {{ field: {p.Item1}, value: {p.Item2} }}"));

    /// <summary>'key: value' lines with keys mostly from <paramref name="keys"/>, sometimes from anywhere.</summary>
    private static Gen<string> Map(int indent, string[] keys) =>
        from count in Gen.Choose(1, keys.Length + 1)
        from pairs in Gen.Frequency((8, Gen.Elements(keys)), (1, Gen.Elements(Keys))).Zip(Gen.Frequency((6, Scalar()), (1, Tree(2)))).ArrayOf(count)
        select string.Join("\n" + new string(' ', indent), pairs.DistinctBy(p => p.Item1).Select(p => $"{Quote(p.Item1)}: {p.Item2}"));

    /// <summary>A scalar from the vocabulary, written plain, single- or double-quoted.</summary>
    public static Gen<string> Scalar() =>
        from value in Gen.Frequency((8, Gen.Elements(Scalars)), (1, Gen.Choose(0, 0x2FF).Select(c => ((char)c).ToString())))
        from style in Gen.Choose(0, 3)
        select style switch
        {
            0 => value,
            1 => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
            _ => "\"" + Escape(value) + "\"",
        };

    /// <summary>Any flow-style YAML value: scalars, lists and maps nested up to <paramref name="depth"/>.</summary>
    public static Gen<string> Tree(int depth) => depth <= 0
        ? Scalar()
        : Gen.Frequency(
            (3, Scalar()),
            (1, Tree(depth - 1).ArrayOf().Select(items => "[" + string.Join(", ", items.Take(5)) + "]")),
            (1, Gen.Elements(Keys).Zip(Tree(depth - 1)).ArrayOf().Select(pairs =>
                "{" + string.Join(", ", pairs.Take(5).DistinctBy(p => p.Item1).Select(p => $"{Quote(p.Item1)}: {p.Item2}")) + "}")));

    /// <summary>The shipped definitions with up to six random edits.</summary>
    public static Gen<byte[]> Mutated(IReadOnlyList<string> shipped) =>
        from text in Gen.Elements(shipped.ToArray())
        from edits in Gen.Choose(0, 6).SelectMany(n => Edit().ArrayOf(n))
        select edits.Aggregate(Encoding.UTF8.GetBytes(text), (bytes, edit) => edit(bytes));

    private static Gen<Func<byte[], byte[]>> Edit() => Gen.OneOf(
        LineEdit((lines, i, _) => lines.RemoveAt(i)),
        LineEdit((lines, i, _) => lines.Insert(i, lines[i])),
        LineEdit((lines, i, j) => (lines[i], lines[j]) = (lines[j], lines[i])),
        LineEdit((lines, i, j) => lines[i] = new string(' ', j % 12) + lines[i].TrimStart()),
        Gen.Frequency((3, Scalar()), (1, Tree(3))).SelectMany(value => LineEditWith((lines, i, _) =>
        {
            var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
            lines[i] = colon < 0 ? lines[i] + " " + value : lines[i][..(colon + 2)] + value;
        })),
        from line in Gen.Elements("x: &a [1, 2]", "y: *a", "z: *nowhere", "!include other.yaml", "name: !include x", "- &s *s",
            "key: [", "\t", "---", "...", "%YAML 1.1", "? complex", "<<: *a", "name: |\n  text", "\u00A0name: x")
        from edit in LineEditWith((lines, i, _) => lines.Insert(i, new string(' ', (i * 2) % 10) + line))
        select edit,
        from position in Gen.Choose(0, int.MaxValue)
        from value in Gen.Choose(0, 255)
        select (Func<byte[], byte[]>)(bytes =>
        {
            if (bytes.Length == 0)
            {
                return bytes;
            }

            var copy = (byte[])bytes.Clone();
            copy[position % copy.Length] = (byte)value;
            return copy;
        }),
        from position in Gen.Choose(0, int.MaxValue)
        select (Func<byte[], byte[]>)(bytes => bytes.Length == 0 ? bytes : bytes[..(position % bytes.Length)]));

    private static Gen<Func<byte[], byte[]>> LineEdit(Action<List<string>, int, int> edit) => LineEditWith(edit);

    private static Gen<Func<byte[], byte[]>> LineEditWith(Action<List<string>, int, int> edit) =>
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        select (Func<byte[], byte[]>)(bytes =>
        {
            var lines = Encoding.UTF8.GetString(bytes).Split('\n').ToList();
            edit(lines, a % lines.Count, b % lines.Count);
            return Encoding.UTF8.GetBytes(string.Join('\n', lines));
        });

    /// <summary>Known attacks, sized at random.</summary>
    public static Gen<string> Attacks() =>
        from n in Gen.Choose(1, 12000)
        from kind in Gen.Choose(0, 6)
        select kind switch
        {
            0 => new string('[', n) + new string(']', n),
            1 => string.Concat(Enumerable.Repeat("- ", n)) + "x",
            2 => string.Concat(Enumerable.Repeat("{a: ", n)) + "b" + new string('}', n),
            3 => "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 1 + (n % 14))
                .Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n")),
            4 => "key: &k [*k]\n",
            5 => "key: x\nname: [" + string.Join(", ", Enumerable.Repeat("v", n * 3)) + "]\n",
            _ => "key: x\nname: !include " + new string('a', n % 200) + "\n",
        };

    private static string List(string[] items, int indent, bool flow) =>
        items.Length == 0 ? (flow ? " []" : "")
        : string.Concat(items.Select(item => "\n" + new string(' ', indent) + "- " + item));

    private static string Quote(string key) => key.Length == 0 || key.Contains(':', StringComparison.Ordinal) ? $"\"{Escape(key)}\"" : key;

    private static string Escape(string value)
    {
        var builder = new StringBuilder();
        foreach (var ch in value)
        {
            builder.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' or (>= '\u007F' and <= '\u009F') or '\u2028' or '\u2029' => $"\\u{(int)ch:X4}",
                _ => ch.ToString(),
            });
        }

        return builder.ToString();
    }
}
