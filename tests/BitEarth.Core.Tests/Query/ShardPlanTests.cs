using BitEarth.Core.Codes;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;

namespace BitEarth.Core.Tests.Query;

/// <summary>How a plan's groups become the searches of a durable fan-out, with and without a residency cap.</summary>
public sealed class ShardPlanTests
{
    private static readonly ArchiveOptions Options = new();

    private static IReadOnlyList<ShardGroup> Plan(ulong code) => ShardPlan.For(
        new PreparedQuery("enc", new HammingCode(64, [code]), null, [Modality.S1, Modality.S2], 10), Options.PrefixBits, Options.ShardsPerGroup);

    [Fact]
    public void Uncapped_one_search_visits_every_group_in_plan_order()
    {
        var plan = Plan(0xF0F0_1234_5678_9ABCUL);
        var search = Assert.Single(ShardPlan.Searches(plan, capped: false));
        Assert.Equal(plan.Select(g => g.Name), search.Select(g => g.Name));
        Assert.Equal(2 * (1 << Options.PrefixBits) / Options.ShardsPerGroup, search.Count);
    }

    [Fact]
    public void Capped_each_search_is_one_whole_group_so_an_instance_can_hold_it()
    {
        var plan = Plan(0x0123_4567_89AB_CDEFUL);
        var searches = ShardPlan.Searches(plan, capped: true);
        Assert.Equal(plan.Count, searches.Count);
        Assert.All(searches, s => Assert.Single(s));
        Assert.Equal(plan.Select(g => g.Name), searches.Select(s => s[0].Name));
        var fixedGroups = ShardPlan.Groups(Options.PrefixBits, Options.ShardsPerGroup).Select(p => string.Join(',', p)).ToHashSet();
        Assert.All(searches, s => Assert.Contains(string.Join(',', s[0].Prefixes.Order()), fixedGroups));
    }
}
