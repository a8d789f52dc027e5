using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BitEarth.Functions.Tests;

/// <summary>
/// The explorer page in Debian's Chromium (driven by Playwright, which downloads no browser of its own) against a local
/// host that ingested the real EuroSAT and BigEarthNet patches of ../shared/data. Each state is saved as a screenshot
/// under artifacts/screenshots (CI keeps them).
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class ExplorerBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string Screenshots = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");

    private LocalHostRunner _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium");
        _host = await LocalHostRunner.StartAsync("embedded", archive: RepoPaths.SharedData);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        _page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        _page.Console += (_, message) => { if (message.Type == "error") output.WriteLine($"browser console: {message.Text}"); };
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Search_click_upload_filter_feedback_and_errors_work_in_the_browser()
    {
        // 1. A link opens its search: k results, every thumbnail loaded.
        await _page.GotoAsync($"{_host.Http.BaseAddress}?patchId=Forest_3&k=12");
        var first = await ResultsAsync(12);
        await ExpectImagesLoadedAsync();
        await ShotAsync("01-query-by-link");

        // 2. Clicking a result searches with it; the URL follows.
        var clicked = first[1];
        await _page.Locator($".card[data-patch-id='{clicked}'] img").ClickAsync();
        await Assertions.Expect(_page.Locator("#status")).ToContainTextAsync($"for {clicked}");
        await ResultsAsync(12);
        Assert.Contains($"patchId={clicked}", _page.Url, StringComparison.Ordinal);
        await ShotAsync("02-query-by-click");

        // 3. A BigEarthNet patch folder uploaded as .zip is the query.
        var zip = ZipOf(Directory.GetDirectories(Path.Combine(RepoPaths.SharedData, "bigearthnet-v1", "S2")).Order(StringComparer.Ordinal).First());
        await _page.Locator("#file").SetInputFilesAsync(zip);
        await Assertions.Expect(_page.Locator("#status")).ToContainTextAsync($"uploaded {Path.GetFileName(zip)}");
        await ResultsAsync(12);
        await ExpectImagesLoadedAsync();
        await ShotAsync("03-query-by-upload");

        // 4. A label of the histogram filters: every result then carries it.
        await _page.GotoAsync($"{_host.Http.BaseAddress}?patchId=Forest_3&k=12");
        await ResultsAsync(12);
        // The second most frequent label: a filter that keeps some results and drops others.
        var label = await _page.Locator(".bar").Nth(1).GetAttributeAsync("data-label") ?? "";
        await _page.Locator(".bar").Nth(1).ClickAsync();
        await Assertions.Expect(_page.Locator("#activeLabels")).ToHaveTextAsync(label);
        await Assertions.Expect(_page.Locator("#status")).ToContainTextAsync("results for Forest_3");
        var labels = await _page.Locator(".card:not(.query) .labels").AllTextContentsAsync();
        Assert.NotEmpty(labels);
        Assert.All(labels, l => Assert.Contains(label, l, StringComparison.Ordinal));
        Assert.Contains("labels=" + Uri.EscapeDataString(label).Replace("%20", "+", StringComparison.Ordinal), _page.Url, StringComparison.Ordinal);
        await ShotAsync("04-label-filter");

        // 5. Feedback: marking the top result not relevant and another relevant changes the ranking.
        await _page.GotoAsync($"{_host.Http.BaseAddress}?patchId=Forest_3&k=12");
        var before = await ResultsAsync(12);
        await _page.Locator($".card[data-patch-id='{before[0]}'] button.irrelevant").ClickAsync();
        await Assertions.Expect(_page.Locator("#feedbackText")).ToContainTextAsync("1 not relevant");
        var afterIrrelevant = await ResultsAsync(12);
        Assert.DoesNotContain(before[0], afterIrrelevant);
        var relevant = afterIrrelevant[^1];
        await _page.Locator($".card[data-patch-id='{relevant}'] button.relevant").ClickAsync();
        await Assertions.Expect(_page.Locator("#feedbackText")).ToContainTextAsync("1 relevant");
        var afterRelevant = await ResultsAsync(12);
        Assert.NotEqual(before, afterRelevant);
        Assert.True(afterRelevant.IndexOf(relevant) is >= 0 and < 11, $"{relevant} did not move up: {string.Join(", ", afterRelevant)}");
        output.WriteLine($"before: {string.Join(", ", before)}\nafter:  {string.Join(", ", afterRelevant)}");
        await ShotAsync("05-relevance-feedback");

        // 6. An API error is shown with its reason.
        await _page.GotoAsync($"{_host.Http.BaseAddress}?patchId=No_such_patch&k=5");
        await Assertions.Expect(_page.Locator("#error")).ToContainTextAsync("Not found (404): Patch 'No_such_patch' is not in the archive.");
        await ShotAsync("06-error");
    }

    /// <summary>Waits for a finished search showing <paramref name="k"/> results and returns their ids in rank order.</summary>
    private async Task<List<string>> ResultsAsync(int k)
    {
        await Assertions.Expect(_page.Locator("#status")).ToHaveTextAsync(ResultsLine());
        await Assertions.Expect(_page.Locator(".card:not(.query)")).ToHaveCountAsync(k);
        var ids = await _page.Locator(".card:not(.query)").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.patchId)");
        return [.. ids];
    }

    private async Task ExpectImagesLoadedAsync()
    {
        await _page.WaitForFunctionAsync("() => [...document.querySelectorAll('.card img')].every(i => i.complete && i.naturalWidth > 0)");
    }

    private async Task ShotAsync(string name)
    {
        var path = Path.Combine(Screenshots, $"{name}.png");
        await _page.ScreenshotAsync(new() { Path = path, FullPage = false });
        output.WriteLine($"screenshot {path}");
    }

    private static string ZipOf(string folder)
    {
        var zip = Path.Combine(Directory.CreateTempSubdirectory("bitearth-upload-").FullName, Path.GetFileName(folder) + ".zip");
        ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Fastest, includeBaseDirectory: true);
        return zip;
    }

    [GeneratedRegex(@"^\d+ results for ")]
    private static partial Regex ResultsLine();
}
