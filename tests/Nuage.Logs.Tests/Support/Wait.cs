namespace Nuage.Logs.Tests.Support;

internal static class Wait
{
    /// <summary>Polls until the condition holds; fails after a generous timeout (never a performance threshold).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 30, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"timed out after {seconds}s waiting for {what}. {describe?.Invoke()}");
    }
}
