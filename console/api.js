// The JSON API as the console calls it: the logged-in session's key (and,
// for a server without keys, its tenant) on every request, and failures as
// ApiError carrying the server's {"error": {"code", "status", "message"}}.

const STORAGE_KEY = 'pollinator.console.session';

export class ApiError extends Error {
  constructor(httpStatus, status, message) {
    super(message);
    this.httpStatus = httpStatus;  // 0 when the server could not be reached
    this.status = status;          // "UNAUTHENTICATED", "NOT_FOUND", ...
  }
}

let session = null;

// {key, tenant} from sessionStorage: it ends with the browser tab, so a key
// is not left behind on a shared staff computer.
export function restoreSession() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
    if (stored && typeof stored.key === 'string' && typeof stored.tenant === 'string') session = stored;
  } catch {
    session = null;
  }
  return session;
}

export function startSession(key, tenant) {
  session = {key, tenant};
}

export function keepSession() {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function endSession() {
  session = null;
  sessionStorage.removeItem(STORAGE_KEY);
}

// "pk_0123456789ab": the key's public id, safe to show; never the secret.
export function sessionLabel() {
  if (!session) return '';
  const parts = [];
  const id = /^pk_([0-9a-z]+)_/i.exec(session.key);
  if (id) parts.push(`key pk_${id[1]}`);
  if (session.tenant) parts.push(`tenant ${session.tenant}`);
  return parts.length ? `Logged in with ${parts.join(', ')}` : 'Logged in';
}

// Calls `method path` and resolves to the parsed JSON reply. `query` fills
// request fields as URL parameters; `body` is sent as JSON.
export async function call(method, path, {query = {}, body} = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  // Without keys (--auth=none) every request must name its tenant; with keys
  // the tenant is the key's, and a query parameter fills any request's
  // top-level `tenant` field whatever its body.
  if (session?.tenant) url.searchParams.set('tenant', session.tenant);
  const headers = {Accept: 'application/json'};
  if (session?.key) headers.Authorization = `Bearer ${session.key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, 'UNAVAILABLE', `the server cannot be reached (${error.message})`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = null;  // a proxy's HTML error page, say
  }
  if (!response.ok) {
    const error = json?.error ?? {};
    throw new ApiError(response.status, error.status ?? `HTTP ${response.status}`,
                       error.message ?? (response.statusText || 'request failed'));
  }
  if (json === null) throw new ApiError(response.status, 'INTERNAL', 'the reply is not JSON');
  return json;
}
