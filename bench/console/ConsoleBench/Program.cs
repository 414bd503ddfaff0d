// Console page-load benchmark: in Debian's chromium (headless, through Microsoft.Playwright), the time from
// navigating to the console's Apps page until its table shows every app, against the reference of the same run:
// the API call that page makes (GET /v1/apps?limit=200) timed from the same browser with fetch().
// Usage: ConsoleBench URL TOKEN EXPECTED_APPS RUNS
using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

var (url, token, apps, runs) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
var context = await browser.NewContextAsync(new() { BaseURL = url, ViewportSize = new() { Width = 1280, Height = 900 } });
var page = await context.NewPageAsync();
await page.GotoAsync("/");
await page.GetByLabel("API token").FillAsync(token);
await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
await page.Locator("table[aria-label='Apps'] tbody tr").Nth(apps - 1).WaitForAsync();

var pageTimes = new List<double>();
var harnessTimes = new List<double>();
var apiTimes = new List<double>();
for (var i = 0; i < runs + 3; i++)
{
    // A full load: a new document, its files (kept by the browser while their version holds), the session, the list, the table.
    var clock = Stopwatch.StartNew();
    await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit });
    await page.Locator("table[aria-label='Apps'] tbody tr").Nth(apps - 1).WaitForAsync();
    // The browser's own clock: milliseconds since this document's navigation started (no harness round trips).
    var sinceNavigation = await page.EvaluateAsync<double>("() => performance.now()");
    if (i >= 3)
    {
        // The first loads warm the server's JIT and the browser's cache; they are not counted.
        pageTimes.Add(sinceNavigation);
        harnessTimes.Add(clock.Elapsed.TotalMilliseconds);
    }
}
if (Environment.GetEnvironmentVariable("CONSOLE_BENCH_TRACE") == "1")
{
    // Where the last load spent its time: the document and every file or API call, as the browser timed them.
    Console.WriteLine(await page.EvaluateAsync<string>(
        "() => performance.getEntries().map(e => `${e.entryType} ${e.name.replace(location.origin, '')} start ${e.startTime.toFixed(0)} end ${(e.responseEnd ?? e.startTime + e.duration).toFixed(0)}${e.transferSize !== undefined ? ` bytes ${e.transferSize}` : ''}`).join('\\n')"));
}

// The reference, once the page is idle: the list request alone, from the same browser with the same cookie.
await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
for (var i = 0; i < runs; i++)
{
    apiTimes.Add(await page.EvaluateAsync<double>("async () => { const t = performance.now(); await (await fetch('/v1/apps?limit=200', { credentials: 'same-origin' })).json(); return performance.now() - t; }"));
}

static double Quantile(List<double> values, double q)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(q * (sorted.Count - 1)))];
}

var (p50, p95, api50, harness50) = (Quantile(pageTimes, 0.5), Quantile(pageTimes, 0.95), Quantile(apiTimes, 0.5), Quantile(harnessTimes, 0.5));
Console.WriteLine(FormattableString.Invariant($"apps page with {apps} apps, {runs} loads: p50 {p50:F0} ms, p95 {p95:F0} ms (browser clock, navigation start to last row); GET /v1/apps alone p50 {api50:F1} ms; page/API ratio {p50 / api50:F1}x; harness wall clock p50 {harness50:F0} ms"));
