using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Nuage.Router.Acme;

namespace Nuage.Server.Acme;

/// <summary>
/// Publishes and withdraws challenge answers (the router serves HTTP-01 at <c>/.well-known/acme-challenge/TOKEN</c>, TLS-ALPN-01
/// in the handshake); publishing returns once the answer is served (also by a separate router process).
/// </summary>
internal interface IAcmeChallengeResponder
{
    Task PublishAsync(string domain, string token, string keyAuthorization, string type, CancellationToken cancellationToken);

    void Withdraw(string domain, string token);
}

/// <summary>A certificate issued by the CA: the full chain (leaf first) and its private key, both PEM.</summary>
internal sealed record AcmeCertificate(string ChainPem, string KeyPem, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>
/// One issuance, RFC 8555 §7.4: newOrder for the domain, the chosen challenge (HTTP-01 or TLS-ALPN-01, RFC 8737) for each
/// pending authorization, finalize with a CSR
/// for a fresh P-256 key, wait for the order to become valid, download the chain. Polls honour <c>Retry-After</c>.
/// </summary>
internal sealed class AcmeOrderFlow(AcmeClient client, IAcmeChallengeResponder responder, TimeProvider time, string challengeType = AcmeChallengeTypes.Http01)
{
    private static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(10);

    /// <summary>Most time one order may take before it is abandoned (and retried later, with backoff).</summary>
    public TimeSpan OrderTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Creates the account (or finds the existing one for this key, RFC 8555 §7.3) and remembers its URL.</summary>
    public async Task<string> EnsureAccountAsync(string email, CancellationToken cancellationToken)
    {
        if (client.AccountUrl is { } known)
        {
            return known;
        }

        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["termsOfServiceAgreed"] = true,
            ["contact"] = new[] { $"mailto:{email}" },
        });
        var reply = await client.PostAsync(await client.EndpointAsync("newAccount", cancellationToken), payload, cancellationToken);
        client.AccountUrl = reply.Location?.ToString() ?? throw new AcmeProblemException("protocol", "the CA created the account without giving its URL (Location)", (int)reply.Status, null);
        return client.AccountUrl;
    }

    public async Task<AcmeCertificate> IssueAsync(string domain, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(OrderTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await IssueOnceAsync(domain, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AcmeProblemException("timeout", $"the order for {domain} did not complete within {OrderTimeout.TotalSeconds:0} s", 0, null);
        }
    }

    private async Task<AcmeCertificate> IssueOnceAsync(string domain, CancellationToken cancellationToken)
    {
        var newOrder = JsonSerializer.Serialize(new { identifiers = new[] { new { type = "dns", value = domain } } });
        var created = await client.PostAsync(await client.EndpointAsync("newOrder", cancellationToken), newOrder, cancellationToken);
        var orderUrl = created.Location?.ToString() ?? throw new AcmeProblemException("protocol", "the CA created the order without giving its URL (Location)", (int)created.Status, null);
        var order = created.Body;

        foreach (var authorization in order.GetProperty("authorizations").EnumerateArray())
        {
            await AuthorizeAsync(authorization.GetString()!, cancellationToken);
        }

        order = await PollAsync(orderUrl, ["ready", "valid"], "order", cancellationToken);
        using var certificateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (Status(order) == "ready")
        {
            var csr = CertificateSigningRequest(domain, certificateKey);
            await client.PostAsync(order.GetProperty("finalize").GetString()!, JsonSerializer.Serialize(new { csr = AcmeJws.Base64Url(csr) }), cancellationToken);
            order = await PollAsync(orderUrl, ["valid"], "order", cancellationToken);
        }

        var certificateUrl = order.TryGetProperty("certificate", out var url) ? url.GetString()! : throw new AcmeProblemException("protocol", "the valid order has no certificate URL", 0, null);
        var chain = await client.PostAsync(certificateUrl, null, cancellationToken, accept: "application/pem-certificate-chain");
        using var leaf = X509Certificate2.CreateFromPem(chain.Text);
        return new AcmeCertificate(
            chain.Text,
            certificateKey.ExportPkcs8PrivateKeyPem(),
            new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }

    private async Task AuthorizeAsync(string authorizationUrl, CancellationToken cancellationToken)
    {
        var authorization = (await client.PostAsync(authorizationUrl, null, cancellationToken)).Body;
        if (Status(authorization) == "valid")
        {
            return; // the CA reuses a recent validation of this account
        }

        var domain = authorization.GetProperty("identifier").GetProperty("value").GetString()!;
        var challenge = authorization.GetProperty("challenges").EnumerateArray().FirstOrDefault(c => c.GetProperty("type").GetString() == challengeType);
        if (challenge.ValueKind != JsonValueKind.Object)
        {
            throw new AcmeProblemException("unsupported", $"the CA offers no {challengeType} challenge for {domain}", 0, null);
        }

        var token = challenge.GetProperty("token").GetString()!;
        await responder.PublishAsync(domain, token, client.Key.KeyAuthorization(token), challengeType, cancellationToken);
        try
        {
            await client.PostAsync(challenge.GetProperty("url").GetString()!, "{}", cancellationToken);
            authorization = await PollAsync(authorizationUrl, ["valid"], "authorization", cancellationToken);
        }
        finally
        {
            responder.Withdraw(domain, token);
        }
    }

    /// <summary>POST-as-GET until the resource reaches one of <paramref name="wanted"/>; <c>invalid</c> throws the CA's error.</summary>
    private async Task<JsonElement> PollAsync(string url, string[] wanted, string what, CancellationToken cancellationToken)
    {
        while (true)
        {
            var reply = await client.PostAsync(url, null, cancellationToken);
            var status = Status(reply.Body);
            if (wanted.Contains(status))
            {
                return reply.Body;
            }

            if (status is "invalid" or "deactivated" or "expired" or "revoked")
            {
                throw Failure(reply.Body, what, status);
            }

            var wait = reply.RetryAfter is { } asked ? TimeSpan.FromTicks(Math.Clamp(asked.Ticks, DefaultPoll.Ticks, MaxPoll.Ticks)) : DefaultPoll;
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private static AcmeProblemException Failure(JsonElement resource, string what, string status)
    {
        if (resource.TryGetProperty("error", out var error))
        {
            return AcmeProblemException.FromJson(error, 0, null);
        }

        if (resource.TryGetProperty("challenges", out var challenges) && challenges.ValueKind == JsonValueKind.Array)
        {
            foreach (var challenge in challenges.EnumerateArray())
            {
                if (challenge.TryGetProperty("error", out var challengeError))
                {
                    return AcmeProblemException.FromJson(challengeError, 0, null);
                }
            }
        }

        return new AcmeProblemException("urn:ietf:params:acme:error:unauthorized", $"the {what} became {status}", 0, null);
    }

    private static string Status(JsonElement resource) => resource.TryGetProperty("status", out var s) ? s.GetString() ?? "" : "";

    private static byte[] CertificateSigningRequest(string domain, ECDsa key)
    {
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequest();
    }
}
