using BitEarth.Core.Geo;

namespace BitEarth.Core.Patches;

/// <summary>
/// Reads one BigEarthNet patch (v1 or v2 layout) from its files: one GeoTIFF per band named
/// <c>&lt;patch&gt;_&lt;band&gt;.tif</c>, plus optionally <c>&lt;patch&gt;_labels_metadata.json</c> (v1) or
/// <c>&lt;patch&gt;_reference_map.tif</c> (v2), and <c>&lt;patch&gt;_labels19.json</c> (v2's own 19-class labels, from
/// its metadata.parquet). The modality follows from the band set.
/// </summary>
public static class BigEarthNetReader
{
    /// <summary>BigEarthNet patches cover 1.2 km: 120 px at 10 m.</summary>
    public const int GridSize = 120;

    // Ground sampling distance of each band over 10 m: 60 m bands are stored at 20 px, 20 m bands at 60 px.
    private static readonly Dictionary<string, int> S2Downscale = new()
    {
        ["B01"] = 6, ["B02"] = 1, ["B03"] = 1, ["B04"] = 1, ["B05"] = 2, ["B06"] = 2, ["B07"] = 2,
        ["B08"] = 1, ["B8A"] = 2, ["B09"] = 6, ["B11"] = 2, ["B12"] = 2,
    };

    /// <summary>
    /// Reads a patch folder. In the v2 layout the 43-class labels come from the matching reference map under
    /// Reference_Maps, and the 19-class labels (<see cref="Patch.Labels19"/>) from the root's metadata.parquet when
    /// it lists the patch; a patch it does not list, or an archive without it, keeps the fold of the 43.
    /// </summary>
    public static Patch ReadFolder(string folder) => ReadFolder(folder, v2Metadata: null);

    /// <inheritdoc cref="ReadFolder(string)"/>
    /// <param name="folder">The patch folder.</param>
    /// <param name="v2Metadata">The root's parquet, already read, for callers reading many folders; null reads it here.</param>
    public static Patch ReadFolder(string folder, BigEarthNetV2Metadata? v2Metadata)
    {
        var files = PatchFolder.Files(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);
        var patch = Read(files, source: folder);
        v2Metadata ??= PatchFolder.V2Root(folder) is { } root ? BigEarthNetV2Metadata.ReadRoot(root) : null;
        return v2Metadata?.Labels19Of(patch.Id) is { } labels19 ? patch with { Labels19 = labels19 } : patch;
    }

