using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace BitEarth.Core.Patches;

/// <summary>
/// LibTiff reports problems through one process-wide handler that by default prints to the console (GeoTIFF
/// tags alone trigger "unknown tag" warnings). This handler stays silent and keeps the calling thread's last
/// error so a failed read can name its reason in a <see cref="PatchFormatException"/>.
/// </summary>
internal sealed class QuietTiffErrors : TiffErrorHandler
{
    [ThreadStatic] private static string? lastError;

    private static readonly Lazy<bool> Installed = new(() =>
    {
        Tiff.SetErrorHandler(new QuietTiffErrors());
        return true;
    });

    public static void Install() => _ = Installed.Value;

    /// <summary>Returns and clears the calling thread's last LibTiff error.</summary>
    public static string? TakeLastError()
    {
        var error = lastError;
        lastError = null;
        return error;
    }

    public override void ErrorHandler(Tiff tif, string method, string format, params object[] args) =>
        lastError = Format(method, format, args);

    public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) =>
        lastError = Format(method, format, args);

    public override void WarningHandler(Tiff tif, string method, string format, params object[] args) { }

    public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) { }

    private static string Format(string method, string format, object[] args)
    {
        try { return $"{method}: {string.Format(CultureInfo.InvariantCulture, format, args)}"; }
        catch (FormatException) { return $"{method}: {format}"; }
    }
}
