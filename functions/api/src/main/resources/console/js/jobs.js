// Jobs: the caller's jobs, newest first, refreshed live (polling that backs off while nothing changes and slows
// down in a hidden tab), with rejection and failure reasons, attempts and links to the model; and one job in full.
import {call} from './api.js';
import {h, fill, append, time, badge, errorBox, announce, poll} from './dom.js';
import {qualityReport} from './quality.js';

// The job statuses of the API's JobStatus (openapi.yaml); the filter offers them all.
const KNOWN_STATUSES = ['QUEUED', 'RUNNING', 'RETRY_WAIT', 'TRAINING', 'SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELLED',
  'DELETING', 'DELETED'];
const TERMINAL = ['SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELLED', 'DELETED'];
const PAGE = 50;

/** One page of GET /jobs: every job of the caller newest first, or those of one status. */
async function fetchPage(status, cursor) {
  const query = [['limit', String(PAGE)]];
  if (status) query.push(['status', status]);
  if (cursor) query.push(['cursor', cursor]);
  return (await call('jobs', {query})).data;
}

const newestFirst = (a, b) => (b.created_at || '').localeCompare(a.created_at || '') || b.job_id.localeCompare(a.job_id);

export function renderJobs(main, {params, navigate}) {
  const status = params.get('status') || '';
  const jobs = new Map();
  // Where "Load older jobs" continues; null before the first page, done once the last page was read.
  const feed = {cursor: null, started: false, done: false};
  const filter = h('select', {id: 'j-status', on: {change: () => navigate('#/jobs' + (filter.value ? '?status=' + filter.value : ''))}},
    h('option', {value: ''}, 'All statuses'),
    KNOWN_STATUSES.map((s) => h('option', {value: s, selected: s === status}, s)));
  const live = h('p', {class: 'hint', id: 'j-live'}, 'Live: refreshing while this page is open.');
  const table = h('div', {class: 'table-wrap', 'aria-live': 'polite', 'aria-busy': 'true'});
  const more = h('button', {type: 'button', class: 'quiet', hidden: true, on: {click: loadMore}}, 'Load older jobs');
  fill(main, h('h1', {}, 'Jobs'),
    h('div', {class: 'panel fields'}, h('div', {}, h('label', {for: 'j-status'}, 'Status'), filter), live),
    table, h('div', {class: 'actions'}, more));

  const stop = poll(async () => {
    let changed = false;
    const page = await fetchPage(status, null);
    if (!feed.started) {
      feed.started = true;
      feed.cursor = page.next_cursor;
      feed.done = !page.next_cursor;
    }
    for (const j of page.items) changed = upsert(j) || changed;
    if (changed || table.getAttribute('aria-busy') === 'true') show();
    return changed;
  }, {min: 2000, max: 30000});
  return stop;

  function upsert(job) {
    const old = jobs.get(job.job_id);
    if (old && (old.updated_at || '') > (job.updated_at || '')) return false;
    if (old && JSON.stringify(old) === JSON.stringify(job)) return false;
    jobs.set(job.job_id, job);
    return true;
  }

  async function loadMore() {
    more.disabled = true;
    try {
      if (!feed.done) {
        const page = await fetchPage(status, feed.cursor);
        page.items.forEach(upsert);
        feed.cursor = page.next_cursor;
        feed.done = !page.next_cursor;
      }
      show();
    } catch (err) {
      append(table, errorBox(err, 'Older jobs could not be loaded'));
    } finally {
      more.disabled = false;
    }
  }

  function show() {
    table.setAttribute('aria-busy', 'false');
    const rows = [...jobs.values()].filter((j) => !status || j.status === status).sort(newestFirst);
    more.hidden = feed.done;
    if (rows.length === 0) {
      fill(table, h('p', {class: 'muted'}, status ? 'No job is ' + status + '.' : 'No jobs yet. Upload a voice to start one.'));
      return;
    }
    fill(table, h('table', {class: 'stack', id: 'jobs-table'},
      h('caption', {class: 'visually-hidden'}, 'Jobs, newest first'),
      h('thead', {}, h('tr', {}, ['Title', 'Status', 'Attempts', 'Created', 'Updated', 'Reasons', 'Model'].map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, rows.map(jobRow))));
  }
}

function reasonsOf(job) {
  if (job.reasons && job.reasons.length) return job.reasons;
  if (job.error && job.error.message) return [job.error.message];
  return [];
}

function jobRow(job) {
  const reasons = reasonsOf(job);
  return h('tr', {dataset: {job: job.job_id, status: job.status}},
    h('td', {'data-label': 'Title'}, h('a', {href: '#/jobs/' + encodeURIComponent(job.job_id)}, job.title || job.job_id)),
    h('td', {'data-label': 'Status'}, badge(job.status)),
    h('td', {'data-label': 'Attempts'}, String(job.attempts)),
    h('td', {'data-label': 'Created'}, time(job.created_at)),
    h('td', {'data-label': 'Updated'}, time(job.updated_at)),
    h('td', {'data-label': 'Reasons', class: 'reasons'}, reasons.length ? h('ul', {}, reasons.map((r) => h('li', {}, r)))
      : job.warnings.length ? h('span', {class: 'muted'}, job.warnings.length + ' warning(s)') : h('span', {class: 'muted'}, '—')),
    h('td', {'data-label': 'Model'}, job.model_id ? h('a', {href: '#/voice/' + encodeURIComponent(job.model_id)}, 'Open voice') : '—'));
}

const JOB_FIELDS = ['job_id', 'status', 'title', 'source_keys', 'model_id', 'attempts', 'history', 'error', 'warnings',
  'reasons', 'created_at', 'updated_at', 'next_attempt_at', 'quality'];

export function renderJob(main, {args}) {
  const id = args[0];
  const heading = h('h1', {}, 'Job');
  const body = h('div', {'aria-live': 'polite'}, h('p', {class: 'muted'}, 'Loading…'));
  fill(main, h('p', {}, h('a', {href: '#/jobs'}, '← All jobs')), heading, body);
  let last = '';
  return poll(async () => {
    let job;
    try {
      job = (await call('jobs/' + encodeURIComponent(id))).data;
    } catch (err) {
      fill(body, errorBox(err, 'The job could not be loaded'));
      return {done: err.status === 404};
    }
    const text = JSON.stringify(job);
    if (text === last) return false;
    last = text;
    fill(heading, job.title || 'Job');
    fill(body, jobDetail(job));
    announce('Job ' + job.status + '.');
    return {changed: true, done: TERMINAL.includes(job.status)};
  }, {min: 1500, max: 20000});
}

function jobDetail(job) {
  const reasons = reasonsOf(job);
  const dl = h('dl', {class: 'fieldlist'});
  const row = (name, value) => append(dl, [h('dt', {}, h('code', {}, name)), h('dd', {}, value)]);
  row('status', badge(job.status));
  row('job_id', h('code', {}, job.job_id));
  row('model_id', job.model_id ? h('a', {href: '#/voice/' + encodeURIComponent(job.model_id)}, job.model_id) : '—');
  row('attempts', String(job.attempts));
  row('source_keys', h('ul', {}, job.source_keys.map((k) => h('li', {}, h('code', {}, k)))));
  row('created_at', time(job.created_at));
  row('updated_at', time(job.updated_at));
  row('next_attempt_at', time(job.next_attempt_at));
  row('error', job.error ? h('span', {}, h('code', {}, job.error.code || ''), ' ', job.error.message || '') : '—');
  for (const f of Object.keys(job).filter((k) => !JOB_FIELDS.includes(k))) {
    const v = job[f];
    row(f, v === null || v === undefined ? '—' : typeof v === 'object' ? h('pre', {class: 'json mono'}, JSON.stringify(v, null, 2)) : String(v));
  }
  return [
    cancellable(job) ? cancelButton(job) : null,
    reasons.length ? h('div', {class: 'error', role: 'alert'}, h('strong', {}, job.status === 'REJECTED' ? 'Rejected before billing' : 'Why it failed'),
      h('ul', {}, reasons.map((r) => h('li', {}, r)))) : null,
    job.warnings.length ? h('div', {class: 'note'}, h('strong', {}, 'Warnings'), h('ul', {}, job.warnings.map((w) => h('li', {}, w)))) : null,
    h('div', {class: 'panel'}, dl),
    h('h2', {}, 'Sound quality'),
    qualityReport(job.quality, 'job-quality'),
    h('h2', {}, 'Upstream calls'),
    job.history.length === 0 ? h('p', {class: 'muted'}, 'None yet.') : h('div', {class: 'table-wrap'}, h('table', {class: 'stack'},
      h('thead', {}, h('tr', {}, ['Time', 'Operation', 'Outcome', 'HTTP', 'Code', 'Message', 'Latency'].map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, job.history.map((a) => h('tr', {},
        h('td', {'data-label': 'Time'}, time(a.at)), h('td', {'data-label': 'Operation'}, a.operation),
        h('td', {'data-label': 'Outcome'}, a.outcome), h('td', {'data-label': 'HTTP'}, a.http_status ?? '—'),
        h('td', {'data-label': 'Code'}, a.code || '—'), h('td', {'data-label': 'Message'}, a.message || '—'),
        h('td', {'data-label': 'Latency'}, a.latency_ms == null ? '—' : a.latency_ms + ' ms')))))),
  ];
}

/** A create job that may not have started its billable call yet: the API decides (409 once it has). */
function cancellable(job) {
  return !job.target_job_id && !job.model_id && ['QUEUED', 'RETRY_WAIT', 'RUNNING'].includes(job.status);
}

function cancelButton(job) {
  const feedback = h('div', {});
  const button = h('button', {type: 'button', class: 'danger', id: 'cancel-job', on: {click: async () => {
    button.disabled = true;
    try {
      await call('jobs/' + encodeURIComponent(job.job_id), {method: 'DELETE'});
      announce('Job cancelled; it will not be billed.');
    } catch (err) {
      fill(feedback, errorBox(err, 'The job was not cancelled'));
      button.disabled = false;
    }
  }}}, 'Cancel this job');
  return h('div', {class: 'actions'}, button, feedback);
}
