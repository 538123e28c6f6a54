using Microsoft.Extensions.Logging;
using TIBS.Cases.Web.Infrastructure.Jobs;
using HangfireLevel = Hangfire.Logging.LogLevel;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Hangfire keeps loggers in static fields, so one made by a host that has stopped can be called by a request or a
/// job of the next host in the same process. That call must not turn into an error page.
/// </summary>
public sealed class HangfireLoggingTests
{
    [Fact]
    public void Hangfire_messages_reach_the_application_log_at_their_level()
    {
        var captured = new CapturingProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(captured));
        var log = new HangfireLogging(factory).GetLogger("Hangfire.Server.Worker");

        Assert.True(log.Log(HangfireLevel.Warn, () => "Slow storage: 3 retries"));
        Assert.False(log.Log(HangfireLevel.Debug, () => "not written"));
        Assert.True(log.Log(HangfireLevel.Info, null));
        Assert.False(log.Log(HangfireLevel.Trace, null));

        var line = Assert.Single(captured.Lines);
        Assert.Equal(("Hangfire.Server.Worker", LogLevel.Warning, "Slow storage: 3 retries"), line);
    }

    [Fact]
    public void A_logger_of_a_stopped_host_goes_silent_instead_of_throwing()
    {
        var factory = LoggerFactory.Create(b => b.AddProvider(new CapturingProvider()));
        var provider = new HangfireLogging(factory);
        var made = provider.GetLogger("Hangfire.BackgroundJobClient");
        Assert.True(made.Log(HangfireLevel.Error, () => "before the host stopped"));

        factory.Dispose();

        var exception = Record.Exception(() =>
        {
            made.Log(HangfireLevel.Error, () => "after the host stopped", new InvalidOperationException());
            Assert.False(provider.GetLogger("Hangfire.Storage").Log(HangfireLevel.Warn, () => "a logger made afterwards"));
        });
        Assert.Null(exception);
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        private readonly List<(string, LogLevel, string)> lines = [];

        public IReadOnlyList<(string Category, LogLevel Level, string Message)> Lines => lines;

        public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Capturing(CapturingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.lines.Add((category, logLevel, formatter(state, exception)));
        }
    }
}
