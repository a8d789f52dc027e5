using System.Text;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace BitEarth.Functions.Tests.Hosting;

/// <summary>Under Easy Auth a re-index needs the app role in the platform's principal header; without it, keys alone decide.</summary>
public sealed class EasyAuthRolesTests
{
    private static EasyAuthRoles Roles(bool easyAuth) => new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = easyAuth ? "True" : null }).Build());

    private static HttpRequest Request(string? principalJson)
    {
        var http = new DefaultHttpContext();
        if (principalJson is not null)
            http.Request.Headers[EasyAuthRoles.PrincipalHeader] = Convert.ToBase64String(Encoding.UTF8.GetBytes(principalJson));
        return http.Request;
    }

    private static string Principal(params string[] roles) =>
        "{\"auth_typ\":\"aad\",\"name_typ\":\"name\",\"role_typ\":\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\",\"claims\":[" +
        string.Join(',', roles.Select(r => $"{{\"typ\":\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\",\"val\":\"{r}\"}}")) + "]}";

    [Fact]
    public void Without_easy_auth_the_header_is_not_consulted() =>
        Assert.Null(Roles(easyAuth: false).Require(Request(null), EasyAuthRoles.ReindexRole));

    [Fact]
    public void Under_easy_auth_an_anonymous_caller_is_401() =>
        Assert.Equal(401, Roles(easyAuth: true).Require(Request(null), EasyAuthRoles.ReindexRole)!.Status);

    [Fact]
    public void Under_easy_auth_a_caller_without_the_role_is_403() =>
        Assert.Equal(403, Roles(easyAuth: true).Require(Request(Principal("Reader")), EasyAuthRoles.ReindexRole)!.Status);

    [Fact]
    public void Under_easy_auth_a_caller_with_the_role_may_reindex() =>
        Assert.Null(Roles(easyAuth: true).Require(Request(Principal("Reader", EasyAuthRoles.ReindexRole)), EasyAuthRoles.ReindexRole));

    [Fact]
    public void Roles_claims_named_roles_count_too() =>
        Assert.Null(Roles(easyAuth: true).Require(
            Request($"{{\"claims\":[{{\"typ\":\"roles\",\"val\":\"{EasyAuthRoles.ReindexRole}\"}}]}}"), EasyAuthRoles.ReindexRole));

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"claims\": 5}")]
    [InlineData("{\"claims\": [1, {\"typ\": 2}]}")]
    public void A_garbled_principal_is_403(string json) =>
        Assert.Equal(403, Roles(easyAuth: true).Require(Request(json), EasyAuthRoles.ReindexRole)!.Status);

    [Fact]
    public void A_principal_that_is_not_base64_is_403()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers[EasyAuthRoles.PrincipalHeader] = "%%%";
        Assert.Equal(403, Roles(easyAuth: true).Require(http.Request, EasyAuthRoles.ReindexRole)!.Status);
    }
}
