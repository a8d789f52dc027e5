namespace BitEarth.Core.Patches;

/// <summary>
/// Label vocabularies: BigEarthNet's 43 CORINE Land Cover (CLC level-3) names, the 19-class nomenclature of
/// Sumbul et al. ("BigEarthNet-MM", 2021) that recent work reports on, and EuroSAT's 10 classes.
/// </summary>
public static class LandCoverClasses
{
    /// <summary>The 43 CLC level-3 names as BigEarthNet v1 writes them, with their CLC codes.</summary>
    public static readonly IReadOnlyList<(int ClcCode, string Name)> Clc43 =
    [
        (111, "Continuous urban fabric"),
        (112, "Discontinuous urban fabric"),
        (121, "Industrial or commercial units"),
        (122, "Road and rail networks and associated land"),
        (123, "Port areas"),
        (124, "Airports"),
        (131, "Mineral extraction sites"),
        (132, "Dump sites"),
        (133, "Construction sites"),
        (141, "Green urban areas"),
        (142, "Sport and leisure facilities"),
        (211, "Non-irrigated arable land"),
        (212, "Permanently irrigated land"),
        (213, "Rice fields"),
        (221, "Vineyards"),
        (222, "Fruit trees and berry plantations"),
        (223, "Olive groves"),
        (231, "Pastures"),
        (241, "Annual crops associated with permanent crops"),
        (242, "Complex cultivation patterns"),
        (243, "Land principally occupied by agriculture, with significant areas of natural vegetation"),
        (244, "Agro-forestry areas"),
        (311, "Broad-leaved forest"),
        (312, "Coniferous forest"),
        (313, "Mixed forest"),
        (321, "Natural grassland"),
        (322, "Moors and heathland"),
        (323, "Sclerophyllous vegetation"),
        (324, "Transitional woodland/shrub"),
        (331, "Beaches, dunes, sands"),
        (332, "Bare rock"),
        (333, "Sparsely vegetated areas"),
        (334, "Burnt areas"),
        (411, "Inland marshes"),
        (412, "Peatbogs"),
        (421, "Salt marshes"),
        (422, "Salines"),
        (423, "Intertidal flats"),
        (511, "Water courses"),
        (512, "Water bodies"),
        (521, "Coastal lagoons"),
        (522, "Estuaries"),
        (523, "Sea and ocean"),
    ];

    public static readonly IReadOnlyList<string> Names43 = Clc43.Select(c => c.Name).ToArray();

    public static readonly IReadOnlyList<string> Names19 =
    [
        "Urban fabric",
        "Industrial or commercial units",
        "Arable land",
        "Permanent crops",
        "Pastures",
        "Complex cultivation patterns",
        "Land principally occupied by agriculture, with significant areas of natural vegetation",
        "Agro-forestry areas",
        "Broad-leaved forest",
        "Coniferous forest",
        "Mixed forest",
        "Natural grassland and sparsely vegetated areas",
        "Moors, heathland and sclerophyllous vegetation",
        "Transitional woodland, shrub",
        "Beaches, dunes, sands",
        "Inland wetlands",
        "Coastal wetlands",
        "Inland waters",
        "Marine waters",
    ];

    /// <summary>EuroSAT's classes, spelled as its folder names.</summary>
    public static readonly IReadOnlyList<string> EuroSat =
    [
        "AnnualCrop", "Forest", "HerbaceousVegetation", "Highway", "Industrial",
        "Pasture", "PermanentCrop", "Residential", "River", "SeaLake",
    ];

    // 19-class index per CLC code; codes absent here (roads, ports, airports, mines, dumps, construction,
    // green urban, sport, bare rock, burnt areas, intertidal flats) have no 19-class counterpart by design.
    private static readonly Dictionary<int, int> ClcTo19 = new()
    {
        [111] = 0, [112] = 0, [121] = 1,
        [211] = 2, [212] = 2, [213] = 2,
        [221] = 3, [222] = 3, [223] = 3, [241] = 3,
        [231] = 4, [242] = 5, [243] = 6, [244] = 7,
        [311] = 8, [312] = 9, [313] = 10,
        [321] = 11, [333] = 11, [322] = 12, [323] = 12, [324] = 13, [331] = 14,
        [411] = 15, [412] = 15, [421] = 16, [422] = 16,
        [511] = 17, [512] = 17, [521] = 18, [522] = 18, [523] = 18,
    };

    private static readonly Dictionary<string, int> CodeByName43 = Clc43.ToDictionary(c => c.Name, c => c.ClcCode, StringComparer.Ordinal);
    private static readonly Dictionary<int, string> NameByCode = Clc43.ToDictionary(c => c.ClcCode, c => c.Name);

    public static bool IsName43(string name) => CodeByName43.ContainsKey(name);

    public static bool IsName19(string name) => Names19.Contains(name, StringComparer.Ordinal);

    /// <summary>The 43-class name of a CLC level-3 code, or null when the code is not one of BigEarthNet's 43.</summary>
    public static string? NameOfClcCode(int clcCode) => NameByCode.GetValueOrDefault(clcCode);

    /// <summary>
    /// The 19-class name a 43-class name folds into, or null for the 11 classes the 19-class nomenclature drops.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of the 43.</exception>
    public static string? Map43To19(string name43)
    {
        if (!CodeByName43.TryGetValue(name43, out var code))
            throw new ArgumentException($"'{name43}' is not one of BigEarthNet's 43 CLC class names", nameof(name43));
        return ClcTo19.TryGetValue(code, out var index) ? Names19[index] : null;
    }

    /// <summary>The distinct 19-class labels of a 43-class label set, in 19-class order.</summary>
    public static IReadOnlyList<string> Map43To19(IEnumerable<string> names43)
    {
        var indices = new SortedSet<int>();
        foreach (var name in names43)
            if (Map43To19(name) is { } name19)
                indices.Add(IndexOf19(name19));
        return indices.Select(i => Names19[i]).ToArray();
    }

    /// <summary>
    /// The labels retrieval is trained and scored on: a BigEarthNet label set (43-class names) folded into the
    /// 19-class nomenclature recent work reports on; any other label set (EuroSAT classes) as it is.
    /// </summary>
    public static IReadOnlyList<string> ForScoring(IReadOnlyList<string> labels) =>
        labels.Count > 0 && labels.All(IsName43) ? Map43To19(labels) : labels;

    /// <summary>The patch's own 19-class labels where its archive gives them (BigEarthNet v2's metadata), else <see cref="ForScoring(IReadOnlyList{string})"/> of its labels.</summary>
    public static IReadOnlyList<string> ForScoring(Patch patch) => patch.Labels19 ?? ForScoring(patch.Labels);

    private static int IndexOf19(string name19) => ((IList<string>)Names19).IndexOf(name19);
}
