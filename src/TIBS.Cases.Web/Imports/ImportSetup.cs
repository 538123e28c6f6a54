namespace TIBS.Cases.Web.Imports;

internal static class ImportSetup
{
    /// <summary>Company imports: the checked file's rows are kept in memory between the dry run and the import.</summary>
    public static IServiceCollection AddTibsImports(this IServiceCollection services) => services.AddMemoryCache();
}
