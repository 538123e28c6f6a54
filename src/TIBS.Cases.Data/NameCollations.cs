using Microsoft.Data.Sqlite;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Data;

/// <summary>
/// The database collation of each <see cref="NameOrder"/>, per provider (decision 0047). Lists sorted by name write
/// <c>ORDER BY name COLLATE …, id</c> and their keyset condition with the same collation, so that the cursor and the
/// order agree.
/// <list type="bullet">
/// <item>SQLite: <c>tibs_lt</c> etc., registered on every connection the factory opens (<see cref="Register"/>), comparing
/// with <see cref="NameOrder.Compare"/>.</item>
/// <item>PostgreSQL: the ICU collations <c>tibs_lt</c> etc. that schema script 0032 creates, each with its index.</item>
/// <item>SQL Server: its own collation of the language, case-insensitive and accent-sensitive (an accent-insensitive
/// one would sort "Sõber" and "Sober" as one name, leaving their order to the id); Finnish and Swedish share one,
/// English and German use Latin1_General (German dictionary order, as ICU's German).</item>
/// </list>
/// </summary>
internal static class NameCollations
{
    /// <summary>The name of the collation (SQLite and PostgreSQL) for an order: tibs_lt.</summary>
    public static string Name(NameOrder order) => $"tibs_{order.Language}";

    /// <summary><paramref name="column"/> COLLATE the collation of <paramref name="order"/> on <paramref name="provider"/>.</summary>
    public static string Collate(string column, NameOrder order, DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.SqlServer => $"{column} COLLATE {SqlServer(order)}",
        _ => $"{column} COLLATE {Name(order)}",
    };

    /// <summary>The SQL Server collation of an order.</summary>
    public static string SqlServer(NameOrder order) => order.Language switch
    {
        "pl" => "Polish_100_CI_AS",
        "lv" => "Latvian_100_CI_AS",
        "et" => "Estonian_100_CI_AS",
        "lt" => "Lithuanian_100_CI_AS",
        "fi" or "sv" => "Finnish_Swedish_100_CI_AS",
        "da" => "Danish_Norwegian_100_CI_AS",
        _ => "Latin1_General_100_CI_AS",
    };

    /// <summary>Registers every order's collation on a SQLite connection (they live only as long as the connection).</summary>
    public static void Register(SqliteConnection connection)
    {
        foreach (var order in NameOrder.All)
        {
            connection.CreateCollation(Name(order), order.Compare);
        }
    }
}
