// The match view: FindPartners (POST /v1/profiles:match) for a profile (all
// its needs or one of them, or its offers) or for a need in words, shown
// with each suggestion's reasons, matched texts and score components, and
// feedback on a suggestion (POST /v1/interactions).
import {call} from './api.js';
import {$, FormError, announce, busy, el, fixed3, focusHeading, readFraction, readInteger} from './dom.js';
import {DECLINE_REASONS, KINDS, componentLabel, declineLabel, kindLabel, placeLabel} from './labels.js';

// [heading, value of a suggestion]: the score, then its components in the
// order the API documents them (ScoreBreakdown in matching.proto).
const SCORE_COLUMNS = [
  ['Score', (s) => s.score],
  ['Relevance', (s) => s.components?.relevance],
  ['Pair relevance', (s) => s.components?.pairRelevance],
  ['Semantic', (s) => s.components?.semantic],
  ['Lexical', (s) => s.components?.lexical],
  // Only for a mutual fit; absent (not zero) otherwise.
  ['Reciprocal', (s) => s.components?.reciprocal ?? null],
  ['Prior', (s) => s.components?.prior],
  ['Geography', (s) => s.components?.geography],
  ['Sector', (s) => s.components?.sector],
  ['Kind fit', (s) => s.components?.kindFit],
  ['Experience', (s) => s.components?.experience],
  ['Network', (s) => s.components?.network],
];

let context;
// The profile whose items fill the need/offer list.
let loadedProfile = null;
let cardCount = 0;

export function initMatchView(consoleContext) {
  context = consoleContext;
  $('match-kinds').append(...KINDS.map(([name, label]) =>
    el('label', {}, el('input', {type: 'checkbox', name: 'match-kind', value: name}), ` ${label}`)));
  for (const radio of document.querySelectorAll('input[name="match-mode"]')) {
    radio.addEventListener('change', showModeFields);
  }
  $('match-profile').addEventListener('change', () => loadItems($('match-profile').value.trim()));
  $('match-direction').addEventListener('change', fillItems);
  $('match-form').addEventListener('submit', (event) => {
    event.preventDefault();
    runMatch(event.submitter);
  });
}

export function resetMatchView() {
  $('match-form').reset();
  loadedProfile = null;
  fillItems();
  showModeFields();
  $('match-results').hidden = true;
  $('match-list').replaceChildren();
}

// Opened from a profile: fills the form and runs the match at once.
export async function matchProfile(profileId, itemId) {
  context.showView('match');
  document.querySelector('input[name="match-mode"][value="profile"]').checked = true;
  showModeFields();
  $('match-profile').value = profileId;
  $('match-direction').value = 'DIRECTION_NEEDS_TO_OFFERS';
  await loadItems(profileId);
  $('match-item').value = itemId;
  await runMatch(null);
}

function mode() {
  return document.querySelector('input[name="match-mode"]:checked').value;
}

function showModeFields() {
  const byProfile = mode() === 'profile';
  $('match-profile-fields').hidden = !byProfile;
  $('match-text-fields').hidden = byProfile;
}

async function loadItems(profileId) {
  loadedProfile = null;
  if (profileId) {
    loadedProfile = await busy(null, () => call('GET', `/v1/profiles/${encodeURIComponent(profileId)}`)) ?? null;
  }
  fillItems();
}

// The need/offer list from the loaded profile: needs or offers by direction.
function fillItems() {
  const offers = $('match-direction').value === 'DIRECTION_OFFERS_TO_NEEDS';
  const items = (offers ? loadedProfile?.offers : loadedProfile?.needs) ?? [];
  $('match-item').replaceChildren(
    el('option', {value: ''}, offers ? 'all its offers' : 'all its needs'),
    ...items.map((item) => el('option', {value: item.id}, `${item.id}: ${shorten(item.text, 70)}`)));
}

function shorten(text, length) {
  return text.length <= length ? text : `${text.slice(0, length - 1).replace(/\s+\S*$/, '')}…`;
}

function buildRequest() {
  const body = {
    topK: readInteger($('match-top-k'), 1, 100, 10),
    filters: {kinds: [...document.querySelectorAll('input[name="match-kind"]:checked')].map((box) => box.value)},
  };
  const minRelevance = readFraction($('match-min-relevance'));
  if (minRelevance !== undefined) body.minRelevance = minRelevance;
  if (mode() === 'profile') {
    const profileId = $('match-profile').value.trim();
    if (!profileId) throw new FormError('Profile ID: enter the profile to match', $('match-profile'));
    body.profileId = profileId;
    body.direction = $('match-direction').value;
    if ($('match-item').value) body.itemId = $('match-item').value;
  } else {
    const text = $('match-text').value.trim();
    if (!text) throw new FormError('Need, in words: describe the need', $('match-text'));
    body.text = text;
  }
  return body;
}

async function runMatch(button) {
  const reply = await busy(button, async () => {
    const body = buildRequest();
    const result = await call('POST', '/v1/profiles:match', {body});
    return {body, result};
  });
  if (!reply) return;
  renderResults(reply.body, reply.result);
}

function describeQuery(query) {
  if (!query.profileId) return `the need “${shorten(query.text, 80)}”`;
  const what = query.direction === 'DIRECTION_OFFERS_TO_NEEDS' ? 'offer' : 'need';
  return query.itemId ? `${what} ${query.itemId} of ${query.profileId}` : `every ${what} of ${query.profileId}`;
}

