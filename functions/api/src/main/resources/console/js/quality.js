// The voice-quality check's figures (`quality` in GET /jobs/{id} and GET /models/{id}/source): one row per sample,
// with the model's totals above. What each figure means: docs/user-guide.md, "What the quality check measures".
import {h} from './dom.js';

const figure = (v, unit) => (v === null || v === undefined ? '—' : v + unit);

const COLUMNS = [
  ['Sample', (s) => s.name],
  ['Status', (s) => s.status.replace('_', ' ') + (s.note ? ' — ' + s.note : '')],
  ['Speech', (s) => figure(s.speech_seconds, ' s')],
  ['Silence', (s) => figure(s.silence_percent, ' %')],
  ['Clipped', (s) => figure(s.clipped_percent, ' %')],
  ['Loudness', (s) => figure(s.loudness_lufs, ' LUFS')],
  ['Peak', (s) => figure(s.peak_dbfs, ' dBFS')],
  ['SNR', (s) => figure(s.snr_db, ' dB')],
  ['Channels', (s) => s.channel_use || '—'],
  ['Findings', (s) => (s.findings.length ? s.findings.join(', ') : 'none')],
];

export function qualityReport(report, id) {
  if (!report) {
    return h('p', {class: 'muted', id}, 'Not checked for sound quality (the check is off here, or the upload was refused first).');
  }
  const m = report.model;
  return h('div', {id},
    h('p', {class: 'meta'}, m.analysed + ' of ' + m.samples + ' sample(s) analysed: ', figure(m.speech_seconds, ' s'),
      ' of speech in ', figure(m.analysed_seconds, ' s'), ', loudness ', figure(m.loudness_min_lufs, ''), ' to ',
      figure(m.loudness_max_lufs, ' LUFS'), ', ', m.findings + ' finding(s)'),
    h('div', {class: 'table-wrap'}, h('table', {class: 'stack'},
      h('thead', {}, h('tr', {}, COLUMNS.map(([c]) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, report.samples.map((s) => h('tr', {dataset: {sample: s.name}},
        COLUMNS.map(([c, value]) => h('td', {'data-label': c}, value(s)))))))));
}
