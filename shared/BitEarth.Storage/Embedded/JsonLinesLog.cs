using System.Text.Json;

namespace BitEarth.Storage.Embedded;

/// <summary>
/// One collection of documents kept as an append-only JSON-lines file: each upsert appends the whole document, the
/// latest line per key wins when the file is replayed at open, and the file is rewritten with only the live documents
/// once superseded lines outnumber them. Not thread-safe: <see cref="EmbeddedCodeStore"/> serialises access.
/// </summary>
internal sealed class JsonLinesLog<T> : IDisposable where T : class
{
    // Below this many lines a rewrite saves too little to be worth the I/O.
    private const int MinLinesBeforeCompaction = 1024;

    private readonly string _path;
    private readonly Func<T, string> _keyOf;
    private readonly JsonSerializerOptions _json;
    private readonly Dictionary<string, T> _live = new(StringComparer.Ordinal);
    private FileStream _file;
    private long _lines;

    public JsonLinesLog(string path, Func<T, string> keyOf, JsonSerializerOptions json)
    {
        _path = path;
        _keyOf = keyOf;
        _json = json;
        Replay();
        _file = OpenForAppend();
        if (_lines > 2 * _live.Count && _lines >= MinLinesBeforeCompaction)
            Compact();
    }

    public IReadOnlyDictionary<string, T> Live => _live;

    public void Upsert(T document)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(document, _json);
        _file.Write(line);
        _file.WriteByte((byte)'\n');
        // To the OS, not the disk: survives a process restart; an fsync per upsert would cap ingest at disk latency.
        _file.Flush(flushToDisk: false);
        _lines++;
        _live[_keyOf(document)] = document;
        if (_lines > 2 * _live.Count && _lines >= MinLinesBeforeCompaction)
            Compact();
    }

    public void Dispose() => _file.Dispose();

    private void Replay()
    {
        if (!File.Exists(_path))
            return;
        var bytes = File.ReadAllBytes(_path);
        int start = 0, lineNumber = 0;
        while (start < bytes.Length)
        {
            lineNumber++;
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                // A line without its newline was torn by a crash mid-append: it was never acknowledged, drop it.
                TruncateTo(start);
                return;
            }
            var line = bytes.AsSpan(start, end - start);
            T? document;
            try
            {
                document = JsonSerializer.Deserialize<T>(line, _json);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{_path}:{lineNumber}: not a valid {typeof(T).Name}: {e.Message}", e);
            }
            if (document is null)
                throw new InvalidDataException($"{_path}:{lineNumber}: null document");
            _live[_keyOf(document)] = document;
            _lines++;
            start = end + 1;
        }
    }

    private void TruncateTo(long length)
    {
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.None);
        file.SetLength(length);
    }

    private FileStream OpenForAppend() =>
        new(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);

    private void Compact()
    {
        var temp = _path + ".compact";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            foreach (var document in _live.Values)
            {
                file.Write(JsonSerializer.SerializeToUtf8Bytes(document, _json));
                file.WriteByte((byte)'\n');
            }
            file.Flush(flushToDisk: true); // the rename below must never expose a file shorter than the old one
        }
        _file.Dispose();
        File.Move(temp, _path, overwrite: true);
        _file = OpenForAppend();
        _lines = _live.Count;
    }
}
