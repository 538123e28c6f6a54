using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The errors the running application logged (level Error and above, with their exceptions), so that a test which
/// meets an error page can say what the application wrote about it.
/// </summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> entries = new();

    /// <summary>The logged errors, oldest first.</summary>
    public IReadOnlyList<string> Entries => [.. entries];

    /// <summary>The last <paramref name="count"/> errors as one text (empty when none was logged).</summary>
    public string Last(int count = 3) => string.Join(Environment.NewLine + "---" + Environment.NewLine, entries.TakeLast(count));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
        }
    }
}
