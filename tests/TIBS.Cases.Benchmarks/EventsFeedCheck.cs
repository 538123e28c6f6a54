using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// The events feed read while the load runs, page after page, each page from the other web node with the cursor the
/// previous node gave; at the end the whole feed is read again from each node. The order holds when the pages read
/// during the load, one after the other, and each node's whole feed are each the beginning of the longest of them
/// (nothing skipped, nothing twice, nothing reordered) and every case's events come in ascending sequence.
/// </summary>
internal sealed class EventsFeedCheck
{
    private readonly IReadOnlyList<HttpClient> clients;
    private readonly List<FeedItem> seen = [];
    private readonly CancellationTokenSource stop = new();
    private Task? reader;
    private string? cursor;
    private int pages;

    private EventsFeedCheck(IReadOnlyList<HttpClient> clients) => this.clients = clients;

    private sealed record FeedItem(Guid Id, Guid CaseId, int Seq);

    /// <summary>Creates a read token for the account on node A's Preferences page and starts reading.</summary>
    public static async Task<EventsFeedCheck> StartAsync((string Email, string Password) account, IReadOnlyList<PublishedApp> nodes)
    {
        string token;
        using (var browser = new SimulatedBroker(account.Email, account.Password, nodes[0].BaseUrl!))
        {
            await browser.SignInAsync();
            token = await browser.CreateTokenAsync();
        }

        var clients = nodes.Select(n =>
        {
            var c = new HttpClient { BaseAddress = new Uri(n.BaseUrl!), Timeout = TimeSpan.FromSeconds(60) };
            c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return c;
        }).ToList();
        var check = new EventsFeedCheck(clients);
        check.reader = Task.Run(check.ReadWhileLoadedAsync);
        return check;
    }

    public void Stop() => stop.Cancel();

    public async Task<int> FinishAsync()
    {
        await reader!;

        // Catch up with the last commits, then read everything again from each node.
        while (await NextPageAsync(clients[pages % clients.Count]))
        {
        }

        var wholes = new List<List<FeedItem>>();
        foreach (var client in clients)
        {
            var all = new List<FeedItem>();
            string? after = null;
            while (true)
            {
                var (items, next, more) = await PageAsync(client, after);
                all.AddRange(items);
                after = next ?? after;
                if (!more)
                {
                    break;
                }
            }

            wholes.Add(all);
        }

        // Read one after the other, a later read may hold events committed (or released by the feed's horizon) since:
        // every read must be the longest one's beginning, nothing in it skipped, doubled or reordered.
        var longest = wholes.Append(seen).MaxBy(w => w.Count)!.Select(e => e.Id).ToList();
        var samePrefix = wholes.Append(seen).All(w => w.Select(e => e.Id).SequenceEqual(longest.Take(w.Count)));
        var ascending = seen.GroupBy(e => e.CaseId).All(g => g.Select(e => e.Seq).Zip(g.Select(e => e.Seq).Skip(1)).All(p => p.Second > p.First));
        var ok = samePrefix && ascending && seen.Count > 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"events feed: {pages} pages read during the load from both nodes in turn, {seen.Count} events; whole feed per node {string.Join(" / ", wholes.Select(w => w.Count))}; " +
            $"each read the beginning of the longest, in the same order {(samePrefix ? "yes" : "NO")}, every case in ascending sequence {(ascending ? "yes" : "NO")}"));
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return ok ? 0 : 1;
    }

    private async Task ReadWhileLoadedAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            if (!await NextPageAsync(clients[pages % clients.Count]))
            {
                try
                {
                    await Task.Delay(200, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One page from the client after the cursor so far; true when the feed says there is more.</summary>
    private async Task<bool> NextPageAsync(HttpClient client)
    {
        var (items, next, more) = await PageAsync(client, cursor);
        pages++;
        seen.AddRange(items);
        cursor = next ?? cursor;
        return more;
    }

    private static async Task<(List<FeedItem> Items, string? Next, bool More)> PageAsync(HttpClient client, string? after)
    {
        var url = "/api/v1/events?limit=500" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The events feed answered {(int)response.StatusCode}: {body[..Math.Min(200, body.Length)]}");
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var items = root.GetProperty("events").EnumerateArray()
            .Select(e => new FeedItem(e.GetProperty("id").GetGuid(), e.GetProperty("caseId").GetGuid(), e.GetProperty("seq").GetInt32()))
            .ToList();
        var next = root.GetProperty("next") is { ValueKind: JsonValueKind.String } n ? n.GetString() : null;
        return (items, next, root.GetProperty("more").GetBoolean());
    }
}
