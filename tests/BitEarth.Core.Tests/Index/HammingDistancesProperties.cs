using System.Numerics;
using BitEarth.Core.Index;

namespace BitEarth.Core.Tests.Index;

/// <summary>Every kernel this CPU runs gives each code's popcount(query ^ code), vector steps and tails alike.</summary>
public class HammingDistancesProperties
{
    private static readonly HammingScan.Kernel[] Kernels =
        Enum.GetValues<HammingScan.Kernel>().Where(HammingScan.IsSupported).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Every_kernel_equals_scalar_popcount_for_every_count_of_codes(int words)
    {
        var random = new Random(words);
        foreach (int count in new[] { 0, 1, 7, 8, 15, 16, 17, 31, 33, 100 })
        {
            // every bit pattern, the top bit of each word included
            var codes = Enumerable.Range(0, count * words).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63)).ToArray();
            var query = Enumerable.Range(0, words).Select(_ => (ulong)random.NextInt64() | (1UL << 63)).ToArray();
            var expected = Enumerable.Range(0, count)
                .Select(i => Enumerable.Range(0, words).Sum(w => BitOperations.PopCount(codes[i * words + w] ^ query[w]))).ToArray();
            foreach (var kernel in Kernels)
            {
                var distances = new int[count];
                HammingDistances.Compute(codes, query, distances, kernel);
                Assert.Equal(expected, distances);
            }
        }
    }

    [Fact]
    public void Codes_that_do_not_fill_the_distances_are_refused() =>
        Assert.Throws<ArgumentException>(() => HammingDistances.Compute(new ulong[5], new ulong[2], new int[2]));
}
