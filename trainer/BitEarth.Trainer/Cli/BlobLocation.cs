using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BitEarth.Core.Patches;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// A blob container given by URL as --archive or --out: https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;
/// with the caller's Entra identity (DefaultAzureCredential: the job's managed identity through AZURE_CLIENT_ID,
/// az login on a workstation), or the local storage emulator at http://127.0.0.1:10000/devstoreaccount1/&lt;container&gt;
/// with its well-known development account key. No other credential is taken and plain http is refused elsewhere.
/// </summary>
public sealed class BlobLocation
{
    public enum CredentialKind { Identity, DevelopmentAccountKey }

    /// <summary>Azurite's published development account (not a secret: the same in every emulator).</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly BlobContainerClient _container;

    private BlobLocation(Uri url, CredentialKind credential, BlobContainerClient container)
    {
        Url = url;
        Credential = credential;
        _container = container;
    }

    public Uri Url { get; }

    public CredentialKind Credential { get; }

    public string ContainerName => _container.Name;

    /// <summary>True when <paramref name="value"/> is an http(s) URL rather than a folder path.</summary>
    public static bool IsUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <exception cref="ArgumentException">Not a container URL this trainer can authenticate to.</exception>
    public static BlobLocation Parse(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"'{value}' is not an http(s) URL of a blob container", nameof(value));
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (url.IsLoopback)
        {
            if (segments.Length != 2 || segments[0] != DevelopmentAccount)
                throw new ArgumentException($"'{value}': a storage emulator URL is http://127.0.0.1:10000/{DevelopmentAccount}/<container>", nameof(value));
            var key = new StorageSharedKeyCredential(DevelopmentAccount, DevelopmentAccountKey);
            return new BlobLocation(url, CredentialKind.DevelopmentAccountKey, new BlobContainerClient(url, key));
        }
        if (url.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"'{value}': blob storage outside this machine is reached over https only", nameof(value));
        if (segments.Length != 1)
            throw new ArgumentException($"'{value}' is not a container URL (https://<account>.blob.core.windows.net/<container>)", nameof(value));
        TokenCredential identity = new DefaultAzureCredential();
        return new BlobLocation(url, CredentialKind.Identity, new BlobContainerClient(url, identity));
    }

    /// <summary>Every blob of the container as an ingest blob (name and content), in name order.</summary>
    public async Task<List<PatchBlob>> ReadAllAsync(CancellationToken cancel)
    {
        var blobs = new List<PatchBlob>();
        await foreach (var item in _container.GetBlobsAsync(cancellationToken: cancel))
        {
            var content = await _container.GetBlobClient(item.Name).DownloadContentAsync(cancel);
            blobs.Add(new PatchBlob(item.Name, content.Value.Content.ToArray()));
        }
        return blobs;
    }

    /// <summary>
    /// Writes (or replaces) one blob. A missing container is created (the emulator's; a deployed identity holds
    /// data rights on its existing container only, so the container is not created up front).
    /// </summary>
    public async Task WriteAsync(string name, byte[] content, CancellationToken cancel)
    {
        var blob = _container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(new BinaryData(content), overwrite: true, cancel);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancel);
            await blob.UploadAsync(new BinaryData(content), overwrite: true, cancel);
        }
    }
}
