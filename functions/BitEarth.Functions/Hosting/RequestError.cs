using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BitEarth.Functions.Hosting;

/// <summary>Why a request is refused: the 4xx status and a reason a client can act on (no exception or type names).</summary>
public sealed record RequestError(int Status, string Reason)
{
    public static RequestError BadRequest(string reason) => new(StatusCodes.Status400BadRequest, reason);

    public static RequestError TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"request body is larger than {limit} bytes");

    public IActionResult ToResult() => ErrorResults.Status(Status, Reason);
}
