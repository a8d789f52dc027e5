using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Patches;

public class LandCoverClassesTests
{
    [Fact]
    public void Vocabularies_have_their_published_sizes()
    {
        Assert.Equal(43, LandCoverClasses.Names43.Distinct().Count());
        Assert.Equal(19, LandCoverClasses.Names19.Distinct().Count());
        Assert.Equal(10, LandCoverClasses.EuroSat.Distinct().Count());
    }

    [Fact]
    public void Every_19_class_is_reached_and_11_classes_are_dropped()
    {
        var mapped = LandCoverClasses.Names43.Select(LandCoverClasses.Map43To19).ToList();
        Assert.Equal(LandCoverClasses.Names19.Order(), mapped.OfType<string>().Distinct().Order());
        Assert.Equal(11, mapped.Count(m => m is null));
    }

    [Theory]
    [InlineData("Continuous urban fabric", "Urban fabric")]
    [InlineData("Discontinuous urban fabric", "Urban fabric")]
    [InlineData("Rice fields", "Arable land")]
    [InlineData("Annual crops associated with permanent crops", "Permanent crops")]
    [InlineData("Sparsely vegetated areas", "Natural grassland and sparsely vegetated areas")]
    [InlineData("Sclerophyllous vegetation", "Moors, heathland and sclerophyllous vegetation")]
    [InlineData("Transitional woodland/shrub", "Transitional woodland, shrub")]
    [InlineData("Peatbogs", "Inland wetlands")]
    [InlineData("Salines", "Coastal wetlands")]
    [InlineData("Water courses", "Inland waters")]
    [InlineData("Estuaries", "Marine waters")]
    [InlineData("Airports", null)]
    [InlineData("Burnt areas", null)]
    [InlineData("Intertidal flats", null)]
    public void Known_43_names_fold_into_the_19_nomenclature(string name43, string? name19) =>
        Assert.Equal(name19, LandCoverClasses.Map43To19(name43));

    [Fact]
    public void Label_sets_fold_to_distinct_19_names_in_nomenclature_order() =>
        Assert.Equal(["Urban fabric", "Arable land", "Inland waters"],
            LandCoverClasses.Map43To19(["Water bodies", "Discontinuous urban fabric", "Airports", "Continuous urban fabric", "Non-irrigated arable land"]));

    [Fact]
    public void Unknown_name_is_rejected() =>
        Assert.Throws<ArgumentException>(() => LandCoverClasses.Map43To19("Lunar regolith"));

    [Fact]
    public void Clc_codes_name_the_43_classes()
    {
        Assert.Equal("Sea and ocean", LandCoverClasses.NameOfClcCode(523));
        Assert.Null(LandCoverClasses.NameOfClcCode(999));
    }
}
