using System.Buffers.Text;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;

namespace BitEarth.Storage.Embedded;

/// <summary>
/// One collection of documents kept as an append-only log of JSON lines, each prefixed with the CRC-32 of its JSON
/// (<c>1a2b3c4d {...}\n</c>): each upsert appends the whole document in one write, the latest record per key wins
/// when the file is replayed at open, and the file is rewritten with only the live documents once superseded records
/// outnumber them. An upsert is acknowledged (returns) only after its write has reached the OS, and, for a
/// <c>durable</c> log, the disk. So at replay:
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
    private readonly Dictionary<string, T> _live = new(StringComparer.Ordinal);
    private readonly List<QuarantinedRecord> _quarantined = [];
    private FileStream _file;
    private long _lines;

    /// <param name="durable">Flush every upsert to the disk (fsync), not just to the OS: for rare writes that must
    /// survive a power loss, not only a crash of the process.</param>
    public JsonLinesLog(string path, Func<T, string> keyOf, JsonSerializerOptions json, bool durable = false)
    {
        _path = path;
        _keyOf = keyOf;
        _json = json;
        _durable = durable;
        var rewrite = Replay();
        _file = OpenForAppend();
        if (rewrite || (_lines > 2 * _live.Count && _lines >= MinLinesBeforeCompaction))
            Compact();
    }

    public IReadOnlyDictionary<string, T> Live => _live;

    /// <summary>Records set aside at open, oldest first.</summary>
    public IReadOnlyList<QuarantinedRecord> Quarantined => _quarantined;

    public string QuarantinePath => Path.ChangeExtension(_path, ".quarantine.jsonl");

    public void Upsert(T document)
    {
        // One buffer, one write: the OS has all of the record or, after a crash mid-write, a prefix of it.
        _file.Write(Frame(JsonSerializer.SerializeToUtf8Bytes(document, _json)));
        _file.Flush(flushToDisk: _durable);
        _lines++;
        _live[_keyOf(document)] = document;
        if (_lines > 2 * _live.Count && _lines >= MinLinesBeforeCompaction)
            Compact();
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Loads the live documents; true when the file must be rewritten (records set aside, old format, a lost newline).</summary>
    private bool Replay()
    {
        if (!File.Exists(_path))
            return false;
        var bytes = File.ReadAllBytes(_path);
        var rewrite = false;
        var problems = new List<(int Line, long Offset, byte[] Content, string Reason)>();
        int start = 0, lineNumber = 0;
        while (start < bytes.Length)
        {
            lineNumber++;
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var end = newline < 0 ? bytes.Length : newline;
            var line = bytes.AsSpan(start, end - start);
            if (line.Trim(" \t\r"u8).Length > 0)
            {
                var (document, legacy, problem) = Parse(line);
                if (document is not null)
                {
                    _live[_keyOf(document)] = document;
                    _lines++;
                    rewrite |= legacy || newline < 0;
                }
                else
                {
                    problems.Add((lineNumber, start, line.ToArray(), newline < 0
                        ? $"torn final record, its write never completed: {problem}"
                        : $"corrupt record: {problem}"));
                }
            }
            start = end + 1;
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

    private static byte[] Frame(byte[] json)
    {
        var line = new byte[ChecksumChars + 1 + json.Length + 1];
        Encoding.ASCII.GetBytes(Crc32.HashToUInt32(json).ToString("x8", System.Globalization.CultureInfo.InvariantCulture), line);
        line[ChecksumChars] = (byte)' ';
        json.CopyTo(line, ChecksumChars + 1);
        line[^1] = (byte)'\n';
        return line;
    }

    // Unbuffered: each record goes to the OS in the single write of Upsert.
    private FileStream OpenForAppend() => new(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);

    private void Compact()
    {
        var temp = _path + ".compact";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            foreach (var document in _live.Values)
                file.Write(Frame(JsonSerializer.SerializeToUtf8Bytes(document, _json)));
            file.Flush(flushToDisk: true); // the rename below must never expose a file shorter than the old one
        }
        _file.Dispose();
        File.Move(temp, _path, overwrite: true);
        _file = OpenForAppend();
        _lines = _live.Count;
    }
}
