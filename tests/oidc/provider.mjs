// A real OpenID Provider (npm oidc-provider, OpenID-certified) for the identity tests, shaped like Keycloak:
// issuer http://127.0.0.1:PORT/realms/nuage, device flow enabled, one public client "nuage-cli", one test account
// whose ID token carries preferred_username, email, groups and realm_access.roles. Listens on 127.0.0.1:0 and
// prints its issuer URL on the first line of stdout. Run from tools/ (its node_modules): node ../tests/oidc/provider.mjs
// Environment: OIDC_PORT (listen there instead of 0: a restart keeps the issuer), OIDC_DEVICE_CODE_TTL and
// OIDC_AUTH_CODE_TTL and OIDC_ACCESS_TOKEN_TTL (seconds), OIDC_WEB_REDIRECT_URIS (the web client "nuage-proxy"),
// OIDC_ID_TOKEN_ALG (how ID tokens for nuage-cli are signed: RS256 by default, or ES256), OIDC_CLIENT_AUTH_METHODS (below).
// Token revocation (RFC 7009) is on, so tests can revoke a refresh token as a user signing out at the provider would.
// Each start signs with a freshly generated RSA key (new kid), so a restart on the same port is a key rotation.
// A second public client, "other-app", lets tests obtain genuine ID tokens issued for another audience.
import crypto from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const { default: Provider } = await import(require.resolve('oidc-provider'));

const realm = '/realms/nuage';
const server = http.createServer();
await new Promise((resolve) => server.listen(Number(process.env.OIDC_PORT ?? 0), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}${realm}`;

const accounts = {
  alice: {
    sub: 'alice', email: 'alice@nuage.test', email_verified: true, preferred_username: 'alice',
    groups: ['/nuage/acme-admins'], realm_access: { roles: ['offline_access', 'nuage-developer'] },
  },
};

const signingKey = {
  ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: crypto.randomUUID(), use: 'sig', alg: 'RS256',
};
const ecKey = {
  ...crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
  kid: crypto.randomUUID(), use: 'sig', alg: 'ES256',
};
// Public native clients (RFC 8252): device flow, and the authorization code with PKCE back to a loopback redirect of
// any port (the console's callback and `nuage login --oidc --browser`'s both listen on 127.0.0.1:<ephemeral>).
// OIDC_DEVICE_FLOW=off: an issuer without the device grant (no device_authorization_endpoint in discovery).
const deviceFlow = process.env.OIDC_DEVICE_FLOW !== 'off';
const deviceClient = (id, alg = 'RS256') => ({
  client_id: id,
  application_type: 'native',
  id_token_signed_response_alg: alg,
  token_endpoint_auth_method: 'none',
  grant_types: [...(deviceFlow ? ['urn:ietf:params:oauth:grant-type:device_code'] : []), 'authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: ['http://127.0.0.1/callback', 'http://127.0.0.1/console/oidc/callback'],
});
// OIDC_CLIENT_AUTH_METHODS (comma-separated): the token endpoint authentication methods the provider supports and lists
// in discovery (default: oidc-provider's, client_secret_basic first).
const clientAuthMethods = process.env.OIDC_CLIENT_AUTH_METHODS?.split(',');
// A confidential client, as an operator registers for a server-side web app: secret "nuage-web-secret", registered
// with the first secret method the provider supports.
const confidentialClient = {
  ...deviceClient('nuage-web'),
  client_secret: 'nuage-web-secret',
  token_endpoint_auth_method: clientAuthMethods?.find((m) => m.startsWith('client_secret')) ?? 'client_secret_basic',
};

// A confidential web client for the router's app protection (`nuage protect oidc`): its callback is on the app's own host,
// so the test names it in OIDC_WEB_REDIRECT_URIS (comma-separated) once its router listens.
const webClients = process.env.OIDC_WEB_REDIRECT_URIS ? [{
  client_id: 'nuage-proxy',
  client_secret: 'nuage-proxy-secret',
  token_endpoint_auth_method: 'client_secret_post',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: process.env.OIDC_WEB_REDIRECT_URIS.split(','),
}] : [];

const provider = new Provider(issuer, {
  clients: [deviceClient('nuage-cli', process.env.OIDC_ID_TOKEN_ALG ?? 'RS256'), deviceClient('other-app'), confidentialClient, ...webClients],
  // Like Keycloak: a client allowed the refresh_token grant gets a refresh token without asking for offline_access.
  async issueRefreshToken(_ctx, client) { return client.grantTypeAllowed('refresh_token'); },
  jwks: { keys: [signingKey, ecKey] },
  conformIdTokenClaims: false, // like Keycloak: scope claims (email, groups…) go in the ID token itself
  ttl: {
    DeviceCode: Number(process.env.OIDC_DEVICE_CODE_TTL ?? 600), AuthorizationCode: Number(process.env.OIDC_AUTH_CODE_TTL ?? 60),
    AccessToken: Number(process.env.OIDC_ACCESS_TOKEN_TTL ?? 3600),
  },
  features: { deviceFlow: { enabled: deviceFlow }, devInteractions: { enabled: true }, revocation: { enabled: true } },
  ...(clientAuthMethods ? { clientAuthMethods } : {}),
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'], groups: ['groups', 'realm_access'] },
  scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
  async findAccount(_ctx, id) {
    const account = accounts[id] ?? { sub: id, email: `${id}@nuage.test`, preferred_username: id, groups: [], realm_access: { roles: [] } };
    return { accountId: id, async claims() { return account; } };
  },
});
provider.proxy = false;

const callback = provider.callback();
server.on('request', (req, res) => {
  // Test hook (not part of any provider): PUT /test/accounts/NAME/groups with a JSON array replaces that account's
  // groups, as an administrator removing a user from a group at the identity provider would.
  const hook = /^\/test\/accounts\/([a-z0-9-]+)\/groups$/.exec(req.url);
  if (hook && req.method === 'PUT') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const name = hook[1];
      accounts[name] ??= { sub: name, email: `${name}@nuage.test`, preferred_username: name, groups: [], realm_access: { roles: [] } };
      accounts[name].groups = JSON.parse(body);
      res.writeHead(204).end();
    });
    return;
  }

  if (!req.url.startsWith(realm)) {
    res.writeHead(404).end();
    return;
  }

  req.originalUrl = req.url;
  req.url = req.url.slice(realm.length) || '/';
  callback(req, res);
});

console.log(issuer);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
