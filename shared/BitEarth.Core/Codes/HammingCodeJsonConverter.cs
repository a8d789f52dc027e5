using System.Text.Json;
using System.Text.Json.Serialization;

namespace BitEarth.Core.Codes;

/// <summary>A code as base64 of its bytes in JSON (durable payloads, HTTP bodies); inside, it stays a <see cref="HammingCode"/>.</summary>
public sealed class HammingCodeJsonConverter : JsonConverter<HammingCode>
{
    public override HammingCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        HammingCode.FromBase64(reader.GetString() ?? throw new JsonException("A code must be a base64 string."));

    public override void Write(Utf8JsonWriter writer, HammingCode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToBase64());
}
