using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// A hasher that describes a patch by several codes (e.g. the whole patch and its tiles), so a query matches a patch
/// that contains similar content anywhere. <see cref="IPatchHasher.Hash"/> still returns the single whole-patch code
/// for indexes that hold one code per patch; compare code sets with <see cref="MultiCodeDistance"/>.
/// </summary>
public interface IMultiCodeHasher : IPatchHasher
{
    IReadOnlyList<HammingCode> HashMany(Patch patch);
}
