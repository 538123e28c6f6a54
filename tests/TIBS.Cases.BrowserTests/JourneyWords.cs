using System.Globalization;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The words of the interface the journeys' shared steps find elements by, as a user of each language reads them
/// (written out here, not read from the resources: a test of the translation must not repeat what it tests).
/// </summary>
internal sealed record JourneyWords(string EMail, string Password, string SignIn, string SignOut, string Shortlist, string RecordCheckInFormat)
{
    public static readonly JourneyWords English = new("E-mail", "Password", "Sign in", "Sign out", "Shortlist", "Record check-in {0}");

    public static readonly JourneyWords Latvian = new("E-pasts", "Parole", "Pieteikties", "Iziet", "Iekļaut atlasē", "Reģistrēt starpposma pārbaudi {0}");

    public static readonly JourneyWords German = new("E-Mail", "Passwort", "Anmelden", "Abmelden", "In die engere Wahl", "Zwischenstand {0} erfassen");

    /// <summary>The button that records the <paramref name="occurrence"/>-th check-in.</summary>
    public string RecordCheckIn(int occurrence) => string.Format(CultureInfo.InvariantCulture, RecordCheckInFormat, occurrence);
}
