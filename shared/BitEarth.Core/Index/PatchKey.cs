using System.Security.Cryptography;
using System.Text;

namespace BitEarth.Core.Index;

/// <summary>The index keys codes by a 63-bit integer derived from the patch id, so scans carry no strings.</summary>
public static class PatchKey
{
    public static long Of(string patchId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(patchId), hash);
        return BitConverter.ToInt64(hash) & long.MaxValue;
    }
}
