using System.Numerics;
using System.Text.Json.Serialization;

namespace BitEarth.Core.Codes;

/// <summary>A binary code of 8..256 bits, stored as little-endian 64-bit words (bit i lives in word i/64, bit i%64).</summary>
[JsonConverter(typeof(HammingCodeJsonConverter))]
public sealed class HammingCode : IEquatable<HammingCode>
{
    public const int MinBits = 8;
    public const int MaxBits = 256;

    private readonly ulong[] _words;

    public HammingCode(int bits, ulong[] words)
    {
        ValidateBits(bits);
        if (words.Length != WordCount(bits))
            throw new ArgumentException($"A {bits}-bit code needs {WordCount(bits)} words, got {words.Length}.", nameof(words));
        if (bits % 64 != 0 && (words[^1] >> (bits % 64)) != 0)
            throw new ArgumentException("Bits beyond the code length must be zero.", nameof(words));
        Bits = bits;
        _words = words;
    }

    public int Bits { get; }

    public ReadOnlySpan<ulong> Words => _words;

    /// <summary>The first <paramref name="prefixBits"/> bits (bit 0 first) as an integer, the code's shard key.</summary>
    public int Prefix(int prefixBits) => (int)(_words[0] & ((1UL << prefixBits) - 1));

    public bool this[int bit] => (_words[bit >> 6] >> (bit & 63) & 1) != 0;

    public static int WordCount(int bits) => (bits + 63) / 64;

    public static bool IsValidLength(int bits) => bits >= MinBits && bits <= MaxBits && bits % 8 == 0;

    public static void ValidateBits(int bits)
    {
        if (!IsValidLength(bits))
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"Code length must be a multiple of 8 in {MinBits}..{MaxBits}.");
    }

    public static HammingCode FromBits(ReadOnlySpan<bool> bits)
    {
        ValidateBits(bits.Length);
        var words = new ulong[WordCount(bits.Length)];
        for (int i = 0; i < bits.Length; i++)
            if (bits[i]) words[i >> 6] |= 1UL << (i & 63);
        return new HammingCode(bits.Length, words);
    }

    public int DistanceTo(HammingCode other)
    {
        if (other.Bits != Bits) throw new ArgumentException($"Cannot compare a {Bits}-bit code with a {other.Bits}-bit code.");
        int d = 0;
        for (int i = 0; i < _words.Length; i++) d += BitOperations.PopCount(_words[i] ^ other._words[i]);
        return d;
    }

    /// <summary>Compact form: Bits/8 bytes, little-endian.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Bits / 8];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(_words[i >> 3] >> ((i & 7) * 8));
        return bytes;
    }

    public static HammingCode FromBytes(ReadOnlySpan<byte> bytes)
    {
        int bits = bytes.Length * 8;
        ValidateBits(bits);
        var words = new ulong[WordCount(bits)];
        for (int i = 0; i < bytes.Length; i++) words[i >> 3] |= (ulong)bytes[i] << ((i & 7) * 8);
        return new HammingCode(bits, words);
    }

    public string ToBase64() => Convert.ToBase64String(ToBytes());

    public static HammingCode FromBase64(string text) => FromBytes(Convert.FromBase64String(text));

    public bool Equals(HammingCode? other) => other is not null && other.Bits == Bits && _words.AsSpan().SequenceEqual(other._words);

    public override bool Equals(object? obj) => Equals(obj as HammingCode);

    public override int GetHashCode() => HashCode.Combine(Bits, _words[0]);

    public override string ToString() => string.Concat(Enumerable.Range(0, Bits).Select(i => this[i] ? '1' : '0'));
}
