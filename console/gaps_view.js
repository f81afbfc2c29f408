// The gap view: the ecosystem gap analysis (POST /v1/ecosystem:analyze) as a
// component × region heat map, with the unmet needs and the offers nobody
// needs listed. Each cell gives its numbers in text; the colour (the share
// of open needs left unmet) only repeats them.
import {call} from './api.js';
import {$, announce, busy, el, fixed3, focusHeading, readFraction} from './dom.js';
import {componentLabel, componentOrder, kindLabel} from './labels.js';

// Unmet share up to each bound -> the class that colours the cell.
const BANDS = [
  [0, 'heat-0', 'all met'],
  [0.25, 'heat-1', 'up to 25 % unmet'],
  [0.5, 'heat-2', 'up to 50 % unmet'],
  [0.75, 'heat-3', 'up to 75 % unmet'],
  [1, 'heat-4', 'over 75 % unmet'],
];

export function initGapsView() {
  $('gaps-legend').append(
    ...BANDS.map(([, className, label]) => el('li', {}, el('span', {className: `swatch ${className}`}), label)),
    el('li', {}, el('span', {className: 'swatch heat-none'}), 'offers, no needs'),
    el('li', {}, el('span', {className: 'swatch empty'}), '— nothing here'));
  $('gaps-form').addEventListener('submit', (event) => {
    event.preventDefault();
    analyze(event.submitter);
  });
  // Regroups the last reply without asking the server again.
  $('gaps-columns').addEventListener('change', () => {
    if (lastReply) renderHeatMap(lastReply.cells ?? []);
  });
}

// The last analysis shown, for regrouping its columns.
let lastReply = null;

export function resetGapsView() {
  $('gaps-form').reset();
  $('gaps-failure').hidden = true;
  $('gaps-results').hidden = true;
  $('gaps-heatmap').replaceChildren();
  lastReply = null;
}

async function analyze(button) {
  $('gaps-failure').hidden = true;
  let failure = null;
  const reply = await busy(button, async () => {
    const body = {};
    const minRelevance = readFraction($('gaps-min-relevance'));
    if (minRelevance !== undefined) body.minRelevance = minRelevance;
    try {
      return await call('POST', '/v1/ecosystem:analyze', {body});
    } catch (error) {
      failure = error;
      throw error;
    }
  });
  if (failure) {
    // Besides the alert, the view itself says what went wrong, so that an
    // empty page is never mistaken for "no gaps".
    $('gaps-failure').textContent =
        `The gap analysis could not be run: ${failure.status}: ${failure.message}` +
        (failure.httpStatus === 404 ? ' (this server does not offer the gap analysis yet).' : '');
    $('gaps-failure').hidden = false;
    $('gaps-results').hidden = true;
    return;
  }
  if (reply) render(reply);
}

// "DE · Sachsen", or "DE" by country; the JSON mapping omits empty strings.
function columnLabel(cell) {
  if (cell.byCountry) return cell.country || '?';
  return `${cell.country || '?'} · ${cell.region || 'no region'}`;
}

const COUNTS = ['openNeeds', 'metNeeds', 'unmetNeeds', 'offers', 'unneededOffers'];

// The cells added up per component and country.
function byCountry(cells) {
  const sums = new Map();
  for (const cell of cells) {
    const key = `${cell.component ?? 'COMPONENT_UNSPECIFIED'}|${cell.country ?? ''}`;
    const sum = sums.get(key) ?? {component: cell.component, country: cell.country, byCountry: true};
    for (const count of COUNTS) sum[count] = (sum[count] ?? 0) + (cell[count] ?? 0);
    sums.set(key, sum);
  }
  return [...sums.values()];
}

function band(share) {
  return BANDS.find(([bound]) => share <= bound) ?? BANDS.at(-1);
}

