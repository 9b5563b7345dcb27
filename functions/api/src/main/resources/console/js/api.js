// The API client of the console. The key lives in sessionStorage only (gone when the tab closes), travels only in
// the Authorization header, and is never put in a URL, a log or the page.

const KEY = 'voicedrop.apiKey';

/** The API's base: the console is served at <base>/console/, so the API is one level up (custom domains too). */
export const API_BASE = new URL('../', document.baseURI);

export class ApiError extends Error {
  constructor(status, code, message, detail, traceId) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.traceId = traceId;
  }
}

export function hasKey() {
  return !!sessionStorage.getItem(KEY);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** Checks a key with a cheap authenticated call; keeps it only if the API accepts it. */
export async function signIn(key) {
  await call('fish/model', {query: [['page_size', '1']], key});
  sessionStorage.setItem(KEY, key);
}

/**
 * One API call. path is relative to the API base ('fish/model'); query is a list of [name, value] pairs so repeated
 * parameters (tag=a&tag=b) are kept. Errors become ApiError with the envelope's code, message and detail items.
 */
export async function call(path, {method = 'GET', query = [], body, key, signal} = {}) {
  const url = new URL(path, API_BASE);
  for (const [name, value] of query) url.searchParams.append(name, value);
  const token = key ?? sessionStorage.getItem(KEY);
  const headers = {Accept: 'application/json'};
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {method, headers, signal, cache: 'no-store', credentials: 'omit',
      referrerPolicy: 'no-referrer', body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The API cannot be reached (' + e.message + ').');
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    const err = data && data.error ? data.error : {};
    if (response.status === 401 && !key) {
      signOut();
      window.dispatchEvent(new Event('voicedrop:signed-out'));
    }
    throw new ApiError(response.status, err.code || 'http_' + response.status,
      err.message || (data && data.message) || 'HTTP ' + response.status, data && data.detail,
      data && data.trace_id);
  }
  return {data, status: response.status, headers: response.headers};
}

let documentText = null;

/**
 * What this deployment offers, read from its own OpenAPI document: lets the console show features (edit, delete,
 * previews) exactly when the API has them, without guessing from errors.
 */
export async function capabilities() {
  if (documentText === null) {
    try {
      const r = await fetch(new URL('openapi.yaml', API_BASE), {cache: 'no-store', credentials: 'omit'});
      documentText = r.ok ? await r.text() : '';
    } catch (e) {
      documentText = '';
    }
  }
  const block = (path) => {
    const start = documentText.indexOf('\n  ' + path + ':');
    if (start < 0) return '';
    const next = documentText.slice(start + 3).search(/\n {2}\//);
    return next < 0 ? documentText.slice(start) : documentText.slice(start, start + 3 + next);
  };
  const model = block('/fish/model/{id}');
  return {
    edit: /\n {4}patch:/.test(model),
    remove: /\n {4}delete:/.test(model),
    preview: block('/models/{id}/preview') !== '',
  };
}

/** Sends a signed form straight to the bucket (no API key involved), reporting progress. */
export function postForm(form, file, onProgress) {
  return new Promise((resolve, reject) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
    data.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.url);
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new ApiError(xhr.status, 'bucket', 'The bucket refused the file (HTTP ' + xhr.status + ')'
        + bucketMessage(xhr.responseText)));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'The upload to the bucket failed (network or CORS).')));
    xhr.send(data);
  });
}

function bucketMessage(xml) {
  const m = /<Message>([^<]*)<\/Message>/.exec(xml || '');
  return m ? ': ' + m[1] : '';
}
