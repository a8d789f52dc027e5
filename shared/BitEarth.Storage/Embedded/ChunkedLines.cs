namespace BitEarth.Storage.Embedded;

/// <summary>
/// The lines of a file read front to back in chunks of <see cref="ChunkBytes"/>, so a log of any size is replayed in
/// bounded memory (a single read of the whole file fails beyond 2 GB). A line that crosses a chunk boundary is moved
/// to the front of the buffer before the next read; one longer than the buffer doubles it.
/// </summary>
internal static class ChunkedLines
{
    public const int ChunkBytes = 1 << 20;

    /// <summary>One line without its '\n'; <see cref="Bytes"/> is only valid until the enumeration moves on.</summary>
    public readonly record struct Line(long Offset, ReadOnlyMemory<byte> Bytes, bool Terminated);

    public static IEnumerable<Line> Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[ChunkBytes];
        long bufferOffset = 0; // where buffer[0] is in the file
        int start = 0, end = 0;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                yield return new Line(bufferOffset + start, buffer.AsMemory(start, newline), Terminated: true);
                start += newline + 1;
                continue;
            }
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                bufferOffset += start;
                end -= start;
                start = 0;
            }
            if (end == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
            var read = file.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > 0)
                    yield return new Line(bufferOffset, buffer.AsMemory(0, end), Terminated: false);
                yield break;
            }
            end += read;
        }
    }
}
