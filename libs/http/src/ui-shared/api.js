// The page's only way to the API: same origin, X-API-Key from this tab's session storage.

const KEY_STORAGE = 'supportdesk.apiKey';

export const apiKeyStore = {
  get: () => sessionStorage.getItem(KEY_STORAGE),
  set: (key) => sessionStorage.setItem(KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

/** /api/v1/ next to /ui/, wherever the app is mounted. */
export const API_BASE = new URL('../api/v1/', location.href);

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the API and unwraps the `{ success, data }` envelope; failures throw ApiError with the error code. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { 'X-API-Key': apiKeyStore.get() ?? '', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(new URL(path, API_BASE), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached');
  }
  const envelope = await response.json().catch(() => undefined);
  if (!response.ok || !envelope?.success) {
    const error = envelope?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
    );
  }
  return envelope.data;
}

export function pathOf(template, ...values) {
  return template.reduce(
    (path, part, i) => path + part + (i < values.length ? encodeURIComponent(values[i]) : ''),
    '',
  );
}
