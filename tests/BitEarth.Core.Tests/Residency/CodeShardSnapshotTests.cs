using System.Buffers.Binary;
using System.IO.Hashing;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Tests.Residency;

public class CodeShardSnapshotTests
{
    private const string Encoder = "lsh-test";
    private const string Source = "https://account.example:443/bitearth";

    [Theory]
    [InlineData(24)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    public async Task A_snapshot_reads_back_every_record_field_key_and_the_stamp(int bits)
    {
        var snapshot = Snapshot(bits, prefix: 5, count: 300, out var records);

        var read = await RoundTrip(snapshot);

        Assert.Equal((Source, Encoder, Modality.S2, bits, 4, 5, 1_700_000_100L), (read.Source, read.Encoder, read.Modality, read.Bits, read.PrefixBits, read.Prefix, read.Stamp));
        SyntheticCodes.AssertSame(records, read.Records);
        Assert.Equal(read.Records.Select(r => PatchKey.Of(r.PatchId)), read.Keys.ToArray());
    }

    [Fact]
    public async Task An_empty_shard_round_trips()
    {
        var empty = new CodeShardSnapshot(Source, Encoder, Modality.S1, 64, 4, 15, 0, []);

        var read = await RoundTrip(empty);

        Assert.Empty(read.Records);
        Assert.Equal(Modality.S1, read.Modality);
        Assert.Equal(CodeRecord.ShardFor(Encoder, Modality.S1, 15), read.Shard);
    }

    [Fact]
    public void Blob_names_are_encoder_modality_and_two_hex_digits() =>
        Assert.Equal("lsh64-s42/S2/0a", CodeShardSnapshot.BlobName("lsh64-s42", Modality.S2, 10));

    [Fact]
    public void Records_of_another_shard_or_newer_than_the_stamp_are_refused()
    {
        var records = SyntheticCodes.Records(Encoder, 50, 64, 4, seed: 3);
        var shard = records.GroupBy(r => r.Shard).First(g => g.Count() > 1).ToList();
        var (modality, prefix) = (shard[0].Modality, Convert.ToInt32(shard[0].Shard[^2..], 16));

        Assert.Throws<ArgumentException>(() => new CodeShardSnapshot(Source, Encoder, modality, 64, 4, (prefix + 1) % 16, 10, shard));
        Assert.Throws<ArgumentException>(() => new CodeShardSnapshot(Source, Encoder, modality, 64, 4, prefix, 10, [shard[0] with { Stamp = 11 }]));
    }

    [Fact]
    public void A_truncated_blob_is_a_format_error()
    {
        var bytes = Snapshot(64, 3, 40, out _).ToBytes();

        foreach (int length in new[] { 0, 7, 31, bytes.Length / 2, bytes.Length - 1 })
            Assert.Throws<ShardSnapshotFormatException>(() => CodeShardSnapshot.FromBytes(bytes.AsSpan(0, length)));
    }

    [Fact]
    public void A_flipped_bit_anywhere_is_a_checksum_error()
    {
        var bytes = Snapshot(64, 3, 40, out _).ToBytes();

        foreach (int position in new[] { 12, 40, bytes.Length / 2, bytes.Length - 9, bytes.Length - 1 })
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[position] ^= 0x10;
            var error = Assert.Throws<ShardSnapshotFormatException>(() => CodeShardSnapshot.FromBytes(corrupt));
            Assert.Contains("checksum", error.Reason);
        }
    }

    [Fact]
    public void Wrong_magic_or_version_is_named_in_the_error()
    {
        var bytes = Snapshot(64, 3, 5, out _).ToBytes();
        var magic = (byte[])bytes.Clone();
        magic[0] = (byte)'X';
        var version = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(version.AsSpan(4), 99);

        Assert.Contains("magic", Assert.Throws<ShardSnapshotFormatException>(() => CodeShardSnapshot.FromBytes(magic)).Reason);
        Assert.Contains("version 99", Assert.Throws<ShardSnapshotFormatException>(() => CodeShardSnapshot.FromBytes(version)).Reason);
    }

    [Fact]
    public void Content_that_hashes_right_but_does_not_parse_is_a_format_error()
    {
        var bytes = Snapshot(64, 3, 5, out _).ToBytes();
        // A count far beyond the blob, with a valid checksum over the changed content: a writer's bug, not a torn blob.
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), 1_000_000);
        Rehash(bytes);
        Assert.Contains("count", Assert.Throws<ShardSnapshotFormatException>(() => CodeShardSnapshot.FromBytes(bytes)).Reason);

        // Another prefix in the header than the codes carry.
        var prefix = Snapshot(64, 3, 5, out _).ToBytes();
        BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(16), 4);
        Rehash(prefix);
        Assert.Contains("prefix", Assert.Throws<ShardSnapshotFormatException>(() => CodeShardSnapshot.FromBytes(prefix)).Reason);
    }

    /// <summary>Both checksums made right again: the index section's (its length is at byte 32) and the whole blob's.</summary>
    private static void Rehash(byte[] bytes)
    {
        int index = (int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(32));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(index - 8), XxHash3.HashToUInt64(bytes.AsSpan(0, index - 8)));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8), XxHash3.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8)));
    }

    private static CodeShardSnapshot Snapshot(int bits, int prefix, int count, out List<CodeRecord> records)
    {
        var random = new Random(bits * 31 + prefix);
        records = [];
        while (records.Count < count)
        {
            var record = SyntheticCodes.Record(Encoder, $"S2_{records.Count}_{random.Next()}", Modality.S2, bits, 4, random);
            if (record.Shard == CodeRecord.ShardFor(Encoder, Modality.S2, prefix))
                records.Add(record with { Stamp = 1_700_000_000 + records.Count % 100 });
        }
        return new CodeShardSnapshot(Source, Encoder, Modality.S2, bits, 4, prefix, 1_700_000_100, records);
    }

    private static async Task<CodeShardSnapshot> RoundTrip(CodeShardSnapshot snapshot)
    {
        using var stream = new MemoryStream();
        await snapshot.WriteAsync(stream, CancellationToken.None);
        stream.Position = 0;
        return await CodeShardSnapshot.ReadAsync(stream, CancellationToken.None);
    }
}
