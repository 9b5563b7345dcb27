// Building the page without ever parsing HTML: every value from the API becomes a text node or an attribute value,
// so a title like <img src=x onerror=alert(1)> is shown literally. (The CSP also enforces Trusted Types with no
// policy: any assignment of markup to an element would throw.)

const BLOCKED_ATTRIBUTES = /^(on|srcdoc$|formaction$)/i;

/** h('a', {href: '#/x', class: 'c'}, 'text', child, [more]) — attributes are set with setAttribute only. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'on') {
      for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (BLOCKED_ATTRIBUTES.test(name)) {
      throw new Error('refusing to set attribute ' + name);
    } else if (name === 'value' || name === 'checked' || name === 'selected') {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

/** Appends text and nodes (and arrays of them, at any depth) to el. */
export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces everything inside el. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

/** Says something to screen readers (the polite live region). */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (region) {
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
  }
}

export function time(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  const d = new Date(iso);
  return h('time', {datetime: iso, title: iso}, isNaN(d) ? iso : d.toLocaleString());
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = Number(n), u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return (u === 0 ? v : v.toFixed(1)) + ' ' + units[u];
}

const STATE_CLASS = {
  trained: 'ok', SUCCEEDED: 'ok', failed: 'bad', FAILED: 'bad', REJECTED: 'bad',
  training: 'info', TRAINING: 'info', RUNNING: 'info', created: 'info', QUEUED: 'info', RETRY_WAIT: 'warn',
  CANCELLED: 'warn', DELETING: 'info', DELETED: 'warn',
};

export function badge(state) {
  return h('span', {class: 'badge ' + (STATE_CLASS[state] || 'info')}, state || 'unknown');
}

export function tagList(tags, label = 'Tags') {
  if (!tags || tags.length === 0) return h('span', {class: 'muted'}, 'no tags');
  return h('ul', {class: 'tags', 'aria-label': label}, tags.map((t) => h('li', {}, t)));
}

/** A cover image only for an https (or, on a plain-http local console, http) URL; a neutral square otherwise. */
export function cover(url, large = false) {
  const cls = 'cover' + (large ? ' large' : '');
  let ok = false;
  try {
    const u = new URL(url);
    ok = u.protocol === 'https:' || (u.protocol === 'http:' && location.protocol === 'http:');
  } catch (e) { ok = false; }
  if (!ok) return h('span', {class: cls, 'aria-hidden': 'true'});
  return h('img', {class: cls, src: url, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer', decoding: 'async'});
}

export function errorBox(err, title) {
  const detail = Array.isArray(err.detail) ? err.detail : [];
  return h('div', {class: 'error', role: 'alert'},
    h('strong', {}, title || 'The request failed'), ': ', err.message,
    detail.length > 0 ? h('ul', {}, detail.map((d) => h('li', {}, d.msg))) : null,
    err.traceId ? h('div', {class: 'meta'}, 'trace id ', h('code', {}, err.traceId)) : null);
}

/** Runs fn again and again, waiting longer while nothing changes (fn returns true when something did). */
export function poll(fn, {min = 1500, max = 30000, factor = 1.6} = {}) {
  let delay = min, timer = null, stopped = false;
  async function tick() {
    if (stopped) return;
    let changed = false, done = false;
    try {
      const r = await fn();
      changed = r === true || (r && r.changed);
      done = r && r.done;
    } catch (e) {
      changed = false;
    }
    if (stopped || done) return;
    delay = changed ? min : Math.min(max, Math.round(delay * factor));
    timer = setTimeout(tick, document.hidden ? Math.max(delay, 10000) : delay);
  }
  timer = setTimeout(tick, 0);
  return () => { stopped = true; clearTimeout(timer); };
}
