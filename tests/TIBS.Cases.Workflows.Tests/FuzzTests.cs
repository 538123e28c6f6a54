using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TIBS.Cases.Fuzzing;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>
/// A few hundred fuzz cases of the loader and validator on every run (the benchmark command fuzz-definitions runs
/// many more): no exception escapes, every problem has a line, and checking one case allocates a bounded amount.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] Shipped =
        [TestFiles.ReadWorkflow("joint-smart-strategy/v1.yaml"), TestFiles.ReadWorkflow("joint-smart-strategy/v2.yaml")];

    private static Property Holds(Gen<byte[]> cases) =>
        Prop.ForAll(cases.ToArbitrary(), bytes =>
        {
            var result = DefinitionFuzz.Run(bytes);
            Assert.Null(result.Crash);
            Assert.Equal(0, result.ProblemsWithoutLine);
            Assert.InRange(result.AllocatedBytes, 0, DefinitionFuzz.AllocationBound);
        });

    [Property(MaxTest = 100)]
    public Property Structured_documents_never_crash_the_check() => Holds(DefinitionFuzz.Structured().Select(System.Text.Encoding.UTF8.GetBytes));

    [Property(MaxTest = 60)]
    public Property Mutations_of_the_shipped_definitions_never_crash_the_check() => Holds(DefinitionFuzz.Mutated(Shipped));

    [Property(MaxTest = 30)]
    public Property Known_attacks_of_any_size_are_problems_not_crashes() => Holds(DefinitionFuzz.Attacks().Select(System.Text.Encoding.UTF8.GetBytes));

    [Fact]
    public void The_generators_reach_valid_definitions_and_every_kind_of_problem()
    {
        // Valid documents are a small share of the generated ones (100 random cases held none now and then): 500 cases
        // from a fixed seed, so that what this asserts of the generators does not depend on the run.
        var results = DefinitionFuzz.Cases(Shipped).Sample(500, new Rnd(20261205UL), 50).Select(DefinitionFuzz.Run).ToList();

        Assert.Equal(500, results.Count);
        Assert.All(results, r => Assert.Null(r.Crash));
        Assert.Contains(results, r => r.Valid);
        Assert.Contains(results, r => !r.Valid);
    }
}
