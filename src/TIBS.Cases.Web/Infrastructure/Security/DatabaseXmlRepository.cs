using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using TIBS.Cases.Data;

namespace TIBS.Cases.Web.Infrastructure.Security;

/// <summary>
/// Stores the ASP.NET Core Data Protection key ring in the database, so that several web nodes and restarts share
/// the keys that protect sign-in cookies and antiforgery tokens.
/// </summary>
internal sealed class DatabaseXmlRepository(IDbConnectionFactory db, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var c = db.OpenAsync().GetAwaiter().GetResult();
        return [.. c.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(x => XElement.Parse(x))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var c = db.OpenAsync().GetAwaiter().GetResult();
        c.Execute(
            "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @now)",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = time.GetUtcNow() });
    }
}
