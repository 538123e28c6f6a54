using System.Reflection;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Data;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Page models and API endpoints are doors: they translate HTTP into a request to a Core handler and its result into
/// HTTP. None of them reaches a store or a query port (a type named …Store or …Queries, or implementing one) or
/// anything of the data layer — through a constructor parameter, a field, a property or a method's parameter.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Web = typeof(TIBS.Cases.Web.Program).Assembly;

    private static readonly Assembly Data = typeof(IDbConnectionFactory).Assembly;

    /// <summary>Every page model, and every endpoint class of the API (<c>…Endpoints</c> in <c>TIBS.Cases.Web.Api</c>, with its lambdas' closures).</summary>
    public static TheoryData<string> Doors() =>
    [
        .. Web.GetTypes().Where(IsDoor).Select(t => t.FullName!).Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void There_are_page_models_to_check()
    {
        Assert.True(Doors().Count >= 15, "Expected the page models of the web project to be found.");
        Assert.Contains(Web.GetTypes(), t => t == typeof(TIBS.Cases.Web.Pages.Cases.PartnersModel) && IsDoor(t));
    }

    [Theory]
    [MemberData(nameof(Doors))]
    public void A_door_depends_on_no_store_no_query_port_and_nothing_of_the_data_layer(string door)
    {
        var type = Web.GetType(door, throwOnError: true)!;
        var offences = Dependencies(type).Where(d => IsForbidden(d.Type)).Select(d => $"{d.Where} is {Name(d.Type)}").ToList();

        Assert.True(offences.Count == 0, $"{door} reaches the data layer directly; use a Core handler instead:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", offences));
    }

    [Fact]
    public void The_check_finds_a_store_behind_a_field_a_parameter_or_a_generic()
    {
        var found = Dependencies(typeof(Offender)).Where(d => IsForbidden(d.Type)).Select(d => d.Where).ToList();

        Assert.Contains(found, w => w.Contains("constructor parameter 'store'", StringComparison.Ordinal));
        Assert.Contains(found, w => w.Contains("field", StringComparison.Ordinal));
        Assert.Contains(found, w => w.Contains("parameter 'queries' of OnGetAsync", StringComparison.Ordinal));
        Assert.Contains(found, w => w.Contains("property 'Factory'", StringComparison.Ordinal));
    }

    private static bool IsDoor(Type t) =>
        (typeof(PageModel).IsAssignableFrom(t) && t != typeof(PageModel))
        || (t.Namespace is { } ns && (ns == "TIBS.Cases.Web.Api" || ns.StartsWith("TIBS.Cases.Web.Api.", StringComparison.Ordinal)) && IsEndpointClass(t));

    private static bool IsEndpointClass(Type t)
    {
        for (var x = t; x is not null; x = x.DeclaringType)
        {
            if (x.Name.EndsWith("Endpoints", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Everything the type (and its own base classes up to the framework's) takes or holds.</summary>
    private static IEnumerable<(string Where, Type Type)> Dependencies(Type type)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        for (var t = type; t is not null && t.Assembly != typeof(PageModel).Assembly && t != typeof(object); t = t.BaseType)
        {
            foreach (var c in t.GetConstructors(declared))
            {
                foreach (var p in c.GetParameters())
                {
                    yield return ($"constructor parameter '{p.Name}'", p.ParameterType);
                }
            }

            foreach (var f in t.GetFields(declared))
            {
                yield return ($"field '{f.Name}'", f.FieldType);
            }

            foreach (var p in t.GetProperties(declared))
            {
                yield return ($"property '{p.Name}'", p.PropertyType);
            }

            foreach (var m in t.GetMethods(declared))
            {
                foreach (var p in m.GetParameters())
                {
                    yield return ($"parameter '{p.Name}' of {m.Name}", p.ParameterType);
                }
            }
        }
    }

    /// <summary>A store or query port, anything of the data layer, or a type built from one (Task&lt;IFooStore&gt;, arrays).</summary>
    private static bool IsForbidden(Type type)
    {
        if (type.HasElementType)
        {
            return IsForbidden(type.GetElementType()!);
        }

        if (type.IsGenericType && type.GetGenericArguments().Any(a => !a.IsGenericParameter && IsForbidden(a)))
        {
            return true;
        }

        return type.Assembly == Data || IsPort(type) || type.GetInterfaces().Any(IsPort);
    }

    private static bool IsPort(Type t)
    {
        var name = t.IsGenericType ? t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)] : t.Name;
        return name.EndsWith("Store", StringComparison.Ordinal) || name.EndsWith("Queries", StringComparison.Ordinal);
    }

    private static string Name(Type t) => t.FullName ?? t.Name;

    /// <summary>What the check must catch.</summary>
    private sealed class Offender(Core.Notifications.INotificationStore store) : PageModel
    {
        private readonly Task<Core.Cases.ICaseStore>? pending = null;

        public IDbConnectionFactory? Factory { get; set; }

        public Core.Notifications.INotificationStore Store => store;

        public Task OnGetAsync(Core.Work.IWorkQueries queries) => pending ?? Task.CompletedTask;
    }
}