    /// <summary>Reads a patch from its files, keyed by file name (no directories).</summary>
    /// <param name="source">Names the container (folder or blob) in errors about the set as a whole.</param>
    public static Patch Read(IReadOnlyDictionary<string, byte[]> files, string source)
    {
        string? id = null;
        var bands = new Dictionary<string, (string File, byte[] Bytes)>(StringComparer.Ordinal);
        (string File, byte[] Bytes)? metadata = null, referenceMap = null, labels19 = null;
        foreach (var (name, bytes) in files)
        {
            string prefix;
            if (name.EndsWith(BigEarthNetMetadata.FileSuffix, StringComparison.Ordinal))
                (prefix, metadata) = (name[..^BigEarthNetMetadata.FileSuffix.Length], (name, bytes));
            else if (name.EndsWith(ReferenceMap.FileSuffix, StringComparison.Ordinal))
                (prefix, referenceMap) = (name[..^ReferenceMap.FileSuffix.Length], (name, bytes));
            else if (name.EndsWith(BigEarthNetV2Metadata.EntrySuffix, StringComparison.Ordinal))
                (prefix, labels19) = (name[..^BigEarthNetV2Metadata.EntrySuffix.Length], (name, bytes));
            else if (name.EndsWith(".tif", StringComparison.OrdinalIgnoreCase) && name.LastIndexOf('_') is > 0 and var cut)
            {
                prefix = name[..cut];
                bands[name[(cut + 1)..^4]] = (name, bytes);
            }
            else
                throw new PatchFormatException(name, "not a BigEarthNet band GeoTIFF, labels_metadata.json, reference map or labels19.json");
            if (id is not null && id != prefix)
                throw new PatchFormatException(name, $"belongs to patch '{prefix}', not '{id}'");
            id = prefix;
        }
        if (id is null || bands.Count == 0)
            throw new PatchFormatException(source, "no band GeoTIFFs");

        var modality = bands.Keys.All(Bands.S1.Contains) ? Modality.S1 : Modality.S2;
        var expected = Bands.For(modality);
        var missing = expected.Except(bands.Keys).ToArray();
        var extra = bands.Keys.Except(expected).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new PatchFormatException(extra.Length > 0 ? bands[extra[0]].File : source,
                $"wrong band set for {modality}: missing [{string.Join(",", missing)}], unexpected [{string.Join(",", extra)}]");

        var pixels = new float[expected.Count * GridSize * GridSize];
        for (int b = 0; b < expected.Count; b++)
        {
            var (file, bytes) = bands[expected[b]];
            int downscale = modality == Modality.S2 ? S2Downscale[expected[b]] : 1;
            ReadBand(file, bytes, downscale, pixels.AsSpan(b * GridSize * GridSize, GridSize * GridSize));
        }

        var meta = metadata is { } m ? BigEarthNetMetadata.Parse(m.File, m.Bytes) : null;
        var labels = meta?.Labels
            ?? (referenceMap is { } r ? ReferenceMap.Labels(r.File, r.Bytes, GridSize, GridSize) : []);
        return new Patch(id, modality, GridSize, GridSize, expected, pixels, labels)
        {
            PairedId = meta?.PairedId,
            AcquiredAt = meta?.AcquiredAt ?? SentinelNames.AcquiredAt(id),
            Footprint = FootprintOf(meta, bands[expected[modality == Modality.S1 ? 0 : 1]].Bytes),
            Labels19 = labels19 is { } l ? BigEarthNetV2Metadata.ParseEntry(l.File, l.Bytes) : null,
            Tile = (meta?.TileSource is { } product ? SentinelNames.Tile(product) : null) ?? SentinelNames.Tile(id),
        };
    }

    // The metadata's UTM corners where it has them (v1); else the GeoTIFF tags of a 10 m band (VV or B02; v2 has no JSON).
    private static GeoFootprint? FootprintOf(BigEarthNetMetadata? meta, byte[] tenMetreBand) =>
        meta is { Bounds: { } b, Epsg: { } epsg } && UtmZone.FromEpsg(epsg) is not null
            ? GeoFootprint.FromUtm(epsg, b.Ulx, b.Uly, b.Lrx, b.Lry)
            : GeoTiffGeoreference.Footprint(tenMetreBand);

    private static void ReadBand(string file, byte[] bytes, int downscale, Span<float> target)
    {
        var raster = TiffRaster.Decode(file, bytes);
        int native = GridSize / downscale;
        if (raster.Bands != 1)
            throw new PatchFormatException(file, $"{raster.Bands} samples per pixel, expected 1");
        // Accept the native resolution or bands already resampled to the 10 m grid.
        if (raster.Width != raster.Height || (raster.Width != native && raster.Width != GridSize))
            throw new PatchFormatException(file,
                $"size {raster.Width}x{raster.Height}, expected {native}x{native}" + (native != GridSize ? $" or {GridSize}x{GridSize}" : ""));
        PixelChecks.RequireFinite(file, raster.Pixels);

        // Nearest neighbour (each coarse pixel replicated over the f x f 10 m pixels it covers): the 20 m and 60 m
        // grids are aligned with the 10 m grid, so every output pixel keeps a value the sensor measured for its
        // footprint. Interpolation would invent smoothed values and blur the per-band statistics we hash.
        int factor = GridSize / raster.Width;
        for (int y = 0; y < GridSize; y++)
        {
            var source = raster.Pixels.AsSpan(y / factor * raster.Width, raster.Width);
            var row = target.Slice(y * GridSize, GridSize);
            for (int x = 0; x < GridSize; x++)
                row[x] = source[x / factor];
        }
    }
}
