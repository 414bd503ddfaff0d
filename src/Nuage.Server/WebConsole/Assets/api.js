// Talks to the REST API (/v1) with the console's session cookie; every change carries the session's CSRF token.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code || 'http_error';
    this.errors = problem?.errors || [];
  }
}

export const session = { role: null, tokenId: null, description: null, csrf: null, org: null, operator: false };

// The organisation roles in order of power (what the server's Role enum says); the operator is above all of them.
const ranks = { viewer: 1, accountant: 2, developer: 3, manager: 4, admin: 5 };

/** True when the signed-in token's role is at least `role` (what the server will check anyway). */
export function can(role) {
  return session.operator || (ranks[session.role] || 0) >= ranks[role];
}

async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Nuage-Csrf'] = session.csrf || '';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/console/session')) window.dispatchEvent(new Event('nuage:signed-out'));
    throw new ApiError(response.status, json);
  }
  return json;
}

export const api = {
  get: (path) => send('GET', path),
  post: (path, body) => send('POST', path, body ?? {}),
  put: (path, body) => send('PUT', path, body),
  del: (path) => send('DELETE', path),
};

/** The session's answer also says who it acts as: its organisation (null for the platform operator) and whether it is the operator. */
function adopt(answer) {
  Object.assign(session, answer, { org: answer.org || null, operator: !!answer.operator });
}

export async function loadSession() {
  try {
    adopt(await api.get('/console/session'));
    return true;
  } catch (e) {
    if (e.status === 401) return false;
    throw e;
  }
}

export async function signIn(token) {
  adopt(await api.post('/console/session', { token }));
}

export async function signOut() {
  await api.del('/console/session');
  Object.assign(session, { role: null, tokenId: null, description: null, csrf: null, org: null, operator: false });
}

/**
 * Follows a Server-Sent Events endpoint of the API. The browser's EventSource sends the session cookie and
 * resumes with Last-Event-ID after a network blip. Returns a function that stops following.
 */
export function follow(path, onData, onState) {
  const source = new EventSource(path);
  source.onmessage = (event) => onData(JSON.parse(event.data));
  source.onopen = () => onState?.('live');
  source.onerror = () => onState?.(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  return () => source.close();
}

export const enc = encodeURIComponent;
