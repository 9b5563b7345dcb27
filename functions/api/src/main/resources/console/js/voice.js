// One voice: every ModelEntity field, its recordings (playable from short-lived links), the job that made it, the
// spoken preview when the deployment offers previews, and edit/delete when it offers the lifecycle endpoints.
import {call, capabilities} from './api.js';
import {h, fill, append, time, badge, tagList, cover, errorBox, announce, bytes} from './dom.js';
import {qualityReport} from './quality.js';

// Shown in this order; anything else the API adds later follows.
const FIELDS = ['_id', 'type', 'title', 'description', 'cover_image', 'train_mode', 'state', 'tags', 'samples',
  'created_at', 'updated_at', 'languages', 'visibility', 'lock_visibility', 'like_count', 'mark_count',
  'shared_count', 'task_count', 'liked', 'marked', 'author'];

export function renderVoice(main, {args, navigate}) {
  const id = args[0];
  const heading = h('h1', {}, 'Voice');
  const body = h('div', {'aria-busy': 'true'}, h('p', {class: 'muted'}, 'Loading…'));
  fill(main, h('p', {}, h('a', {href: '#/voices'}, '← All voices')), heading, body);
  load();
  return null;

  async function load() {
    let model;
    try {
      model = (await call('fish/model/' + encodeURIComponent(id))).data;
    } catch (err) {
      fill(body, errorBox(err, 'The voice could not be loaded'));
      body.setAttribute('aria-busy', 'false');
      return;
    }
    fill(heading, model.title || '(untitled)');
    document.title = heading.textContent + ' · VoiceDrop console';
    const samples = h('section', {'aria-labelledby': 'samples-title'}, h('h2', {id: 'samples-title'}, 'Recordings'),
      h('p', {class: 'muted'}, 'Loading the recordings…'));
    const source = h('section', {'aria-labelledby': 'source-title'}, h('h2', {id: 'source-title'}, 'Made by'));
    const preview = h('section', {'aria-labelledby': 'preview-title', hidden: true},
      h('h2', {id: 'preview-title'}, 'Spoken preview'));
    const manage = h('section', {'aria-labelledby': 'manage-title'}, h('h2', {id: 'manage-title'}, 'Edit or delete'));
    const fields = h('section', {'aria-labelledby': 'fields-title'}, h('h2', {id: 'fields-title'}, 'All fields'),
      h('div', {class: 'panel'}, fieldList(model)));
    fill(body,
      h('div', {class: 'panel summary'}, cover(model.cover_image, true),
        h('div', {},
          h('p', {}, badge(model.state), ' ', model.visibility, ' · ',
            model.languages && model.languages.length ? model.languages.join(', ') : 'language not set'),
          tagList(model.tags),
          model.description ? h('p', {}, model.description) : null,
          h('p', {class: 'meta'}, 'Created ', time(model.created_at), ' · updated ', time(model.updated_at)))),
      samples, preview, source, fields, manage);
    body.setAttribute('aria-busy', 'false');
    loadSamples(samples);
    loadSource(source);
    const caps = await capabilities();
    if (caps.preview) loadPreview(preview);
    showManage(manage, model, caps);
  }

  async function loadSamples(section) {
    try {
      const {data} = await call('models/' + encodeURIComponent(id) + '/samples');
      const list = data.samples.map((s, i) => h('li', {},
        h('div', {}, h('strong', {}, s.name), h('span', {class: 'meta'}, ' · ', bytes(s.size))),
        s.text ? h('p', {class: 'meta'}, 'Text: ', s.text) : null,
        h('audio', {controls: true, preload: 'metadata', src: s.url, 'aria-label': 'Play recording ' + (i + 1) + ': ' + s.name,
          dataset: {sample: s.name}})));
      fill(section, h('h2', {id: 'samples-title'}, 'Recordings'),
        list.length ? h('ul', {class: 'samples'}, list)
          : h('p', {class: 'muted'}, 'No recordings are known for this voice (or they were erased).'),
        list.length ? h('p', {class: 'hint'}, 'Links expire ', time(data.expires_at), '; reload the page for new ones.') : null);
    } catch (err) {
      fill(section, h('h2', {id: 'samples-title'}, 'Recordings'),
        err.status === 404 ? h('p', {class: 'muted'}, 'This voice was not made by this deployment’s pipeline, so it has no recordings here.')
          : errorBox(err, 'The recordings could not be listed'));
    }
  }

  async function loadSource(section) {
    try {
      const {data} = await call('models/' + encodeURIComponent(id) + '/source');
      append(section, h('dl', {class: 'fieldlist'},
        h('dt', {}, 'Job'), h('dd', {}, data.job_id ? h('a', {href: '#/jobs/' + encodeURIComponent(data.job_id)}, data.job_id) : '—'),
        h('dt', {}, 'Job status'), h('dd', {}, data.job_status ? badge(data.job_status) : '—'),
        h('dt', {}, 'Uploaded as'), h('dd', {}, data.source_keys.length ? h('ul', {}, data.source_keys.map((k) => h('li', {}, h('code', {}, k)))) : '—'),
        h('dt', {}, 'Title language'), h('dd', {}, data.title_language || '—')),
        h('h3', {}, 'Sound quality'), qualityReport(data.quality, 'voice-quality'));
    } catch (err) {
      append(section, err.status === 404 ? h('p', {class: 'muted'}, 'No pipeline record for this voice.')
        : errorBox(err, 'The job could not be found'));
    }
  }

  async function loadPreview(section) {
    section.hidden = false;
    try {
      const {data} = await call('models/' + encodeURIComponent(id) + '/preview');
      const url = data && (data.url || data.preview_url || data.audio_url);
      append(section, url ? h('audio', {controls: true, preload: 'metadata', src: url, 'aria-label': 'Play the spoken preview'})
        : h('p', {class: 'muted'}, 'No preview.'));
    } catch (err) {
      append(section, err.status === 404 ? h('p', {class: 'muted'}, 'This voice has no spoken preview.')
        : errorBox(err, 'The preview could not be loaded'));
    }
  }

  function showManage(section, model, caps) {
    if (!caps.edit && !caps.remove) {
      append(section, h('p', {class: 'note', id: 'lifecycle-note'},
        'Editing and deleting voices need the lifecycle endpoints (PATCH and DELETE /fish/model/{id}), which this ',
        'deployment does not offer yet. Until then, change a voice with the upstream’s own tools.'));
    }
    append(section, editForm(model, caps.edit), deleteButton(model, caps.remove));
  }

  function editForm(model, enabled) {
    const title = h('input', {id: 'e-title', type: 'text', value: model.title, maxlength: 200, required: true, disabled: !enabled});
    const description = h('textarea', {id: 'e-description', maxlength: 2000, disabled: !enabled});
    description.value = model.description;
    const tags = h('input', {id: 'e-tags', type: 'text', value: (model.tags || []).join(', '), disabled: !enabled});
    const visibility = h('select', {id: 'e-visibility', disabled: !enabled},
      ['private', 'unlist', 'public'].map((v) => h('option', {value: v, selected: v === model.visibility}, v)));
    const feedback = h('div', {});
    return h('form', {class: 'panel', 'aria-label': 'Edit this voice', on: {submit: async (e) => {
      e.preventDefault();
      if (!enabled) return;
      const change = {title: title.value.trim(), description: description.value,
        tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean), visibility: visibility.value};
      try {
        await call('fish/model/' + encodeURIComponent(id), {method: 'PATCH', body: change});
        announce('Saved.');
        navigate('#/voice/' + encodeURIComponent(id));
      } catch (err) {
        fill(feedback, errorBox(err, 'The change was not saved'));
      }
    }}},
    h('div', {class: 'fields'},
      h('div', {class: 'wide'}, h('label', {for: 'e-title'}, 'Title'), title),
      h('div', {class: 'wide'}, h('label', {for: 'e-description'}, 'Description'), description),
      h('div', {}, h('label', {for: 'e-tags'}, 'Tags', h('span', {class: 'hint'}, ' (comma-separated)')), tags),
      h('div', {}, h('label', {for: 'e-visibility'}, 'Visibility'), visibility)),
    feedback,
    h('div', {class: 'actions'}, h('button', {type: 'submit', disabled: !enabled}, 'Save changes')));
  }

  function deleteButton(model, enabled) {
    const feedback = h('div', {});
    const confirm = h('button', {type: 'button', class: 'danger', id: 'confirm-delete'}, 'Delete the voice and erase its recordings');
    const cancel = h('button', {type: 'button', class: 'quiet'}, 'Keep it');
    const dialog = h('dialog', {'aria-labelledby': 'delete-title', 'aria-describedby': 'delete-text'},
      h('h2', {id: 'delete-title'}, 'Delete this voice?'),
      h('p', {id: 'delete-text'}, 'This deletes “', model.title, '” upstream and from the catalog, and erases the ',
        'recordings it was made from (its samples in the bucket) and any spoken preview. It cannot be undone.'),
      feedback, h('div', {class: 'actions'}, confirm, cancel));
    cancel.addEventListener('click', () => dialog.close());
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        const r = await call('fish/model/' + encodeURIComponent(id), {method: 'DELETE'});
        dialog.close();
        announce(r.status === 202 ? 'Deletion queued.' : 'Voice deleted.');
        navigate('#/voices');
      } catch (err) {
        fill(feedback, errorBox(err, 'The voice was not deleted'));
        confirm.disabled = false;
      }
    });
    return h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'danger', id: 'delete-voice', disabled: !enabled,
        on: {click: () => dialog.showModal()}}, 'Delete…'), dialog);
  }
}

