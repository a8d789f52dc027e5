using System.Buffers;
using System.Buffers.Text;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace BitEarth.Storage.Embedded;

/// <summary>
/// One collection of documents kept as an append-only log of JSON lines, each prefixed with the CRC-32 of its JSON
/// (<c>1a2b3c4d {...}\n</c>): each upsert appends the whole document in one write, the latest record per key wins
/// when the file is replayed at open, and the file is rewritten with only the live documents once superseded records
/// outnumber them. Memory holds no documents and no keys, only where each key's latest line starts
/// (<see cref="LatestLineIndex"/>); a document is read back from its line when asked for. An upsert is acknowledged
/// (returns) only after its write has reached the OS, and, for a <c>durable</c> log, the disk. So at replay (which
/// reads the file in chunks, <see cref="ChunkedLines"/>):
/// <list type="bullet">
/// <item>a final record cut short (no newline, checksum or JSON incomplete) is one whose write never returned, never
/// acknowledged: it is discarded, its bytes kept in the quarantine file;</item>
/// <item>a complete final record that only lacks its newline is kept;</item>
/// <item>a bad record anywhere else cannot come from a crash: it is moved to the quarantine file
/// (<c>&lt;name&gt;.quarantine.jsonl</c>, with line, offset and reason), reported in <see cref="Quarantined"/>, and the log
/// opens without it. Documents it may have updated keep their previous version; nothing is guessed.</item>
/// </list>
/// Lines without a checksum (the format before it, starting with '{') are read as they are and the file is rewritten
/// in the new format. Not thread-safe: <see cref="EmbeddedCodeStore"/> serialises access.
/// </summary>
internal sealed class JsonLinesLog<T> : IDisposable where T : class
{
    // Below this many lines a rewrite saves too little to be worth the I/O.
    private const int MinLinesBeforeCompaction = 1024;
    private const int ChecksumChars = 8;

    private readonly string _path;
    private readonly Func<T, string> _keyOf;
    private readonly JsonSerializerOptions _json;
    private readonly bool _durable;
    private readonly LatestLineIndex _index = new();
    private readonly List<QuarantinedRecord> _quarantined = [];
    private FileStream _file;
    private SafeFileHandle _reader;
    private byte[] _lineBuffer = new byte[1024];
    private long _end; // the file's length: where the next line starts
    private long _lines;

