// The profiles view: pages of GET /v1/profiles, filtered in the page by id,
// name or text, and one profile (GET /v1/profiles/{id}) with its needs,
// offers and recorded interactions.
import {call} from './api.js';
import {$, busy, el, focusHeading} from './dom.js';
import {componentLabel, declineLabel, enumWords, interactionLabel, kindLabel, placeLabel} from './labels.js';

let profiles = [];
// Page tokens of the pages before the current one, and the next page's.
let previousTokens = [];
let currentToken = '';
let nextToken = '';
let context;

export function initProfilesView(consoleContext) {
  context = consoleContext;
  $('profile-filter').addEventListener('input', renderList);
  $('profile-page-size').addEventListener('change', () => loadPage('', []));
  $('profile-reload').addEventListener('click', (event) => loadPage(currentToken, previousTokens, event.target));
  $('profile-next').addEventListener('click', (event) =>
    loadPage(nextToken, [...previousTokens, currentToken], event.target));
  $('profile-previous').addEventListener('click', (event) =>
    loadPage(previousTokens.at(-1), previousTokens.slice(0, -1), event.target));
  $('profile-search').addEventListener('submit', (event) => event.preventDefault());
}

export function resetProfilesView() {
  profiles = [];
  previousTokens = [];
  currentToken = nextToken = '';
  $('profile-filter').value = '';
  $('profile-table').tBodies[0].replaceChildren();
  $('profile-count').textContent = '';
  $('profile-page-label').textContent = '';
  $('profile-ids').replaceChildren();
  closeProfile();
}

// Loads the page that `token` starts (the first for ''), remembering the
// tokens of the pages before it for "Previous page".
export async function loadPage(token = '', before = [], button = null) {
  const page = await busy(button, () =>
    call('GET', '/v1/profiles', {query: {page_size: $('profile-page-size').value, page_token: token}}));
  if (!page) return;
  profiles = page.profiles ?? [];
  currentToken = token;
  previousTokens = before;
  nextToken = page.nextPageToken ?? '';
  $('profile-ids').replaceChildren(...profiles.map((profile) => el('option', {value: profile.id}, profile.name)));
  renderList();
}

function matchesFilter(profile, words) {
  const haystack = [profile.id, profile.name, profile.description,
                    ...(profile.needs ?? []).map((need) => need.text),
                    ...(profile.offers ?? []).map((offer) => offer.text)].join('\n').toLowerCase();
  return words.every((word) => haystack.includes(word));
}

function renderList() {
  const words = $('profile-filter').value.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = profiles.filter((profile) => matchesFilter(profile, words));
  $('profile-table').tBodies[0].replaceChildren(...shown.map((profile) => el('tr', {},
    el('td', {}, el('button', {type: 'button', className: 'link', onclick: () => openProfile(profile.id)},
                   profile.name || profile.id)),
    el('td', {className: 'id'}, profile.id),
    el('td', {}, kindLabel(profile.kind)),
    el('td', {}, placeLabel(profile.location)),
    el('td', {className: 'num'}, (profile.needs ?? []).length),
    el('td', {className: 'num'}, (profile.offers ?? []).length))));
  const pageNumber = previousTokens.length + 1;
  $('profile-count').textContent = words.length
    ? `${shown.length} of the ${profiles.length} profiles on page ${pageNumber} match.`
    : `${profiles.length} profiles on page ${pageNumber}.`;
  $('profile-page-label').textContent = `Page ${pageNumber}`;
  $('profile-previous').disabled = previousTokens.length === 0;
  $('profile-next').disabled = nextToken === '';
}

function closeProfile() {
  $('profile-detail').hidden = true;
  $('profile-detail').replaceChildren();
  $('profile-list').hidden = false;
}

