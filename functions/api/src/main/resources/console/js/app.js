// The console's shell: sign-in, navigation and a hash router (#/voices, #/voice/<id>, #/upload, #/jobs,
// #/jobs/<id>). Routes never carry the key; each view gets the main element and returns a cleanup function.
import {hasKey, signIn, signOut} from './api.js';
import {h, fill, errorBox, announce} from './dom.js';
import {renderVoices} from './voices.js';
import {renderVoice} from './voice.js';
import {renderUpload} from './upload.js';
import {renderJobs, renderJob} from './jobs.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signOutButton = document.getElementById('sign-out');
let cleanup = null;

const routes = [
  {pattern: /^\/voices$/, view: 'voices', render: renderVoices},
  {pattern: /^\/voice\/(.+)$/, view: 'voices', render: renderVoice},
  {pattern: /^\/upload$/, view: 'upload', render: renderUpload},
  {pattern: /^\/jobs$/, view: 'jobs', render: renderJobs},
  {pattern: /^\/jobs\/(.+)$/, view: 'jobs', render: renderJob},
];

function parseHash() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/voices';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  return {path, params};
}

function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  if (!hasKey()) { showSignIn(); return; }
  nav.hidden = false;
  signOutButton.hidden = false;
  const {path, params} = parseHash();
  const match = routes.map((r) => ({r, m: r.pattern.exec(path)})).find((x) => x.m);
  for (const a of nav.querySelectorAll('a')) {
    if (match && a.dataset.view === match.r.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!match) {
    fill(main, h('h1', {tabindex: '-1'}, 'Not found'), h('p', {}, 'There is no such page. ', h('a', {href: '#/voices'}, 'Go to the voices.')));
    focusHeading();
    return;
  }
  const args = match.m.slice(1).map(decodeURIComponent);
  try {
    cleanup = match.r.render(main, {args, params, navigate}) || null;
  } catch (e) {
    fill(main, errorBox(e, 'The page failed'));
  }
  focusHeading();
}

/** Moves focus to the new page's heading, so keyboard and screen-reader users land on it. */
function focusHeading() {
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({preventScroll: false});
    document.title = heading.textContent + ' · VoiceDrop console';
  }
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function showSignIn(message) {
  nav.hidden = true;
  signOutButton.hidden = true;
  const input = h('input', {id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', 'aria-describedby': 'api-key-hint'});
  const feedback = h('div', {id: 'signin-feedback'});
  const button = h('button', {type: 'submit'}, 'Sign in');
  const form = h('form', {class: 'panel signin', 'aria-labelledby': 'signin-title', novalidate: true, on: {
    submit: async (e) => {
      e.preventDefault();
      const key = input.value.trim();
      if (!key) {
        fill(feedback, h('div', {class: 'error', role: 'alert'}, 'Enter your API key.'));
        return;
      }
      button.disabled = true;
      fill(feedback, h('p', {class: 'muted'}, 'Checking the key…'));
      try {
        await signIn(key);
        input.value = '';
        announce('Signed in.');
        route();
      } catch (err) {
        fill(feedback, errorBox(err, 'Sign-in failed'));
        input.focus();
      } finally {
        button.disabled = false;
      }
    },
  }},
  h('h1', {id: 'signin-title'}, 'Sign in'),
  h('p', {}, 'Use a VoiceDrop API key of this deployment.'),
  h('label', {for: 'api-key'}, 'API key'),
  input,
  h('p', {id: 'api-key-hint', class: 'hint'},
    'Kept in this tab only (session storage), sent as the Authorization header, never in a link. ',
    'An operator makes keys with ', h('code', {}, 'scripts/api-keys.sh create --owner you'), '.'),
  message ? h('div', {class: 'note'}, message) : null,
  feedback,
  h('div', {class: 'actions'}, button));
  fill(main, form);
  input.focus();
}

signOutButton.addEventListener('click', () => {
  signOut();
  announce('Signed out.');
  route();
});
window.addEventListener('hashchange', route);
window.addEventListener('voicedrop:signed-out', () => showSignIn('Your key was refused; sign in again.'));
route();
