using System.IO.Compression;

namespace BitEarth.Core.Tests.Patches;

internal static class Zips
{
    public static byte[] Of(IEnumerable<(string Name, byte[] Data)> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(data);
            }
        return buffer.ToArray();
    }

    /// <summary>The files of a real patch folder as (entry name under the folder, bytes).</summary>
    public static List<(string Name, byte[] Data)> FolderEntries(string folder)
    {
        var patch = Path.GetFileName(folder);
        return Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal)
            .Select(f => ($"{patch}/{Path.GetFileName(f)}", File.ReadAllBytes(f))).ToList();
    }
}
