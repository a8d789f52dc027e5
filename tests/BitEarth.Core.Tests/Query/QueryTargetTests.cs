using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Tests.Hashing;

namespace BitEarth.Core.Tests.Query;

/// <summary>Which modalities a query searches, and the targets an encoder cannot rank honestly (refused with the reason).</summary>
public sealed class QueryTargetTests
{
    private static readonly LshHasher Lsh = LshHasher.Create(64, 42);
    private static readonly RecordingHasher Shared = new(Lsh, shared: true);
    private static readonly RecordingHasher S2Only = new(Lsh, shared: false, modalities: new HashSet<Modality> { Modality.S2 });

    [Theory]
    [InlineData(Modality.S2, QueryTarget.S2, "S2")]
    [InlineData(Modality.S1, QueryTarget.S1, "S1")]
    [InlineData(Modality.S2, null, "S2")]
    [InlineData(Modality.S1, null, "S1")]
    public void Lsh_searches_the_query_modality(Modality source, QueryTarget? target, string expected) =>
        Assert.Equal(expected, string.Join(",", ArchiveSearch.Targets(Lsh, source, target)));

    [Theory]
    [InlineData(Modality.S2, QueryTarget.S1)]
    [InlineData(Modality.S1, QueryTarget.S2)]
    [InlineData(Modality.S2, QueryTarget.Any)]
    public void Lsh_refuses_to_rank_across_its_separate_code_spaces(Modality source, QueryTarget target)
    {
        var refused = Assert.Throws<QueryTargetException>(() => ArchiveSearch.Targets(Lsh, source, target));
        Assert.Contains("separate code spaces", refused.Message);
        Assert.Contains(Lsh.Version, refused.Message);
    }

    [Theory]
    [InlineData(Modality.S2, QueryTarget.S1, "S1")]
    [InlineData(Modality.S1, QueryTarget.Any, "S1,S2")]
    [InlineData(Modality.S2, null, "S1,S2")]
    public void A_shared_code_space_searches_across_modalities(Modality source, QueryTarget? target, string expected) =>
        Assert.Equal(expected, string.Join(",", ArchiveSearch.Targets(Shared, source, target)));

    [Fact]
    public void A_modality_the_encoder_has_no_model_for_is_refused()
    {
        var refused = Assert.Throws<QueryTargetException>(() => ArchiveSearch.Targets(S2Only, Modality.S2, QueryTarget.S1));
        Assert.Contains("has no S1 model", refused.Message);
        Assert.Equal("S2", string.Join(",", ArchiveSearch.Targets(S2Only, Modality.S2, QueryTarget.Any)));
    }
}
