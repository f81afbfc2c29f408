// The staff console's entry point: log in and out, switch between the
// views, and let the views reach each other (a profile opens a match, a
// suggestion opens its partner's profile).
import {call, endSession, keepSession, restoreSession, sessionLabel, startSession} from './api.js';
import {$, FormError, announce, busy, clearMessages, focusHeading} from './dom.js';
import {initCohortView, resetCohortView} from './cohort_view.js';
import {initGapsView, resetGapsView} from './gaps_view.js';
import {initMatchView, matchProfile, resetMatchView} from './match_view.js';
import {initProfilesView, loadPage, openProfile, resetProfilesView} from './profiles_view.js';

const VIEWS = ['profiles', 'match', 'cohort', 'gaps'];

function showView(name, {focus = false} = {}) {
  for (const view of VIEWS) {
    $(`${view}-view`).hidden = view !== name;
    const tab = document.querySelector(`button[data-view="${view}"]`);
    if (view === name) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  if (focus) focusHeading($(`${name}-heading`));
}

function showLoggedIn() {
  $('login-view').hidden = true;
  $('app').hidden = false;
  $('session-bar').hidden = false;
  $('session-label').textContent = sessionLabel();
  showView('profiles');
}

function showLoggedOut() {
  $('app').hidden = true;
  $('session-bar').hidden = true;
  $('login-view').hidden = false;
  $('login-form').reset();
  resetProfilesView();
  resetMatchView();
  resetCohortView();
  resetGapsView();
}

// A key goes into an HTTP header, which carries printable ASCII only.
function readKey() {
  const key = $('login-key').value.trim();
  if (/[^\x21-\x7e]/.test(key)) throw new FormError('API key: letters, digits and symbols only', $('login-key'));
  return key;
}

async function logIn(button) {
  const ok = await busy(button, async () => {
    const key = readKey();
    const tenant = $('login-tenant').value.trim();
    if (!key && !tenant) {
      throw new FormError('API key: enter your key (or, for a server without keys, a tenant)', $('login-key'));
    }
    startSession(key, tenant);
    try {
      // The cheapest call a reader key may make: it proves key and tenant.
      await call('GET', '/v1/profiles', {query: {page_size: 1}});
    } catch (error) {
      endSession();
      throw error;
    }
    keepSession();
    return true;
  });
  if (!ok) return;
  showLoggedIn();
  focusHeading($('profiles-heading'));
  await loadPage();
  // After the page loads, which clears the messages of the last action.
  if (!$('error').textContent) announce(`${sessionLabel()}.`);
}

function logOut() {
  endSession();
  showLoggedOut();
  clearMessages();
  announce('Logged out.');
  $('login-key').focus();
}

function init() {
  const context = {
    showView,
    openProfile,
    matchProfile,
  };
  initProfilesView(context);
  initMatchView(context);
  initCohortView(context);
  initGapsView(context);
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    logIn(event.submitter);
  });
  $('logout').addEventListener('click', logOut);
  for (const tab of document.querySelectorAll('button[data-view]')) {
    tab.addEventListener('click', () => {
      clearMessages();
      showView(tab.dataset.view, {focus: true});
    });
  }
  if (restoreSession()) {
    showLoggedIn();
    loadPage();
  }
}

init();
