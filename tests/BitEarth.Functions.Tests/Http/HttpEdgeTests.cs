using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BitEarth.Core.Stores;

namespace BitEarth.Functions.Tests.Http;

/// <summary>
/// The edges of the HTTP contract: over-size and chunked bodies, names that would escape a container, only the
/// documented enum names, the path names answers report, and reasons without .NET exception or type names.
/// </summary>
public sealed class HttpEdgeTests(EdgeHost fixture) : IClassFixture<EdgeHost>
{
    private LocalHostRunner Host => fixture.Host;

    private async Task<string> AnyPatchIdAsync()
    {
        await foreach (var name in Host.Blobs.ListAsync(Containers.Patches, "bigearthnet/S2/"))
            return Path.GetFileNameWithoutExtension(name);
        throw new InvalidOperationException("no synthetic patch");
    }

    [Theory]
    [InlineData("application/json", "")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"patch\"; filename=\"a.zip\"\r\n\r\n")]
    public async Task A_chunked_body_over_the_limit_is_413(string contentType, string start)
    {
        var content = new StreamContent(new EndlessStream(Encoding.ASCII.GetBytes(start), RequestLimitBytes + (1 << 20)));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/query") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var (status, error) = await SendAsync(request);
        Assert.True(status == HttpStatusCode.RequestEntityTooLarge, $"{status}: {error}");
        Assert.Contains("larger than", error);
    }

    /// <summary>Raw socket: the server answers before the body is sent (an HttpClient would fail on the closed pipe).</summary>
    [Theory]
    [InlineData("application/json")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_declared_body_over_the_limit_is_413_unread(string contentType)
    {
        var address = Host.Http.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/query HTTP/1.1\r\nHost: {address.Authority}\r\n" +
            $"Content-Type: {contentType}\r\nContent-Length: {RequestLimitBytes + 1}\r\n\r\n"));
        var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync();
        Assert.StartsWith("HTTP/1.1 413", statusLine, StringComparison.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null && !line.Contains("error", StringComparison.Ordinal)) { }
        Assert.Contains("larger than", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../codes/x")]
    [InlineData("a//b")]
    [InlineData("./x")]
    [InlineData("back\\slash")]
    public async Task A_reindex_encoder_name_that_escapes_its_container_is_400(string encoder)
    {
        var (status, error) = await PostAsync("/api/reindex", JsonSerializer.Serialize(new { encoder }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("encoder", error);
    }

    [Fact]
    public async Task An_unknown_reindex_encoder_is_404()
    {
        var (status, error) = await PostAsync("/api/reindex", "{\"encoder\": \"no-such-encoder\"}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("no-such-encoder", error);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("0")]
    [InlineData("S1,S2")]
    [InlineData(" S1")]
    [InlineData("Any, S1")]
    public async Task Target_takes_only_the_documented_names(string target)
    {
        var (status, error) = await PostAsync("/api/query", JsonSerializer.Serialize(new { patchId = await AnyPatchIdAsync(), target }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("target", error);
    }

    [Theory]
    [InlineData("s2")]
    [InlineData("S2")]
    public async Task Documented_targets_in_any_case_are_accepted(string target)
    {
        var (status, body) = await Host.PostJsonAsync("/api/query", new { patchId = await AnyPatchIdAsync(), k = 4, target });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(body.GetProperty("results").EnumerateArray(), r => Assert.Equal("S2", r.GetProperty("modality").GetString()));
    }

    /// <summary>The other names parse too: what refuses them for an S2 query is the encoder's separate code spaces.</summary>
    [Theory]
    [InlineData("S1")]
    [InlineData("ANY")]
    public async Task Cross_modal_targets_in_any_case_parse_and_are_refused_for_the_code_space(string target)
    {
        var (status, error) = await PostAsync("/api/query", JsonSerializer.Serialize(new { patchId = await AnyPatchIdAsync(), k = 4, target }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("code space", error);
        Assert.DoesNotContain("target must be", error);
    }

    [Theory]
    [InlineData("durable-fan-out", "durable-fan-out")]
    [InlineData("durable", "durable-fan-out")]
    [InlineData("in-process", "in-process")]
    public async Task The_path_an_answer_reports_is_accepted_in_a_request(string path, string reported)
    {
        var (status, body) = await Host.PostJsonAsync("/api/query", new { patchId = await AnyPatchIdAsync(), k = 3, path });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(reported, body.GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("{\"patchId\": \"x\", \"k\": \"abc\"}", "'k' must be a whole number")]
    [InlineData("{\"patchId\": \"x\", \"k\": 1.5}", "'k' must be a whole number")]
    [InlineData("{\"patchId\": \"x\", \"k\": 99999999999}", "'k' must be a whole number")]
    [InlineData("{\"patchId\": 7}", "'patchId' must be a string")]
    [InlineData("{\"patchId\": \"x\", \"target\": []}", "'target' must be a string")]
    [InlineData("{\"patchId\": ", "body is not valid JSON (line 1, byte 13)")]
    [InlineData("", "body is empty; expected a JSON object")]
    [InlineData("null", "body must be a JSON object")]
    [InlineData("\"text\"", "body must be a JSON object")]
    public async Task Reasons_name_the_field_not_the_dotnet_type(string body, string reason)
    {
        var (status, error) = await PostAsync("/api/query", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("/api/query", "not a zip", "x.zip")]
    [InlineData("/api/query", "II*\0garbage", "x.tif")]
    [InlineData("/api/query", "PK\u0003\u0004broken", "y.zip")]
    public async Task Upload_reasons_carry_no_exception_names(string route, string content, string file)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.Latin1.GetBytes(content)), "patch", file } };
        var response = await Host.Http.PostAsync(route, form);
        var error = await ErrorAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertPlain(error);
    }

    [Fact]
    public async Task Reindex_bodies_get_field_reasons_too()
    {
        var (status, error) = await PostAsync("/api/reindex", "{\"bits\": \"many\"}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("'bits' must be a whole number", error);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a%23b")]
    [InlineData("a%3Fb")]
    public async Task Odd_reindex_instance_ids_are_404(string id)
    {
        var response = await Host.Http.GetAsync($"/api/reindex/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_query_orchestration_id_is_not_a_reindex()
    {
        var (status, body) = await Host.PostJsonAsync("/api/reindex", new { bits = 64, seed = 99, batchSize = 50 });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var real = await Host.Http.GetAsync(new Uri(body.GetProperty("statusUrl").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        var response = await Host.Http.GetAsync("/api/reindex/not-an-instance");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_health_shows_readiness_only_and_details_show_the_archive()
    {
        var (status, health) = await Host.GetJsonAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["status"], health.EnumerateObject().Select(p => p.Name));
        var (detailStatus, details) = await Host.GetJsonAsync("/api/health/details");
        Assert.Equal(HttpStatusCode.OK, detailStatus);
        Assert.Equal(10, details.GetProperty("codes").GetInt32());
        Assert.False(string.IsNullOrEmpty(details.GetProperty("encoder").GetString()));
    }

    internal static long RequestLimitBytes => Functions.Hosting.RequestBody.MaxBytes;

    internal static void AssertPlain(string reason)
    {
        Assert.DoesNotContain("Exception", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", reason, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode, string)> PostAsync(string route, string body) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

    private async Task<(HttpStatusCode, string)> SendAsync(HttpRequestMessage request)
    {
        using var response = await Host.Http.SendAsync(request);
        var error = await ErrorAsync(response);
        AssertPlain(error);
        return (response.StatusCode, error);
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try { return JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!; }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: not an error body: '{text}'", e);
        }
    }

    /// <summary>A start, then zeros up to a length no one holds in memory, sent without a declared length.</summary>
    private sealed class EndlessStream(byte[] start, long length) : Stream
    {
        private long _left = length;
        private int _started;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_started < start.Length)
            {
                int head = Math.Min(count, start.Length - _started);
                start.AsSpan(_started, head).CopyTo(buffer.AsSpan(offset));
                _started += head;
                return head;
            }
            int n = (int)Math.Min(count, _left);
            Array.Clear(buffer, offset, n);
            _left -= n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