function fieldList(model) {
  const dl = h('dl', {class: 'fieldlist', id: 'all-fields', 'aria-label': 'All fields'});
  const row = (name, value) => append(dl, [h('dt', {}, h('code', {}, name)), h('dd', {}, value)]);
  for (const f of FIELDS) row(f, show(f, model[f]));
  const extra = Object.keys(model).filter((k) => !FIELDS.includes(k));
  for (const f of extra) row(f, show(f, model[f]));
  return dl;
}

function show(name, v) {
  if (name === 'tags') return tagList(v);
  if (name === 'created_at' || name === 'updated_at') return time(v);
  if (name === 'state') return badge(v);
  if (name === 'languages') return v && v.length ? v.join(', ') : h('span', {class: 'muted'}, 'none');
  if (name === 'author' && v) return h('span', {}, v.nickname || '—', ' ', h('code', {}, v._id || ''));
  if (name === 'samples') {
    if (!v || v.length === 0) return h('span', {class: 'muted'}, 'none listed upstream');
    return h('ul', {}, v.map((s) => h('li', {}, s.title || '(untitled)', s.text ? ' — ' + s.text : '')));
  }
  if (v === '' || v === null || v === undefined) return h('span', {class: 'muted'}, '—');
  if (typeof v === 'object') return h('pre', {class: 'json mono'}, JSON.stringify(v, null, 2));
  return String(v);
}
