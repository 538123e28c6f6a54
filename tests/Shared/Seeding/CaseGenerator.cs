using Bogus;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>
/// Generates a slice of cases, in the order they opened (<see cref="OrderByOpening"/>), on several threads with the
/// same rows as one thread would make: every case draws from its own generator (seeded by the run's seed and the case's
/// number), reference numbers are taken in opening order between the two parallel halves (<see cref="CaseSeeder.Begin"/>,
/// <see cref="CaseSeeder.Finish"/>), and the rows of each chunk of cases are put together in that order.
/// </summary>
internal sealed class CaseGenerator
{
    private const int Chunk = 32;

    /// <summary>One Faker per thread, reused: making one per case costs more than the case.</summary>
    [ThreadStatic]
    private static Faker? threadFaker;

    private readonly CaseSeeder seeder;
    private readonly ParallelOptions parallel;
    private readonly int[] order;

    public CaseGenerator(CaseSeeder seeder, int workers, int count)
    {
        this.seeder = seeder;
        parallel = new() { MaxDegreeOfParallelism = Math.Max(1, workers) };
        order = OrderByOpening(count);
    }

    /// <summary>
    /// The <paramref name="count"/> case numbers in the order the cases opened, as a programme's database receives
    /// them: each batch then holds the cases of a few days, and their rows' ids, which follow the rows' times, fall near
    /// each other in every key instead of all over it (a database's B-trees stay in its cache as they grow). Each case's opening is
    /// drawn by <see cref="CaseSeeder.Begin"/>, so the rows are the same whatever the number of threads; cases opened in
    /// the same second keep their numbers' order.
    /// </summary>
    private int[] OrderByOpening(int count)
    {
        if (count >= TimeSpan.TicksPerSecond)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "The seed orders at most ten million cases.");
        }

        // Openings are whole seconds: the case's number in the ticks below makes every key distinct.
        var keys = new long[count];
        var chunks = (count + Chunk - 1) / Chunk;
        Parallel.For(0, chunks, parallel, c =>
        {
            var f = threadFaker ??= new Faker();
            for (var i = c * Chunk; i < Math.Min(count, (c + 1) * Chunk); i++)
            {
                keys[i] = seeder.Begin(f, i).Opened.UtcTicks + i;
            }
        });

        int[] numbers = [.. Enumerable.Range(0, count)];
        Array.Sort(keys, numbers);
        return numbers;
    }

    public SeedBatch Generate(int from, int to)
    {
        var count = to - from;
        var chunks = (count + Chunk - 1) / Chunk;
        var starts = new CaseStart[count];
        Parallel.For(0, chunks, parallel, c =>
        {
            var f = threadFaker ??= new Faker();
            for (var i = c * Chunk; i < Math.Min(count, (c + 1) * Chunk); i++)
            {
                starts[i] = seeder.Begin(f, order[from + i]);
            }
        });

        var numbers = new int[count];
        for (var i = 0; i < count; i++)
        {
            numbers[i] = seeder.Number(starts[i]);
        }

        var parts = new SeedBatch[chunks];
        Parallel.For(0, chunks, parallel, c =>
        {
            var f = threadFaker ??= new Faker();
            var part = new SeedBatch();
            for (var i = c * Chunk; i < Math.Min(count, (c + 1) * Chunk); i++)
            {
                seeder.Finish(f, starts[i], numbers[i], part);
            }

            parts[c] = part;
        });

        return SeedBatch.Concat(parts);
    }
}
