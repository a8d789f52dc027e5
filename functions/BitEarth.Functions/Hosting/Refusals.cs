using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace BitEarth.Functions.Hosting;

/// <summary>Every refused request is answered with its reason, logged with it and counted.</summary>
public sealed partial class Refusals(ArchiveMetrics metrics, ILogger<Refusals> log)
{
    public IActionResult Refuse(string function, RequestError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        LogRefused(log, function, error.Status, error.Reason);
        metrics.Refused(function, error.Status);
        return error.ToResult();
    }

    /// <summary>
    /// An unexpected failure: the client gets a generic message with a reference to quote, the log gets the details
    /// under the same reference.
    /// </summary>
    public IActionResult Fail(string function, string reference, string details)
    {
        LogFailed(log, function, reference, details);
        return ErrorResults.Status(500, $"{function} failed unexpectedly; quote reference '{reference}' to find the details in the logs");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function} refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string function, int status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function} failed, reference {Reference}: {Details}")]
    private static partial void LogFailed(ILogger logger, string function, string reference, string details);
}
