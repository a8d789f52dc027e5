using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BitEarth.Functions.Hosting;

/// <summary>Every error a client sees is JSON with a reason.</summary>
public static class ErrorResults
{
    public static IActionResult Status(int status, string reason) =>
        new ObjectResult(new { error = reason }) { StatusCode = status };

    public static IActionResult BadRequest(string reason) => Status(StatusCodes.Status400BadRequest, reason);

    public static IActionResult NotFound(string reason) => Status(StatusCodes.Status404NotFound, reason);
}