function itemTable(caption, items, withMatch, profileId) {
  if (items.length === 0) return el('p', {}, `No ${caption.toLowerCase()}.`);
  const header = ['ID', 'Component', 'Text', 'Scope', 'Expires'];
  if (withMatch) header.push('Action');
  return el('div', {className: 'table-wrap'}, el('table', {},
    el('caption', {className: 'visually-hidden'}, caption),
    el('thead', {}, el('tr', {}, header.map((name) => el('th', {scope: 'col'}, name)))),
    el('tbody', {}, items.map((item) => el('tr', {},
      el('td', {className: 'id'}, item.id),
      el('td', {}, componentLabel(item.component)),
      el('td', {className: 'text'}, item.text),
      el('td', {}, enumWords(item.scope, 'GEOGRAPHIC_SCOPE_') || 'national'),
      el('td', {}, item.expires ? `${item.expires.year}-${String(item.expires.month).padStart(2, '0')}-${
        String(item.expires.day).padStart(2, '0')}` : ''),
      withMatch && el('td', {}, el('button', {
        type: 'button',
        'aria-label': `Find partners for need ${item.id}`,
        onclick: () => context.matchProfile(profileId, item.id),
      }, 'Find partners')))))));
}

function facts(profile) {
  const rows = [
    ['ID', profile.id],
    ['Kind', kindLabel(profile.kind)],
    ['Location', placeLabel(profile.location)],
    ['Sectors (NACE)', (profile.sectors ?? []).join(', ')],
    ['Size', enumWords(profile.size, 'COMPANY_SIZE_')],
    ['Stage', enumWords(profile.stage, 'STAGE_')],
    ['Languages', (profile.languages ?? []).join(', ')],
    ['Completed projects', String(profile.completedProjects ?? 0)],
  ];
  return el('dl', {className: 'facts'}, rows.filter(([, value]) => value).map(([name, value]) => [
    el('dt', {}, name), el('dd', {}, value)]));
}

async function interactionsSection(profileId) {
  const section = el('section', {'aria-labelledby': 'profile-interactions-heading'},
    el('h4', {id: 'profile-interactions-heading'}, 'Recorded interactions'));
  try {
    const reply = await call('GET', `/v1/profiles/${encodeURIComponent(profileId)}/interactions`,
                             {query: {page_size: 1000}});
    const interactions = reply.interactions ?? [];
    if (interactions.length === 0) {
      section.append(el('p', {}, 'None yet.'));
    } else {
      section.append(el('div', {className: 'table-wrap'}, el('table', {},
        el('caption', {className: 'visually-hidden'}, 'Interactions sent or received, oldest first'),
        el('thead', {}, el('tr', {}, ['#', 'Recorded', 'From', 'To', 'Type', 'Reason'].map((name) =>
          el('th', {scope: 'col'}, name)))),
        el('tbody', {}, interactions.map((interaction) => el('tr', {},
          el('td', {className: 'num'}, interaction.sequence),
          el('td', {}, new Date(Number(interaction.recordedAtUnixMs)).toISOString().replace('T', ' ').slice(0, 19)),
          el('td', {className: 'id'}, interaction.fromProfileId),
          el('td', {className: 'id'}, interaction.toProfileId),
          el('td', {}, interactionLabel(interaction.type)),
          el('td', {}, interaction.declineReason ? declineLabel(interaction.declineReason) : '')))))));
    }
  } catch (error) {
    section.append(el('p', {className: 'failure'}, `Could not load them: ${error.status}: ${error.message}`));
  }
  return section;
}

export async function openProfile(id) {
  const profile = await busy(null, () => call('GET', `/v1/profiles/${encodeURIComponent(id)}`));
  if (!profile) return;
  context.showView('profiles');
  const heading = el('h3', {id: 'profile-detail-heading', tabindex: '-1'}, profile.name || profile.id);
  $('profile-detail').replaceChildren(
    el('p', {}, el('button', {type: 'button', onclick: () => {
      closeProfile();
      $('profile-filter').focus();
    }}, 'Back to the list')),
    heading,
    facts(profile),
    profile.description ? el('p', {className: 'description'}, profile.description) : null,
    el('p', {className: 'actions'},
      el('button', {type: 'button', className: 'primary', onclick: () => context.matchProfile(profile.id, '')},
         'Find partners for all its needs')),
    el('h4', {}, `Needs (${(profile.needs ?? []).length})`),
    itemTable('Needs', profile.needs ?? [], true, profile.id),
    el('h4', {}, `Offers (${(profile.offers ?? []).length})`),
    itemTable('Offers', profile.offers ?? [], false, profile.id),
    await interactionsSection(profile.id));
  $('profile-list').hidden = true;
  $('profile-detail').hidden = false;
  focusHeading(heading);
}
