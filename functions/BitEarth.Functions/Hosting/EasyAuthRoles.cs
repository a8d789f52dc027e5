using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace BitEarth.Functions.Hosting;

/// <summary>
/// App roles of the caller when App Service authentication (Easy Auth, Microsoft Entra ID) fronts the app. The platform
/// then sets WEBSITE_AUTH_ENABLED and replaces any X-MS-CLIENT-PRINCIPAL header a client sends with the signed-in
/// caller's claims, so the header is trusted only then; without Easy Auth the function keys are the only gate.
/// </summary>
public sealed class EasyAuthRoles(IConfiguration configuration)
{
    /// <summary>The app role (in the Entra app registration) a caller needs to start a re-index.</summary>
    public const string ReindexRole = "BitEarth.Reindex";

    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    public bool Enabled => string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the caller may go on: Easy Auth is off, or the caller holds <paramref name="role"/>.</summary>
    public RequestError? Require(HttpRequest request, string role)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enabled) return null;
        if (request.Headers[PrincipalHeader].FirstOrDefault() is not { Length: > 0 } header)
            return new RequestError(StatusCodes.Status401Unauthorized, "sign in with Microsoft Entra ID");
        return Roles(header).Contains(role)
            ? null
            : new RequestError(StatusCodes.Status403Forbidden, $"the caller lacks the app role '{role}'");
    }

    // Base64 JSON: {"auth_typ", "claims": [{"typ", "val"}], "name_typ", "role_typ"}; roles are the role_typ claims.
    private static HashSet<string> Roles(string header)
    {
        var roles = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var principal = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            var root = principal.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return roles;
            var roleType = root.TryGetProperty("role_typ", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "roles";
            if (!root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array) return roles;
            foreach (var claim in claims.EnumerateArray())
                if (claim.ValueKind == JsonValueKind.Object
                    && claim.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String
                    && (typ.GetString() == roleType || typ.GetString() == "roles")
                    && claim.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String)
                    roles.Add(val.GetString()!);
        }
        catch (Exception e) when (e is FormatException or JsonException) { roles.Clear(); }
        return roles;
    }
}
