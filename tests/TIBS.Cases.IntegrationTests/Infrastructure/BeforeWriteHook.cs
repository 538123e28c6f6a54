using System.Reflection;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>
/// A case store that runs a step of the test once, just before the first write it is told to wait for, and then lets
/// that write go on: a test so puts another command exactly between one command's read and its write, as a race
/// could, every time.
/// </summary>
public class BeforeWriteHook : DispatchProxy
{
    private ICaseStore inner = null!;
    private Func<CaseWrite, bool> when = null!;
    private Func<Task> before = null!;
    private int fired;

    /// <summary>Whether the step ran.</summary>
    public bool Fired => Volatile.Read(ref fired) == 1;

    /// <summary><paramref name="inner"/>, running <paramref name="before"/> ahead of the first write <paramref name="when"/> picks.</summary>
    public static (ICaseStore Store, BeforeWriteHook Hook) Wrap(ICaseStore inner, Func<CaseWrite, bool> when, Func<Task> before)
    {
        var store = Create<ICaseStore, BeforeWriteHook>();
        var hook = (BeforeWriteHook)(object)store;
        (hook.inner, hook.when, hook.before) = (inner, when, before);
        return (store, hook);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(ICaseStore.CommitAsync) && args is [CaseWrite write, CancellationToken k] && when(write) && Interlocked.Exchange(ref fired, 1) == 0)
        {
            return BeforeThenCommitAsync(write, k);
        }

        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private async Task BeforeThenCommitAsync(CaseWrite write, CancellationToken k)
    {
        await before();
        await inner.CommitAsync(write, k);
    }
}
