using System.IO.Compression;
using BitEarth.Core.Patches;
using BitEarth.Core.Thumbnails;
using BitEarth.Core.Tests.Patches;

namespace BitEarth.Core.Tests.Thumbnails;

public class PngCodecTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 64)]
    [InlineData(120, 37)]
    public void Encode_then_decode_gives_the_same_pixels(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        new Random(width * 31 + height).NextBytes(pixels);
        var png = PngCodec.Encode(new RgbImage(width, height, pixels));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var back = PngCodec.Decode(png);
        Assert.Equal((width, height), (back.Width, back.Height));
        Assert.Equal(pixels, back.Pixels);
    }

    [Fact]
    public void The_image_data_is_a_zlib_stream_of_up_filtered_rows()
    {
        // Read the IDAT chunk by hand: 8-byte signature, IHDR (8 + 13 + 4), then IDAT's length, type and data.
        var image = new RgbImage(2, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        var png = PngCodec.Encode(image);
        int idat = 8 + 25;
        int length = png[idat] << 24 | png[idat + 1] << 16 | png[idat + 2] << 8 | png[idat + 3];
        Assert.Equal("IDAT", System.Text.Encoding.ASCII.GetString(png, idat + 4, 4));
        using var zlib = new ZLibStream(new MemoryStream(png, idat + 8, length), CompressionMode.Decompress);
        var raw = new byte[14];
        zlib.ReadExactly(raw);
        Assert.Equal(new byte[] { 2, 1, 2, 3, 4, 5, 6, 2, 6, 6, 6, 6, 6, 6 }, raw);
    }

    [Fact]
    public void A_damaged_chunk_fails_its_crc()
    {
        var png = PngCodec.Encode(new RgbImage(8, 8, new byte[192]));
        png[40] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => PngCodec.Decode(png));
        Assert.Throws<InvalidDataException>(() => PngCodec.Decode([1, 2, 3]));
    }

    [Fact]
    public void Resize_is_nearest_neighbour_on_the_longer_side()
    {
        var image = new RgbImage(2, 1, [10, 20, 30, 40, 50, 60]);
        var big = image.Resize(4);
        Assert.Equal((4, 2), (big.Width, big.Height));
        Assert.Equal(new byte[] { 10, 20, 30, 10, 20, 30, 40, 50, 60, 40, 50, 60 }, big.Pixels[..12]);
    }

    [Fact]
    public void S1_false_colour_uses_the_fixed_db_stretch()
    {
        // VV -25 dB -> red 0, VV 0 dB -> red 255; VH -32 -> green 0, VH -7 -> green 236; VV - VH = 7 dB of the 0..15 range -> blue 119.
        var pixels = new float[] { -25, 0, -32, -7 };
        var patch = new Patch("s1", Modality.S1, 2, 1, Bands.S1, pixels, []);
        var rgb = ThumbnailRenderer.Render(patch).Pixels;
        Assert.Equal(new byte[] { 0, 0, 119, 255, 236, 119 }, rgb);
    }

    [Fact]
    public void S2_true_colour_of_a_real_patch_spans_the_range()
    {
        var patch = EuroSatReader.ReadFile(Path.Combine(SharedData.EuroSat, "River", "River_1.tif"));
        var rgb = ThumbnailRenderer.Render(patch);
        Assert.Equal((64, 64), (rgb.Width, rgb.Height));
        // The 2nd and 98th percentiles map to 0 and 255, so about 2% of each channel's pixels sit at either end.
        for (int c = 0; c < 3; c++)
        {
            var channel = Enumerable.Range(0, 64 * 64).Select(i => rgb.Pixels[3 * i + c]).ToList();
            Assert.InRange(channel.Count(v => v == 0), 40, 200);
            Assert.InRange(channel.Count(v => v == 255), 40, 200);
        }
    }
}
