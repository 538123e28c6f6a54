using System.Reflection;
using Xunit;

namespace TIBS.Cases.Testing;

/// <summary>
/// Pins an assembly's public types to a list, each with the reason another part of the product (or a framework) needs
/// it public: a new public type fails until it is listed or made internal, a listed type that became internal fails
/// until it is taken off.
/// </summary>
public static class PublicSurface
{
    public static void AssertListed(Assembly assembly, IReadOnlyDictionary<Type, string> listed)
    {
        var unlisted = assembly.GetExportedTypes().Where(t => !listed.ContainsKey(t)).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();

        Assert.True(unlisted.Count == 0, "Make these internal, or list them with the reason another part of the product needs them public: " + string.Join(", ", unlisted));
        Assert.All(listed, entry => Assert.True(entry.Key.IsPublic || entry.Key.IsNestedPublic, $"{entry.Key.FullName} is listed but no longer public; take it off the list."));
        Assert.All(listed, entry => Assert.False(string.IsNullOrWhiteSpace(entry.Value), $"{entry.Key.FullName} is listed without a reason."));
        Assert.All(listed.Keys, t => Assert.Same(assembly, t.Assembly));
    }
}
