using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// A tiny SMTP server on the loopback interface that accepts every mail and records its Message-ID and the moment it
/// answered "250" (the moment the mail counts as accepted). It lives in the benchmark process, so it outlives the
/// workers that are killed. An optional delay per mail keeps dispatch going long enough to be interrupted.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public SmtpSink(TimeSpan delayPerMail)
    {
        DelayPerMail = delayPerMail;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = AcceptAsync(stop.Token);
    }

    public int Port { get; }

    public TimeSpan DelayPerMail { get; }

    public ConcurrentQueue<(string MessageId, DateTimeOffset At)> Accepted { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            _ = Task.Run(() => ServeAsync(client, cancellationToken), cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink.localhost ESMTP");
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                    case "HELO":
                        await writer.WriteLineAsync("250 sink.localhost");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        string? messageId = null;
                        var complete = false;
                        while (await reader.ReadLineAsync(cancellationToken) is { } data)
                        {
                            if (data == ".")
                            {
                                complete = true;
                                break;
                            }

                            if (messageId is null && data.StartsWith("Message-Id:", StringComparison.OrdinalIgnoreCase))
                            {
                                messageId = data["Message-Id:".Length..].Trim().Trim('<', '>');
                            }
                        }

                        if (!complete)
                        {
                            return; // the sender died in the middle of the message: nothing was accepted
                        }

                        if (DelayPerMail > TimeSpan.Zero)
                        {
                            await Task.Delay(DelayPerMail, cancellationToken);
                        }

                        Accepted.Enqueue((messageId ?? "(none)", DateTimeOffset.UtcNow));
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    case "MAIL":
                    case "RCPT":
                    case "RSET":
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the worker was killed mid-conversation, or the sink stops
        }
    }
}
