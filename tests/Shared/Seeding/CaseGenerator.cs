using Bogus;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>
/// Generates a slice of cases on several threads with the same rows as one thread would make: every case draws from
/// its own generator (seeded by the run's seed and the case's number), reference numbers are taken in case order
/// between the two parallel halves (<see cref="CaseSeeder.Begin"/>, <see cref="CaseSeeder.Finish"/>), and the rows of
/// each chunk of cases are put together in case order.
/// </summary>
internal sealed class CaseGenerator(CaseSeeder seeder, int workers)
{
    private const int Chunk = 32;

    /// <summary>One Faker per thread, reused: making one per case costs more than the case.</summary>
    [ThreadStatic]
    private static Faker? threadFaker;

    private readonly ParallelOptions parallel = new() { MaxDegreeOfParallelism = Math.Max(1, workers) };

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
                starts[i] = seeder.Begin(f, from + i);
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
