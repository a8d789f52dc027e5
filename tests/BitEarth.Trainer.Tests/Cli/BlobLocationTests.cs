using System.CommandLine;
using Azure.Storage;
using Azure.Storage.Blobs;
using BitEarth.Core.Encoders;
using BitEarth.Core.Synthetic;
using BitEarth.Onnx;
using BitEarth.Trainer.Cli;

namespace BitEarth.Trainer.Tests.Cli;

/// <summary>train --archive / --out as blob container URLs, against the Azurite emulator already running on 127.0.0.1:10000.</summary>
public class BlobLocationTests
{
    private const string Emulator = "http://127.0.0.1:10000/devstoreaccount1";

    [Theory]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/encoders", BlobLocation.CredentialKind.DevelopmentAccountKey)]
    [InlineData("http://localhost:10000/devstoreaccount1/patches", BlobLocation.CredentialKind.DevelopmentAccountKey)]
    [InlineData("https://bitearthdata.blob.core.windows.net/encoders", BlobLocation.CredentialKind.Identity)]
    public void The_emulator_gets_its_development_key_and_azure_storage_the_callers_identity(string url, BlobLocation.CredentialKind credential)
    {
        var location = BlobLocation.Parse(url);
        Assert.Equal(credential, location.Credential);
        Assert.Equal(url.Split('/')[^1], location.ContainerName);
    }

    [Theory]
    [InlineData("http://bitearthdata.blob.core.windows.net/encoders")] // identity tokens never go over plain http
    [InlineData("http://127.0.0.1:10000/someaccount/encoders")] // the emulator's key belongs to devstoreaccount1 only
    [InlineData("https://bitearthdata.blob.core.windows.net/encoders/deep-1.json")] // a blob, not a container
    [InlineData("https://bitearthdata.blob.core.windows.net/")]
    public void Urls_that_are_not_a_reachable_container_are_refused(string url) =>
        Assert.Throws<ArgumentException>(() => BlobLocation.Parse(url));

    [Fact]
    public async Task Train_reads_ingest_blobs_from_one_container_and_writes_the_encoder_the_service_loads_to_another()
    {
        string run = Guid.NewGuid().ToString("N")[..12];
        var service = new BlobServiceClient(new Uri(Emulator), new StorageSharedKeyCredential(BlobLocation.DevelopmentAccount,
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="));
        var patches = service.GetBlobContainerClient($"patches-{run}");
        var encoders = service.GetBlobContainerClient($"encoders-{run}");
        await patches.CreateAsync();
        try
        {
            foreach (var blob in SyntheticArchive.Generate(12, seed: 3))
                await patches.UploadBlobAsync(blob.Name, new BinaryData(blob.Content));

            string[] args = ["train", "--archive", $"{Emulator}/{patches.Name}", "--modality", "both", "--bits", "16", "--epochs", "1",
                "--batch", "16", "--input-size", "16", "--version-name", "deep-blob-test", "--out", $"{Emulator}/{encoders.Name}"];
            int exit = await new RootCommand { TrainCommand.Create() }.Parse(args).InvokeAsync();
            Assert.Equal(0, exit);

            var names = new List<string>();
            await foreach (var item in encoders.GetBlobsAsync()) names.Add(item.Name);
            Assert.Equal([EncoderCatalog.BlobName("deep-blob-test"), "deep-blob-test.png"], names.Order(StringComparer.Ordinal));
            var content = await encoders.GetBlobClient(EncoderCatalog.BlobName("deep-blob-test")).DownloadContentAsync();
            using var hasher = OnnxHasher.Load(content.Value.Content.ToStream());
            Assert.Equal("deep-blob-test", hasher.Version);
            Assert.Equal(16, hasher.Bits);
            Assert.Contains($"container {Emulator}/{patches.Name}", hasher.Manifest.TrainingData, StringComparison.Ordinal);
        }
        finally
        {
            await patches.DeleteIfExistsAsync();
            await encoders.DeleteIfExistsAsync();
        }
    }
}
