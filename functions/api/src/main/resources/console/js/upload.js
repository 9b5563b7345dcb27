// Upload: files or a folder (picker or drag and drop), the manifest fields, a text per sample; then the browser
// posts each file straight to the bucket with the signed forms POST /uploads issued, the manifest last (the commit
// marker), and follows the upload until the pipeline's verdict (warnings, reasons, the job, the model).
import {call, postForm} from './api.js';
import {h, fill, append, errorBox, announce, bytes, badge, poll} from './dom.js';

const AUDIO = ['wav', 'mp3', 'm4a', 'mp4', 'aac', 'flac', 'ogg', 'oga', 'opus', 'webm'];
const TERMINAL = ['SUCCEEDED', 'FAILED', 'REJECTED'];

function extension(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function renderUpload(main) {
  const chosen = []; // {file, text: textarea}
  let stop = null;

  const fileInput = h('input', {id: 'u-files', type: 'file', multiple: true, class: 'visually-hidden',
    accept: AUDIO.map((e) => '.' + e).join(',') + ',audio/*'});
  const folderInput = h('input', {id: 'u-folder', type: 'file', multiple: true, class: 'visually-hidden',
    webkitdirectory: true});
  const skipped = h('div', {'aria-live': 'polite'});
  const list = h('ul', {class: 'filelist', 'aria-label': 'Files to upload'});
  const drop = h('div', {class: 'dropzone', id: 'dropzone', role: 'group', 'aria-labelledby': 'drop-title'},
    h('p', {id: 'drop-title'}, h('strong', {}, 'Drop audio files or a folder here')),
    h('p', {class: 'muted'}, AUDIO.join(', ')),
    h('div', {class: 'actions centered'},
      h('label', {for: 'u-files', class: 'button'}, 'Choose files'), fileInput,
      h('label', {for: 'u-folder', class: 'button quiet'}, 'Choose a folder'), folderInput));
  // The labels act as buttons: make them reachable and operable from the keyboard too.
  for (const label of drop.querySelectorAll('label.button')) {
    label.tabIndex = 0;
    label.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); document.getElementById(label.htmlFor).click(); }
    });
  }

  const title = h('input', {id: 'u-title', type: 'text', required: true, maxlength: 200, autocomplete: 'off'});
  const description = h('textarea', {id: 'u-description', maxlength: 2000});
  const tags = h('input', {id: 'u-tags', type: 'text', 'aria-describedby': 'u-tags-hint'});
  const language = h('input', {id: 'u-language', type: 'text', maxlength: 35, 'aria-describedby': 'u-language-hint'});
  const visibility = h('select', {id: 'u-visibility'},
    ['private', 'unlist', 'public'].map((v) => h('option', {value: v}, v)));
  const enhance = h('input', {id: 'u-enhance', type: 'checkbox', checked: true});
  const strict = h('input', {id: 'u-strict', type: 'checkbox'});
  const submit = h('button', {type: 'submit', id: 'u-submit'}, 'Upload');
  const feedback = h('div', {id: 'u-feedback'});
  const progress = h('section', {id: 'u-progress', 'aria-live': 'polite'});

  const form = h('form', {class: 'panel', 'aria-labelledby': 'upload-title', novalidate: true, on: {submit: start}},
    drop, skipped, list,
    h('div', {class: 'fields'},
      h('div', {class: 'wide'}, h('label', {for: 'u-title'}, 'Title'), title),
      h('div', {class: 'wide'}, h('label', {for: 'u-description'}, 'Description', h('span', {class: 'hint'}, ' (optional)')), description),
      h('div', {}, h('label', {for: 'u-tags'}, 'Tags'), tags, h('div', {id: 'u-tags-hint', class: 'hint'}, 'Comma-separated.')),
      h('div', {}, h('label', {for: 'u-language'}, 'Language'), language,
        h('div', {id: 'u-language-hint', class: 'hint'}, 'A code such as en or pt-BR.')),
      h('div', {}, h('label', {for: 'u-visibility'}, 'Visibility'), visibility),
      h('div', {}, h('label', {class: 'check', for: 'u-enhance'}, enhance, 'Enhance audio quality')),
      h('div', {}, h('label', {class: 'check', for: 'u-strict'}, strict, 'Strict: reject on any warning'))),
    feedback,
    h('div', {class: 'actions'}, submit,
      h('span', {class: 'hint'}, 'Checked before anything is billed; nothing is billed for a rejected upload.')));

  fill(main, h('h1', {id: 'upload-title'}, 'Upload a voice'), form, progress);

  fileInput.addEventListener('change', () => { addFiles([...fileInput.files].map((f) => ({file: f, path: f.name}))); fileInput.value = ''; });
  folderInput.addEventListener('change', () => {
    addFiles([...folderInput.files].map((f) => ({file: f, path: f.webkitRelativePath || f.name})));
    folderInput.value = '';
  });
  for (const type of ['dragenter', 'dragover']) {
    drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add('over'); });
  }
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    addFiles(await droppedFiles(e.dataTransfer));
  });
  return () => { if (stop) stop(); };

  function addFiles(entries) {
    const notes = [];
    for (const {file, path} of entries) {
      const parts = path.split('/');
      if (parts.some((p) => p.startsWith('.'))) { notes.push(path + ': hidden file, skipped'); continue; }
      if (!AUDIO.includes(extension(file.name))) { notes.push(path + ': not an audio file, skipped'); continue; }
      if (chosen.some((c) => c.path === path && c.file.size === file.size)) continue;
      chosen.push({file, path, text: null});
      if (!title.value && parts.length > 1) title.value = parts[0];
    }
    if (!title.value && chosen.length === 1) title.value = chosen[0].file.name.replace(/\.[^.]+$/, '');
    fill(skipped, notes.length ? h('div', {class: 'note'}, h('strong', {}, 'Skipped'), h('ul', {}, notes.map((n) => h('li', {}, n)))) : null);
    showList();
    announce(chosen.length + ' file' + (chosen.length === 1 ? '' : 's') + ' chosen.');
  }

  function showList() {
    fill(list, chosen.map((c, i) => {
      const textId = 'u-text-' + i;
      const text = h('textarea', {id: textId, maxlength: 5000, 'aria-describedby': 'u-text-hint'});
      if (c.text) text.value = c.text.value;
      c.text = text;
      return h('li', {},
        h('div', {class: 'row'}, h('span', {}, h('strong', {}, c.path), ' ', h('span', {class: 'meta'}, bytes(c.file.size))),
          h('button', {type: 'button', class: 'quiet', 'aria-label': 'Remove ' + c.path,
            on: {click: () => { chosen.splice(i, 1); showList(); }}}, 'Remove')),
        h('label', {for: textId}, 'What is said in it', h('span', {class: 'hint'}, ' (optional; give all texts or none)')), text);
    }));
    if (chosen.length) append(list, h('li', {id: 'u-text-hint', class: 'hint'}, 'Without texts the upstream transcribes the audio itself.'));
  }

  async function start(e) {
    e.preventDefault();
    if (stop) { stop(); stop = null; }
    fill(feedback);
    if (chosen.length === 0) {
      fill(feedback, h('div', {class: 'error', role: 'alert'}, 'Choose or drop at least one audio file.'));
      return;
    }
    const request = {
      title: title.value.trim(),
      description: description.value.trim() || null,
      tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean),
      language: language.value.trim() || null,
      visibility: visibility.value,
      enhance_audio_quality: enhance.checked,
      strict: strict.checked,
      files: chosen.map((c) => ({name: c.path, size: c.file.size, text: c.text && c.text.value.trim() ? c.text.value.trim() : null})),
    };
    submit.disabled = true;
    let plan;
    try {
      plan = (await call('uploads', {method: 'POST', body: request})).data;
    } catch (err) {
      fill(feedback, errorBox(err, 'The upload cannot start'));
      submit.disabled = false;
      feedback.querySelector('[role=alert]')?.focus?.();
      return;
    }
    const bars = plan.files.map((f) => h('progress', {max: 1, value: 0, 'aria-label': 'Upload of ' + f.name}));
    const stage = h('p', {id: 'u-stage'}, 'Uploading to the bucket…');
    fill(progress, h('h2', {}, 'Progress'), stage,
      h('ul', {class: 'filelist'}, plan.files.map((f, i) => h('li', {}, h('div', {}, f.name, ' → ', h('code', {}, f.key)), bars[i]))));
    try {
      for (let i = 0; i < plan.files.length; i++) {
        await postForm(plan.files[i].form, chosen[i].file, (p) => { bars[i].value = p; });
        bars[i].value = 1;
      }
      // The manifest goes last: ingest starts only once every file is in the bucket.
      await postForm(plan.manifest.form, new Blob([plan.manifest.content], {type: 'application/json'}));
    } catch (err) {
      fill(stage, errorBox(err, 'The upload stopped'));
      submit.disabled = false;
      return;
    }
    fill(stage, 'Uploaded. Waiting for the checks before billing…');
    announce('Uploaded; checking.');
    chosen.length = 0;
    showList();
    const verdict = h('div', {id: 'u-verdict'});
    append(progress, verdict);
    let last = '';
    stop = poll(async () => {
      const {data} = await call('uploads/' + encodeURIComponent(plan.upload_id));
      const job = data.job;
      const key = data.stage + (job ? job.status + job.attempts : '');
      if (key === last) return false;
      last = key;
      showVerdict(verdict, stage, data);
      return {changed: true, done: job && TERMINAL.includes(job.status)};
    }, {min: 1000, max: 15000});
    submit.disabled = false;
  }
}