function heatCell(cell) {
  const open = cell?.openNeeds ?? 0;
  const met = cell?.metNeeds ?? 0;
  const unmet = cell?.unmetNeeds ?? 0;
  const offers = cell?.offers ?? 0;
  if (!cell || (open === 0 && offers === 0)) {
    return el('td', {className: 'empty'}, el('span', {'aria-hidden': 'true'}, '—'),
              el('span', {className: 'visually-hidden'}, 'no needs or offers'));
  }
  const offerText = `${offers} offer${offers === 1 ? '' : 's'}`;
  if (open === 0) {
    return el('td', {className: 'heat-none'}, el('span', {className: 'cell-main'}, 'no needs'),
              el('span', {className: 'cell-sub'}, offerText));
  }
  const share = unmet / open;
  return el('td', {className: band(share)[1], 'data-unmet': unmet},
    el('span', {className: 'cell-main'}, `${met}/${open} met`),
    el('span', {className: 'cell-sub'}, `${unmet} unmet (${Math.round(share * 100)} %)`),
    el('span', {className: 'cell-sub'}, offerText));
}

function heatMap(cells) {
  const columns = [...new Map(cells.map((cell) => [columnLabel(cell), cell])).values()]
    .sort((a, b) => (a.country ?? '').localeCompare(b.country ?? '') || (a.region ?? '').localeCompare(b.region ?? ''))
    .map(columnLabel);
  const components = [...new Set(cells.map((cell) => cell.component ?? 'COMPONENT_UNSPECIFIED'))]
    .sort((a, b) => componentOrder(a) - componentOrder(b));
  const byKey = new Map(cells.map((cell) => [`${cell.component ?? 'COMPONENT_UNSPECIFIED'}|${columnLabel(cell)}`, cell]));
  return [
    el('caption', {}, `Rows: ecosystem components. Columns: ${cells[0]?.byCountry ? 'country' : 'country · region'}. ` +
                      'Each cell: needs met of open needs, needs unmet, and offers.'),
    el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'Component'),
                       columns.map((column) => el('th', {scope: 'col'}, column)))),
    el('tbody', {}, components.map((component) => el('tr', {},
      el('th', {scope: 'row'}, componentLabel(component)),
      columns.map((column) => heatCell(byKey.get(`${component}|${column}`)))))),
  ];
}

function renderHeatMap(cells) {
  const grouped = $('gaps-columns').value === 'country' ? byCountry(cells) : cells;
  $('gaps-heatmap').replaceChildren(...(grouped.length ? heatMap(grouped)
    : [el('caption', {}, 'No needs or offers to analyse.')]));
}

function regionOf(profile) {
  return [profile?.location?.country, profile?.location?.region].filter(Boolean).join(' · ');
}

function profileCell(profile) {
  return el('td', {}, profile?.name || profile?.id || '', el('br'),
            el('span', {className: 'id'}, `${profile?.id ?? ''} · ${kindLabel(profile?.kind)}`));
}

function render(reply) {
  const cells = reply.cells ?? [];
  const unmet = reply.unmetNeeds ?? [];
  const unneeded = reply.unneededOffers ?? [];
  const open = reply.openNeeds ?? 0;
  const met = reply.metNeeds ?? 0;
  $('gaps-summary').textContent = `${open} open needs: ${met} met, ${open - met} unmet; ${reply.offers ?? 0} offers, ${
    unneeded.length} of them needed by nobody. Relevance floor ${fixed3(reply.minRelevance)}.`;
  lastReply = reply;
  renderHeatMap(cells);
  $('gaps-unmet-heading').textContent = `Unmet needs (${unmet.length})`;
  $('gaps-unmet').tBodies[0].replaceChildren(...unmet.map((entry) => el('tr', {},
    profileCell(entry.profile),
    el('td', {}, regionOf(entry.profile)),
    el('td', {}, componentLabel(entry.need?.component)),
    el('td', {className: 'text'}, entry.need?.text ?? ''),
    el('td', {className: 'text'}, entry.shortfall ?? ''),
    el('td', {}, entry.nearMiss?.partner
      ? `${entry.nearMiss.partner.name || entry.nearMiss.partner.id} (score ${fixed3(entry.nearMiss.score)})`
      : 'none'))));
  $('gaps-offers-heading').textContent = `Offers nobody needs (${unneeded.length})`;
  $('gaps-offers').tBodies[0].replaceChildren(...unneeded.map((entry) => el('tr', {},
    profileCell(entry.profile),
    el('td', {}, regionOf(entry.profile)),
    el('td', {}, componentLabel(entry.offer?.component)),
    el('td', {className: 'text'}, entry.offer?.text ?? ''))));
  $('gaps-results').hidden = false;
  announce(`Gap analysis done: ${$('gaps-summary').textContent}`);
  focusHeading($('gaps-results-heading'));
}
