using System.Net.Sockets;
using Nuage.Core.Routing;
using Nuage.Router.Routing;

namespace Nuage.Router;

/// <summary>
/// Active health checks: every <c>CC_HEALTH_CHECK_PATH</c> must answer 2xx, or, when there is none, the instance
/// must accept a TCP connection on its port. Used by the deploy orchestrator before a switch and by passive health to re-admit.
/// </summary>
public sealed class HealthChecker : IDisposable
{
    private readonly HttpMessageInvoker _client;
    private readonly TimeSpan _probeTimeout;
    private readonly TimeSpan _probeInterval;
    private readonly TimeProvider _time;

    /// <summary>Creates a checker with the probe timeout and interval of <paramref name="options"/>.</summary>
    public HealthChecker(RouterOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _probeTimeout = options.HealthProbeTimeout;
        _probeInterval = options.HealthProbeInterval;
        _time = time ?? TimeProvider.System;
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = _probeTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
            ActivityHeadersPropagator = null,
        });
    }

    /// <summary>Runs the checks once. Never throws for an unhealthy instance: the result names the failing check.</summary>
    public async Task<HealthCheckResult> CheckAsync(InstanceEndpoint instance, IReadOnlyList<string> healthPaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(healthPaths);
        var address = InstanceAddress.Parse(instance);
        if (healthPaths.Count == 0)
        {
            return await CheckTcpAsync(instance, address, cancellationToken);
        }

        foreach (var path in healthPaths)
        {
            var result = await CheckPathAsync(instance, address, path, cancellationToken);
            if (!result.Healthy)
            {
                return result;
            }
        }

        return new HealthCheckResult(instance.InstanceId, true);
    }

    /// <summary>
    /// Probes every instance until it passes or <paramref name="timeout"/> elapses. The report is healthy only when all passed;
    /// otherwise it names each failing instance's last failing check.
    /// </summary>
    public async Task<HealthReport> WaitHealthyAsync(
        IReadOnlyList<InstanceEndpoint> instances, IReadOnlyList<string> healthPaths, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var started = _time.GetTimestamp();
        var results = await Task.WhenAll(instances.Select(i => WaitOneAsync(i, healthPaths, started, timeout, cancellationToken)));
        return HealthReport.From(instances, results, _time.GetElapsedTime(started));
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private async Task<HealthCheckResult> WaitOneAsync(
        InstanceEndpoint instance, IReadOnlyList<string> healthPaths, long started, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await CheckAsync(instance, healthPaths, cancellationToken);
            if (result.Healthy || _time.GetElapsedTime(started) + _probeInterval > timeout)
            {
                return result;
            }

            await Task.Delay(_probeInterval, _time, cancellationToken);
        }
    }

    private async Task<HealthCheckResult> CheckTcpAsync(InstanceEndpoint instance, InstanceAddress address, CancellationToken cancellationToken)
    {
        var check = $"TCP {address.Host}:{address.Port}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_probeTimeout);
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
            return new HealthCheckResult(instance.InstanceId, true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(instance.InstanceId, false, check, $"no answer within {_probeTimeout.TotalSeconds:0.#}s");
        }
        catch (SocketException e)
        {
            return new HealthCheckResult(instance.InstanceId, false, check, Describe(e));
        }
    }

    private async Task<HealthCheckResult> CheckPathAsync(InstanceEndpoint instance, InstanceAddress address, string path, CancellationToken cancellationToken)
    {
        var normalized = path.StartsWith('/') ? path : "/" + path;
        var check = $"GET {normalized}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_probeTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address.Prefix + normalized));
            using var response = await _client.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300
                ? new HealthCheckResult(instance.InstanceId, true)
                : new HealthCheckResult(instance.InstanceId, false, check, $"answered {status}, expected 2xx");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(instance.InstanceId, false, check, $"no answer within {_probeTimeout.TotalSeconds:0.#}s");
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is SocketException s ? Describe(s) : e.Message;
            return new HealthCheckResult(instance.InstanceId, false, check, reason);
        }
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens on the port)",
        SocketError.TimedOut => "connection timed out",
        _ => e.Message,
    };
}
