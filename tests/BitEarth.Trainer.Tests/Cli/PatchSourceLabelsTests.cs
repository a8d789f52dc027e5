using BitEarth.Core.Patches;
using BitEarth.Trainer.Cli;

namespace BitEarth.Trainer.Tests.Cli;

/// <summary>Training and evaluation read BigEarthNet labels in the 19-class nomenclature; EuroSAT's classes stay.</summary>
public class PatchSourceLabelsTests
{
    // The team's sample data beside the repository (the folder holding Serverless.sln).
    private static readonly string SharedData = Path.Combine(Root(new DirectoryInfo(AppContext.BaseDirectory)), "..", "shared", "data");

    private static string Root(DirectoryInfo dir) =>
        File.Exists(Path.Combine(dir.FullName, "Serverless.sln")) ? dir.FullName : Root(dir.Parent ?? throw new DirectoryNotFoundException("no Serverless.sln above the tests"));

    [Fact]
    public void BigEarthNet_labels_arrive_folded_into_19_classes()
    {
        var patches = PatchSource.Archive(Path.Combine(SharedData, "bigearthnet-v1"), _ => { }).ToList();
        Assert.NotEmpty(patches);
        Assert.All(patches.SelectMany(p => p.Labels), label => Assert.Contains(label, LandCoverClasses.Names19));
        Assert.Contains(patches.SelectMany(p => p.Labels), label => !LandCoverClasses.IsName43(label));
    }

    [Fact]
    public void EuroSat_classes_are_kept()
    {
        var patches = PatchSource.Archive(Path.Combine(SharedData, "eurosat-ms", "Forest"), _ => { }).ToList();
        Assert.NotEmpty(patches);
        Assert.All(patches, p => Assert.Equal(["Forest"], p.Labels));
    }
}