function renderResults(query, result) {
  const suggestions = result.suggestions ?? [];
  const nearMisses = result.nearMisses ?? [];
  cardCount = 0;
  $('match-summary').textContent = `${suggestions.length} suggestion${suggestions.length === 1 ? '' : 's'} for ${
    describeQuery(query)}, ranked by ${result.rankedBy || 'rules'}.`;
  const noPartner = $('match-no-partner');
  noPartner.hidden = !result.noRelevantPartner;
  noPartner.replaceChildren();
  if (result.noRelevantPartner) {
    noPartner.append(
      el('p', {}, el('strong', {}, 'No relevant partner. '),
         'No candidate reaches the relevance floor. The closest candidates follow, each with why it falls short.'),
      el('h4', {}, `Near misses (${nearMisses.length})`),
      el('ol', {className: 'suggestions near-misses'}, nearMisses.map((s, i) => suggestionCard(s, i + 1, query))));
  }
  $('match-list').replaceChildren(...suggestions.map((s, i) => suggestionCard(s, i + 1, query)));
  $('match-results').hidden = false;
  announce($('match-summary').textContent + (result.noRelevantPartner ? ' No relevant partner.' : ''));
  focusHeading($('match-results-heading'));
}

function itemLine(label, item) {
  if (!item?.text) return null;
  const tag = [item.id, item.component && componentLabel(item.component)].filter(Boolean).join(', ');
  return [el('dt', {}, tag ? `${label} (${tag})` : label), el('dd', {}, item.text)];
}

function componentsTable(suggestion) {
  return el('div', {className: 'table-wrap'}, el('table', {className: 'components'},
    el('caption', {}, 'Score components'),
    el('thead', {}, el('tr', {}, SCORE_COLUMNS.map(([name]) => el('th', {scope: 'col'}, name)))),
    el('tbody', {}, el('tr', {}, SCORE_COLUMNS.map(([name, value]) => {
      const number = value(suggestion);
      return el('td', {className: 'num', 'data-component': name},
                number === null ? el('span', {title: 'not a mutual fit'}, '—') : fixed3(number));
    })))));
}

function suggestionCard(suggestion, rank, query) {
  const partner = suggestion.partner ?? {};
  const offersQuery = query.direction === 'DIRECTION_OFFERS_TO_NEEDS';
  const asker = query.profileId ?? 'the query';
  const headingId = `suggestion-${++cardCount}`;
  const meta = [partner.id, kindLabel(partner.kind), placeLabel(partner.location)];
  if (suggestion.distanceKm !== undefined) meta.push(`${Math.round(suggestion.distanceKm)} km away`);
  return el('li', {className: 'suggestion', 'aria-labelledby': headingId, 'data-partner': partner.id},
    el('div', {className: 'suggestion-head'},
      el('h4', {id: headingId}, `${rank}. ${partner.name || partner.id}`),
      el('p', {className: 'score'}, `Score ${fixed3(suggestion.score)}`)),
    el('p', {className: 'meta'}, meta.filter(Boolean).join(' · '), ' ',
       el('button', {type: 'button', className: 'link', onclick: () => context.openProfile(partner.id)},
          'Open profile')),
    el('h5', {}, 'Why'),
    el('ul', {className: 'reasons'}, (suggestion.reasons ?? []).map((reason) => el('li', {}, reason))),
    el('dl', {className: 'pair'},
      itemLine(offersQuery ? `Need of ${partner.id}` : `Need of ${asker}`, suggestion.need),
      itemLine(offersQuery ? `Offer of ${asker}` : `Offer of ${partner.id}`, suggestion.offer),
      suggestion.mutualNeed?.text ? [
        el('dt', {}, 'Mutual fit'),
        el('dd', {}, `${offersQuery ? partner.id : asker}'s offer “${suggestion.mutualOffer?.text ?? ''}” meets ${
          offersQuery ? asker : partner.id}'s need “${suggestion.mutualNeed.text}”`)] : null),
    componentsTable(suggestion),
    query.profileId ? feedbackControls(query.profileId, partner, headingId) : null);
}

function feedbackControls(fromId, partner, headingId) {
  const reasonId = `${headingId}-reason`;
  const status = el('p', {className: 'feedback-status', id: `${headingId}-feedback`});
  const reason = el('select', {id: reasonId},
    DECLINE_REASONS.map(([name, label]) => el('option', {value: name}, label)));
  const record = async (button, type) => {
    const interaction = {fromProfileId: fromId, toProfileId: partner.id, type};
    if (type === 'INTERACTION_TYPE_DECLINED') interaction.declineReason = reason.value;
    const reply = await busy(button, () => call('POST', '/v1/interactions', {body: interaction}));
    if (!reply) {
      status.textContent = `Not recorded: ${$('error').textContent}`;
      status.classList.add('failed');
      return;
    }
    const stored = reply.interaction ?? {};
    const what = type === 'INTERACTION_TYPE_DECLINED'
      ? `declined (${declineLabel(stored.declineReason)})` : 'accepted';
    const text = `Recorded: ${fromId} ${what} ${partner.name || partner.id} (interaction ${stored.sequence}).`;
    status.textContent = text;
    status.classList.remove('failed');
    announce(text);
  };
  return el('div', {className: 'feedback', role: 'group', 'aria-label': `Feedback on ${partner.name || partner.id}`},
    el('button', {type: 'button', onclick: (event) => record(event.currentTarget, 'INTERACTION_TYPE_ACCEPTED')},
       'Accept'),
    el('label', {for: reasonId}, 'Decline reason'),
    reason,
    el('button', {type: 'button', onclick: (event) => record(event.currentTarget, 'INTERACTION_TYPE_DECLINED')},
       'Decline'),
    status);
}
