using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Patches;

public class EuroSatTests
{
    private static IEnumerable<string> Paths =>
        Directory.EnumerateFiles(SharedData.EuroSat, "*.tif", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static TheoryData<string> Files => new(Paths);

    [Theory, MemberData(nameof(Files))]
    public void File_reads_as_12_S2_bands_with_its_folder_as_label(string file)
    {
        var read = EuroSatReader.ReadFile(file);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), read.Id);
        Assert.Equal([Path.GetFileName(Path.GetDirectoryName(file))!], read.Labels);
        Assert.Equal((Modality.S2, 64, 64), (read.Modality, read.Width, read.Height));
        Assert.Equal(Bands.S2, read.BandNames);
        Assert.Equal(12 * 64 * 64, read.Pixels.Length);
    }

    [Fact]
    public void Sample_has_12_files_for_each_of_the_10_classes()
    {
        var byClass = Paths.Select(f => Path.GetFileName(Path.GetDirectoryName(f))).GroupBy(c => c).ToList();
        Assert.Equal(LandCoverClasses.EuroSat.Order(), byClass.Select(g => g.Key).Order());
        Assert.All(byClass, g => Assert.Equal(12, g.Count()));
    }

    [Fact]
    public void Band_order_puts_B8A_next_to_B08_and_drops_cirrus()
    {
        var patches = Paths.Select(EuroSatReader.ReadFile).ToList();
        double Mean(string band) => patches.Average(p => p.Band(Bands.S2.ToList().IndexOf(band)).ToArray().Average());
        // B8A (865 nm) and B08 (842 nm) see nearly the same; cirrus (B10) is near zero everywhere.
        Assert.InRange(Mean("B8A") / Mean("B08"), 0.9, 1.2);
        Assert.All(Bands.S2, band => Assert.True(Mean(band) > 100, $"{band} mean {Mean(band)} looks like cirrus"));
    }
}