function showVerdict(verdict, stage, data) {
  const job = data.job;
  if (!job) {
    fill(stage, data.stage === 'waiting_for_manifest' ? 'Waiting for the manifest to arrive…' : 'In the bucket; ingest is checking it…');
    return;
  }
  fill(stage, 'Job ', h('a', {href: '#/jobs/' + encodeURIComponent(job.job_id)}, job.job_id), ': ', badge(job.status));
  const parts = [];
  if (job.reasons.length) {
    parts.push(h('div', {class: 'error', role: 'alert', id: 'u-reasons'}, h('strong', {}, 'Rejected before billing'),
      h('ul', {}, job.reasons.map((r) => h('li', {}, r)))));
  } else if (job.error) {
    parts.push(h('div', {class: 'error', role: 'alert'}, h('strong', {}, 'Failed: '), job.error.message || job.error.code));
  }
  if (job.warnings.length) {
    parts.push(h('div', {class: 'note', id: 'u-warnings'}, h('strong', {}, 'Warnings from the checks'),
      h('ul', {}, job.warnings.map((w) => h('li', {}, w)))));
  } else if (job.status !== 'REJECTED') {
    parts.push(h('p', {class: 'muted'}, 'The checks before billing found nothing to warn about.'));
  }
  if (job.model_id) {
    parts.push(h('p', {}, h('a', {href: '#/voice/' + encodeURIComponent(job.model_id), id: 'u-model-link'}, 'Open the new voice →')));
  }
  fill(verdict, parts);
  announce('Job ' + job.status + '.');
}

/** Files of a drop, folders included (read recursively through the entries API). */
async function droppedFiles(dataTransfer) {
  const items = [...(dataTransfer.items || [])];
  const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null)).filter(Boolean);
  if (entries.length === 0) return [...dataTransfer.files].map((f) => ({file: f, path: f.name}));
  const out = [];
  async function walk(entry, prefix) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push({file, path: prefix + file.name});
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      let batch;
      do {
        batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        for (const child of batch) await walk(child, prefix + entry.name + '/');
      } while (batch.length > 0);
    }
  }
  for (const e of entries) await walk(e, '');
  return out;
}
