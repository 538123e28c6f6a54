using TIBS.Cases.Workflows.Localization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TIBS.Cases.Workflows.Yaml;

/// <summary>A definition that breaks one of the input limits; carries where in the text it happened.</summary>
internal sealed class DefinitionLimitException(string message, Mark start) : Exception(message)
{
    public Mark Start { get; } = start;
}

/// <summary>
/// Passes YAML parsing events through and stops, with the position, at the first event that breaks a limit of
/// <see cref="WorkflowYamlLoader"/>: nesting deeper than <see cref="WorkflowYamlLoader.MaxDepth"/>, more values than
/// <see cref="WorkflowYamlLoader.MaxNodes"/> once every alias is counted as the copy it stands for (so an alias bomb
/// is refused while its first aliases are read), an alias of an anchor that is not complete before it (a node that
/// contains itself), any explicit tag, a key given twice or a key that is not a plain value. It works on the flat event
/// stream with its own stack, so a hostile nesting depth is found before anything recursive ever sees it.
/// </summary>
internal sealed class LimitedParser(IParser inner, CancellationToken cancellationToken) : IParser
{
    private readonly Stack<Frame> _frames = new();
    private readonly Dictionary<string, (long Nodes, int Height)> _anchors = new(StringComparer.Ordinal);
    private long _nodes;

    public ParsingEvent? Current => inner.Current;

    /// <summary>Where the last event that was read ended: the place to point at when the parser fails without saying where.</summary>
    public Mark LastGood { get; private set; } = Mark.Empty;

    public bool MoveNext()
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!inner.MoveNext())
        {
            return false;
        }

        LastGood = inner.Current!.End;

        switch (inner.Current)
        {
            case AnchorAlias alias:
                Alias(alias);
                break;
            case NodeEvent node:
                Check(node);
                break;
            case MappingEnd or SequenceEnd:
                var frame = _frames.Pop();
                if (frame.Anchor is { } anchor)
                {
                    _anchors[anchor] = (frame.Nodes, frame.Height);
                }

                Completed(frame.Nodes, frame.Height + 1);
                break;
        }

        return true;
    }

    private void Alias(AnchorAlias alias)
    {
        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
        {
            throw new DefinitionLimitException(
                Localized.Format("The alias '*{0}' refers to no complete value before it (an undefined anchor, or a value that would contain itself).", alias.Value), alias.Start);
        }

        ExpectValueNotKey(alias, Localized.Text("an alias"));
        Count(target.Nodes, alias.Start);
        if (_frames.Count + target.Height > WorkflowYamlLoader.MaxDepth)
        {
            throw TooDeep(alias.Start);
        }

        Completed(target.Nodes, target.Height);
    }

    private void Check(NodeEvent node)
    {
        if (!node.Tag.IsEmpty)
        {
            throw new DefinitionLimitException(
                Localized.Format("Tags such as '{0}' are not allowed in a workflow definition; write plain values (a file cannot include another).", node.Tag.Value), node.Start);
        }

        Count(1, node.Start);
        if (_frames.TryPeek(out var parent) && parent.IsMapping && parent.ExpectingKey)
        {
            if (node is not Scalar key)
            {
                throw new DefinitionLimitException(Localized.Text("A key must be a plain name, not a list or 'key: value' pairs."), node.Start);
            }

            if (!parent.Keys!.Add(key.Value))
            {
                throw new DefinitionLimitException(Localized.Format("'{0}' is given twice here; each key may appear once.", key.Value), node.Start);
            }
        }

        var anchor = node.Anchor.IsEmpty ? null : node.Anchor.Value;
        switch (node)
        {
            case MappingStart:
            case SequenceStart:
                if (_frames.Count >= WorkflowYamlLoader.MaxDepth)
                {
                    throw TooDeep(node.Start);
                }

                _frames.Push(new Frame(node is MappingStart, anchor));
                break;
            default:
                if (anchor is not null)
                {
                    _anchors[anchor] = (1, 0);
                }

                Completed(1, 0);
                break;
        }
    }

    private void ExpectValueNotKey(ParsingEvent at, string what)
    {
        if (_frames.TryPeek(out var parent) && parent.IsMapping && parent.ExpectingKey)
        {
            throw new DefinitionLimitException(Localized.Format("A key must be a plain name, not {0}.", what), at.Start);
        }
    }

    private void Count(long nodes, Mark at)
    {
        _nodes += nodes;
        if (_nodes > WorkflowYamlLoader.MaxNodes)
        {
            throw new DefinitionLimitException(
                Localized.Format("The definition has more than {0:N0} values (aliases counted as the copies they stand for); a workflow definition is never that large.", WorkflowYamlLoader.MaxNodes), at);
        }
    }

    private static DefinitionLimitException TooDeep(Mark at) => new(
        Localized.Format("The definition is nested more than {0} levels deep; a workflow definition never needs that.", WorkflowYamlLoader.MaxDepth), at);

    /// <summary>
    /// A whole node (a scalar, an alias, or a collection at its end) of <paramref name="nodes"/> values and
    /// <paramref name="height"/> levels was read: it counts in its parent, where a key is followed by a value and back.
    /// </summary>
    private void Completed(long nodes, int height)
    {
        if (_frames.TryPeek(out var parent))
        {
            parent.Nodes += nodes;
            parent.Height = Math.Max(parent.Height, height);
            if (parent.IsMapping)
            {
                parent.ExpectingKey = !parent.ExpectingKey;
            }
        }
    }

    private sealed class Frame(bool isMapping, string? anchor)
    {
        public bool IsMapping { get; } = isMapping;

        public string? Anchor { get; } = anchor;

        public bool ExpectingKey { get; set; } = true;

        public HashSet<string>? Keys { get; } = isMapping ? new(StringComparer.Ordinal) : null;

        /// <summary>Values in this collection, itself included, aliases expanded.</summary>
        public long Nodes { get; set; } = 1;

        /// <summary>Levels of nesting below this collection.</summary>
        public int Height { get; set; }
    }
}