    /// <param name="durable">Flush every upsert to the disk (fsync), not just to the OS: for rare writes that must
    /// survive a power loss, not only a crash of the process.</param>
    /// <param name="replayed">Called at open for each record read back, in file order, with its key's slot: a later
    /// call for the same slot supersedes the earlier.</param>
    public JsonLinesLog(string path, Func<T, string> keyOf, JsonSerializerOptions json, bool durable = false,
        Action<int, T>? replayed = null)
    {
        _path = path;
        _keyOf = keyOf;
        _json = json;
        _durable = durable;
        _file = OpenForAppend();
        _reader = OpenForRead();
        try
        {
            var rewrite = Replay(replayed);
            _end = _file.Length;
            if (rewrite || (_lines > 2 * _index.Count && _lines >= MinLinesBeforeCompaction))
                Compact();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>How many keys the log holds; their slots are 0 to Count - 1.</summary>
    public int Count => _index.Count;

    /// <summary>Records set aside at open, oldest first.</summary>
    public IReadOnlyList<QuarantinedRecord> Quarantined => _quarantined;

    public string QuarantinePath => Path.ChangeExtension(_path, ".quarantine.jsonl");

    /// <summary>The latest document of a key, read from the log; null when the key was never written.</summary>
    public T? Get(string key)
    {
        var hash = HashOf(key);
        for (var probe = -1; _index.NextWithHash(hash, ref probe, out var slot);)
            if (ReadAt(_index.OffsetOf(slot)) is var document && _keyOf(document) == key)
                return document;
        return null;
    }

    /// <summary>The latest document of a slot, read from the log.</summary>
    public T Read(int slot) => ReadAt(_index.OffsetOf(slot));

    /// <summary>Every key's latest document, in slot order (first write of each key).</summary>
    public List<T> ReadAll()
    {
        var documents = new List<T>(_index.Count);
        for (var slot = 0; slot < _index.Count; slot++)
            documents.Add(Read(slot));
        return documents;
    }

    public (int Slot, bool Added) Upsert(T document) => UpsertAll([document])[0];

    /// <summary>
    /// Appends the documents in one write and one flush, in order (a key written twice keeps the later); the slot of
    /// each and whether its key is new to the log.
    /// </summary>
    public (int Slot, bool Added)[] UpsertAll(IReadOnlyList<T> documents)
    {
        // One buffer, one write: the OS has all of the batch or, after a crash mid-write, a prefix of it.
        var batch = new ArrayBufferWriter<byte>();
        var offsets = new long[documents.Count];
        for (var i = 0; i < documents.Count; i++)
        {
            offsets[i] = _end + batch.WrittenCount;
            Frame(JsonSerializer.SerializeToUtf8Bytes(documents[i], _json), batch);
        }
        _file.Write(batch.WrittenSpan);
        _file.Flush(flushToDisk: _durable);
        _end += batch.WrittenCount;
        _lines += documents.Count;
        var placed = new (int Slot, bool Added)[documents.Count];
        for (var i = 0; i < documents.Count; i++)
            placed[i] = Place(documents[i], offsets[i]);
        if (_lines > 2 * _index.Count && _lines >= MinLinesBeforeCompaction)
            Compact();
        return placed;
    }

    public void Dispose()
    {
        _file.Dispose();
        _reader.Dispose();
    }

    /// <summary>Indexes the live documents; true when the file must be rewritten (records set aside, old format, a lost newline).</summary>
    private bool Replay(Action<int, T>? replayed)
    {
        var rewrite = false;
        var problems = new List<(int Line, long Offset, byte[] Content, string Reason)>();
        var lineNumber = 0;
        foreach (var line in ChunkedLines.Read(_path))
        {
            lineNumber++;
            var bytes = line.Bytes.Span;
            if (bytes.Trim(" \t\r"u8).Length == 0)
                continue;
            var (document, legacy, problem) = Parse(bytes);
            if (document is not null)
            {
                var (slot, _) = Place(document, line.Offset);
                replayed?.Invoke(slot, document);
                _lines++;
                rewrite |= legacy || !line.Terminated;
            }
            else
            {
                problems.Add((lineNumber, line.Offset, bytes.ToArray(), line.Terminated
                    ? $"corrupt record: {problem}"
                    : $"torn final record, its write never completed: {problem}"));
            }
        }
        if (problems.Count == 0)
            return rewrite;
        var at = DateTimeOffset.UtcNow;
        using (var quarantine = new FileStream(QuarantinePath, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            foreach (var (line, offset, content, reason) in problems)
            {
                var record = new QuarantinedRecord(Path.GetFileName(_path), line, offset, reason, at);
                _quarantined.Add(record);
                quarantine.Write(JsonSerializer.SerializeToUtf8Bytes(new
                {
                    record.File, record.Line, record.Offset, record.Reason, record.At,
                    content = Encoding.UTF8.GetString(content), contentBase64 = Convert.ToBase64String(content),
                }, _json));
                quarantine.WriteByte((byte)'\n');
            }
            // The rewrite that drops these records from the log must never happen before their copy is on disk.
            quarantine.Flush(flushToDisk: true);
        }
        return true;
    }

    /// <summary>Points the document's key at the line at <paramref name="offset"/>; a key already held keeps its slot.</summary>
    private (int Slot, bool Added) Place(T document, long offset)
    {
        var key = _keyOf(document);
        var hash = HashOf(key);
        // A slot with the same hash may belong to another key: its line says which.
        for (var probe = -1; _index.NextWithHash(hash, ref probe, out var slot);)
            if (_keyOf(ReadAt(_index.OffsetOf(slot))) == key)
            {
                _index.Move(slot, offset);
                return (slot, false);
            }
        return (_index.Add(hash, offset), true);
    }

    private static ulong HashOf(string key)
    {
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        var utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        return XxHash3.HashToUInt64(utf8[..Encoding.UTF8.GetBytes(key, utf8)]);
    }

    /// <summary>The document of the line at <paramref name="offset"/>, which read well when the log was opened or written.</summary>
    private T ReadAt(long offset)
    {
        var filled = 0;
        while (true)
        {
            if (filled == _lineBuffer.Length)
                Array.Resize(ref _lineBuffer, _lineBuffer.Length * 2);
            var read = RandomAccess.Read(_reader, _lineBuffer.AsSpan(filled), offset + filled);
            var newline = _lineBuffer.AsSpan(filled, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                filled += newline;
                break;
            }
            if (read == 0)
                break;
            filled += read;
        }
        var (document, _, problem) = Parse(_lineBuffer.AsSpan(0, filled));
        return document ?? throw new InvalidDataException(
            $"{_path}: the record at offset {offset} no longer reads ({problem}); it did when the log was opened or written");
    }

    private (T? Document, bool Legacy, string? Problem) Parse(ReadOnlySpan<byte> line)
    {
        var legacy = line[0] == (byte)'{';
        ReadOnlySpan<byte> json;
        if (legacy)
            json = line;
        else
        {
            if (line.Length < ChecksumChars + 2 || line[ChecksumChars] != (byte)' ')
                return (null, false, "no checksum");
            if (!Utf8Parser.TryParse(line[..ChecksumChars], out uint expected, out var used, 'x') || used != ChecksumChars)
                return (null, false, "checksum is not 8 hex digits");
            json = line[(ChecksumChars + 1)..];
            if (Crc32.HashToUInt32(json) != expected)
                return (null, false, $"checksum mismatch (expected {expected:x8}, content has {Crc32.HashToUInt32(json):x8})");
        }
        try
        {
            return JsonSerializer.Deserialize<T>(json, _json) is { } document
                ? (document, legacy, null)
                : (null, legacy, "null document");
        }
        catch (JsonException e)
        {
            return (null, legacy, $"not a valid {typeof(T).Name}: {e.Message}");
        }
    }

    private static void Frame(ReadOnlySpan<byte> json, ArrayBufferWriter<byte> output)
    {
        var line = output.GetSpan(ChecksumChars + 1 + json.Length + 1);
        Utf8Formatter.TryFormat(Crc32.HashToUInt32(json), line, out _, new StandardFormat('x', ChecksumChars));
        line[ChecksumChars] = (byte)' ';
        json.CopyTo(line[(ChecksumChars + 1)..]);
        line[ChecksumChars + 1 + json.Length] = (byte)'\n';
        output.Advance(ChecksumChars + 1 + json.Length + 1);
    }

    // Unbuffered: each batch goes to the OS in the single write of UpsertAll.
    private FileStream OpenForAppend() => new(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);

    private SafeFileHandle OpenForRead() => File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);

    /// <summary>
    /// Rewrites the file with each key's latest line, in file order (one sequential pass over the old file), lines of
    /// the old format framed with their checksum; the slots keep their numbers and move to their new offsets.
    /// </summary>
    private void Compact()
    {
        var offsets = new long[_index.Count];
        var slots = new int[_index.Count];
        for (var slot = 0; slot < slots.Length; slot++)
            (offsets[slot], slots[slot]) = (_index.OffsetOf(slot), slot);
        Array.Sort(offsets, slots);
        var moved = new long[slots.Length];
        var next = 0;
        var temp = _path + ".compact";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, ChunkedLines.ChunkBytes))
        {
            foreach (var line in ChunkedLines.Read(_path))
            {
                if (next == offsets.Length)
                    break;
                if (line.Offset != offsets[next])
                    continue;
                moved[next++] = file.Position;
                var bytes = line.Bytes.Span;
                if (bytes[0] == (byte)'{')
                {
                    var framed = new ArrayBufferWriter<byte>(bytes.Length + ChecksumChars + 2);
                    Frame(bytes, framed);
                    file.Write(framed.WrittenSpan);
                }
                else
                {
                    file.Write(bytes);
                    file.WriteByte((byte)'\n');
                }
            }
            if (next != offsets.Length)
                throw new InvalidDataException($"{_path}: {offsets.Length - next} live records were not found where the index has them");
            file.Flush(flushToDisk: true); // the rename below must never expose a file shorter than the old one
            _end = file.Length;
        }
        _file.Dispose();
        _reader.Dispose();
        File.Move(temp, _path, overwrite: true);
        _file = OpenForAppend();
        _reader = OpenForRead();
        for (var i = 0; i < slots.Length; i++)
            _index.Move(slots[i], moved[i]);
        _lines = _index.Count;
    }
}
