using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace TIBS.Cases.Web.Infrastructure.Jobs;

/// <summary>
/// Hangfire's log provider over the application's logger factory. Hangfire keeps its log provider and many of its
/// loggers in static fields, so a logger can outlive the host whose factory made it (a host stopped while another
/// runs in the same process, as the command line and hosted tests do). Such a logger goes silent instead of throwing
/// <see cref="ObjectDisposedException"/> into whatever request or job happened to log.
/// </summary>
internal sealed class HangfireLogging(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name) => new Logger(factory, name);

    private sealed class Logger(ILoggerFactory factory, string name) : ILog
    {
        private ILogger? logger;
        private bool gone;

        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (gone)
            {
                return false;
            }

            try
            {
                logger ??= factory.CreateLogger(name);
                var level = Map(logLevel);
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

                if (!logger.IsEnabled(level))
                {
                    return false;
                }

                logger.Log(level, 0, exception, "{Message}", messageFunc());
                return true;
            }
            catch (ObjectDisposedException)
            {
                gone = true;
                return false;
            }
        }

        private static MsLevel Map(HangfireLevel level) => level switch
        {
            HangfireLevel.Trace => MsLevel.Trace,
            HangfireLevel.Debug => MsLevel.Debug,
            HangfireLevel.Info => MsLevel.Information,
            HangfireLevel.Warn => MsLevel.Warning,
            HangfireLevel.Error => MsLevel.Error,
            HangfireLevel.Fatal => MsLevel.Critical,
            _ => MsLevel.Information,
        };
    }
}
