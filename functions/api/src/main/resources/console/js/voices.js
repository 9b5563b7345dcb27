// Voices: the catalog through every GET /fish/model parameter (title, tag, language, self, sort_by, paging).
// The filters live in the route (#/voices?title=...&page=2), so Back and reload keep them; the key never does.
import {call} from './api.js';
import {h, fill, append, time, badge, tagList, cover, errorBox, announce} from './dom.js';

const SORTS = [['created_at', 'Newest first (created_at)'], ['score', 'Score'], ['task_count', 'Task count']];
const SIZES = ['10', '20', '50', '100'];

export function renderVoices(main, {params, navigate}) {
  const state = {
    title: params.get('title') || '',
    tags: params.get('tag') || '',
    language: params.get('language') || '',
    self: params.get('self') === 'true',
    sort: params.get('sort_by') || 'created_at',
    size: SIZES.includes(params.get('page_size')) ? params.get('page_size') : '20',
    page: Math.max(1, parseInt(params.get('page') || '1', 10) || 1),
  };
  const title = h('input', {id: 'f-title', type: 'search', name: 'title', value: state.title, maxlength: 200});
  const tags = h('input', {id: 'f-tag', type: 'text', name: 'tag', value: state.tags, 'aria-describedby': 'f-tag-hint'});
  const language = h('input', {id: 'f-language', type: 'text', name: 'language', value: state.language,
    'aria-describedby': 'f-language-hint', maxlength: 100});
  const self = h('input', {id: 'f-self', type: 'checkbox', name: 'self', checked: state.self});
  const sort = h('select', {id: 'f-sort', name: 'sort_by'},
    SORTS.map(([v, label]) => h('option', {value: v, selected: v === state.sort}, label)));
  const size = h('select', {id: 'f-size', name: 'page_size'},
    SIZES.map((v) => h('option', {value: v, selected: v === state.size}, v)));
  const results = h('section', {'aria-labelledby': 'results-title', 'aria-live': 'polite', 'aria-busy': 'true'});

  const form = h('form', {role: 'search', class: 'panel', 'aria-label': 'Find voices', on: {submit: (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (title.value.trim()) q.set('title', title.value.trim());
    if (tags.value.trim()) q.set('tag', tags.value.trim());
    if (language.value.trim()) q.set('language', language.value.trim());
    if (self.checked) q.set('self', 'true');
    if (sort.value !== 'created_at') q.set('sort_by', sort.value);
    if (size.value !== '20') q.set('page_size', size.value);
    navigate('#/voices' + (q.toString() ? '?' + q : ''));
  }}},
  h('div', {class: 'fields'},
    h('div', {class: 'wide'}, h('label', {for: 'f-title'}, 'Title contains'), title),
    h('div', {}, h('label', {for: 'f-tag'}, 'Tags'), tags,
      h('div', {id: 'f-tag-hint', class: 'hint'}, 'Comma-separated; every tag must match.')),
    h('div', {}, h('label', {for: 'f-language'}, 'Language'), language,
      h('div', {id: 'f-language-hint', class: 'hint'}, 'e.g. en, or en,de for either.')),
    h('div', {}, h('label', {for: 'f-sort'}, 'Sort'), sort),
    h('div', {}, h('label', {for: 'f-size'}, 'Per page'), size),
    h('div', {}, h('label', {class: 'check', for: 'f-self'}, self, 'Only my account’s voices (self)'))),
  h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Search'),
    h('a', {href: '#/voices', class: 'button quiet'}, 'Clear')));

  fill(main, h('h1', {}, 'Voices'), form, results);
  load();
  return null;

  async function load() {
    const query = [['page_size', state.size], ['page_number', String(state.page)]];
    if (state.title) query.push(['title', state.title]);
    for (const t of state.tags.split(',').map((s) => s.trim()).filter(Boolean)) query.push(['tag', t]);
    for (const l of state.language.split(',').map((s) => s.trim()).filter(Boolean)) query.push(['language', l]);
    if (state.self) query.push(['self', 'true']);
    query.push(['sort_by', state.sort]);
    try {
      const {data} = await call('fish/model', {query});
      showPage(data);
    } catch (err) {
      fill(results, errorBox(err, 'The voices could not be listed'));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  }

  function showPage(data) {
    const pageSize = Number(state.size);
    const pages = Math.max(1, Math.ceil(data.total / pageSize));
    const summary = data.total === 0 ? 'No voices match.'
      : `${data.total}${data.total_is_exact === false ? '+' : ''} voice${data.total === 1 ? '' : 's'}, page ${state.page} of ${pages}`;
    fill(results, h('h2', {id: 'results-title'}, summary));
    if (data.items.length > 0) {
      append(results, h('ul', {class: 'cards', 'aria-label': 'Voices'}, data.items.map(card)));
    }
    const go = (page) => {
      const q = new URLSearchParams(location.hash.split('?')[1] || '');
      q.set('page', String(page));
      navigate('#/voices?' + q);
    };
    append(results, h('nav', {class: 'pager', 'aria-label': 'Pages'},
      h('button', {type: 'button', class: 'quiet', disabled: state.page <= 1, on: {click: () => go(state.page - 1)}}, '← Previous'),
      h('span', {}, `Page ${state.page} of ${pages}`),
      h('button', {type: 'button', class: 'quiet', disabled: !data.has_more, on: {click: () => go(state.page + 1)}}, 'Next →')));
    announce(summary);
  }
}

function card(m) {
  return h('li', {class: 'card', dataset: {id: m._id}},
    cover(m.cover_image),
    h('div', {},
      h('h2', {}, h('a', {href: '#/voice/' + encodeURIComponent(m._id), class: 'voice-link'}, m.title || '(untitled)')),
      h('div', {class: 'meta'}, badge(m.state), ' · ', m.visibility, ' · ',
        m.languages && m.languages.length ? m.languages.join(', ') : 'language not set'),
      tagList(m.tags),
      h('div', {class: 'meta'}, 'Created ', time(m.created_at))));
}
