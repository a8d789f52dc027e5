using System.Buffers.Binary;
using System.Text;

namespace BitEarth.Functions.Tests.Fuzz;

/// <summary>
/// Seeded byte-level mutations of real inputs, the kinds that break parsers: bit flips, interesting integers written
/// over offsets and counts (TIFF directories, zip headers), truncation, inserted, deleted and duplicated runs, and
/// splices of two inputs. The same seed gives the same inputs, so a failure can be replayed.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly uint[] Interesting =
        [0, 1, 2, 7, 8, 12, 13, 16, 64, 127, 128, 255, 256, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 4096, 4097, 120, 60, 20];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    public int Next(int max) => _random.Next(max);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>
    /// One to <paramref name="maxSteps"/> mutations; when <paramref name="focusLength"/> is set, three in four land in the
    /// bytes from <paramref name="focusStart"/> (a header or directory), the rest anywhere.
    /// </summary>
    public byte[] Mutate(byte[] input, int maxSteps = 4, int focusStart = 0, int focusLength = 0, byte[]? other = null)
    {
        var data = new List<byte>(input);
        int steps = 1 + _random.Next(maxSteps);
        for (int s = 0; s < steps; s++)
        {
            if (data.Count == 0) { data.Add((byte)_random.Next(256)); continue; }
            int at = focusLength > 0 && focusStart < data.Count && _random.Next(4) != 0
                ? focusStart + _random.Next(Math.Min(focusLength, data.Count - focusStart))
                : _random.Next(data.Count);
            switch (_random.Next(9))
            {
                case 0: data[at] ^= (byte)(1 << _random.Next(8)); break;
                case 1: data[at] = (byte)_random.Next(256); break;
                case 2: WriteInteger(data, at, Pick(Interesting), _random.Next(2) == 0 ? 2 : 4); break;
                case 3: data.RemoveRange(at, data.Count - at); break; // truncate
                case 4: data.InsertRange(at, RandomBytes(1 + _random.Next(16))); break;
                case 5: data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(64))); break;
                case 6:
                    int length = Math.Min(data.Count - at, 1 + _random.Next(256));
                    data.InsertRange(_random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 7 when other is { Length: > 0 }:
                    int from = _random.Next(other.Length);
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(other.AsSpan(from, Math.Min(other.Length - from, 4096)).ToArray());
                    break;
                default: WriteInteger(data, at, (uint)_random.Next(), 4); break;
            }
        }
        return data.ToArray();
    }

    public string MutateText(string text, int maxSteps = 4) => Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(text), maxSteps));

    private byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        _random.NextBytes(bytes);
        return bytes;
    }

    private void WriteInteger(List<byte> data, int at, uint value, int width)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (_random.Next(2) == 0) BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        else BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        for (int i = 0; i < width && at + i < data.Count; i++) data[at + i] = bytes[i];
    }
}
