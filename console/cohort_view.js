// The cohort view: members from a CSV file, ScreenCohort (POST
// /v1/cohorts:screen) with per-member, capacity and pool kinds, and the
// assignment one row per slot, on screen and as the CLI's CSV.
import {call} from './api.js';
import {$, FormError, announce, busy, el, fixed3, focusHeading, readInteger} from './dom.js';
import {csvText, readCohortCsv} from './csv.js';
import {KINDS, kindLabel} from './labels.js';

// The columns of `pollinator cohort` (tools/cli/cohort_command.cc).
export const ASSIGNMENT_COLUMNS =
    ['member_id', 'slot', 'status', 'partner_id', 'partner_name', 'partner_kind', 'score', 'required', 'reason'];

const UNASSIGNED_REASONS = {
  UNASSIGNED_REASON_CAPACITY_USED_UP: 'capacity used up: the relevant partners are full',
};
const NO_RELEVANT_PARTNER = 'no relevant partner in the pool';

let members = [];
let fileName = '';
let rows = [];

export function initCohortView() {
  $('cohort-kinds').append(...KINDS.map(([name, label]) =>
    el('label', {}, el('input', {type: 'checkbox', name: 'cohort-kind', value: name}), ` ${label}`)));
  $('cohort-file').addEventListener('change', readFile);
  $('cohort-form').addEventListener('submit', (event) => {
    event.preventDefault();
    screen(event.submitter);
  });
  $('cohort-download').addEventListener('click', download);
}

export function resetCohortView() {
  $('cohort-form').reset();
  members = [];
  rows = [];
  fileName = '';
  $('cohort-members').textContent = 'No file chosen yet.';
  $('cohort-results').hidden = true;
  $('cohort-table').tBodies[0].replaceChildren();
}

async function readFile() {
  const file = $('cohort-file').files[0];
  members = [];
  if (!file) {
    $('cohort-members').textContent = 'No file chosen yet.';
    return;
  }
  fileName = file.name;
  await busy(null, async () => {
    try {
      members = readCohortCsv(await file.text());
    } catch (error) {
      $('cohort-members').textContent = `${file.name} cannot be used.`;
      throw new FormError(`${file.name}: ${error.message}`, $('cohort-file'));
    }
    const shown = members.slice(0, 8).join(', ') + (members.length > 8 ? ', …' : '');
    $('cohort-members').textContent = `${members.length} member${members.length === 1 ? '' : 's'}: ${shown}`;
  });
}

// One row per slot, as the CLI writes them: for each member in cohort order
// its assigned partners (by score), then its empty slots with the reason.
export function assignmentRows(cohort, response) {
  const result = [];
  for (const member of cohort) {
    let slot = 0;
    for (const assignment of response.assignments ?? []) {
      if (assignment.memberId !== member) continue;
      const suggestion = assignment.suggestion ?? {};
      const partner = suggestion.partner ?? {};
      result.push([member, String(++slot), 'assigned', partner.id ?? '', partner.name ?? '', kindLabel(partner.kind),
                   fixed3(suggestion.score), assignment.required ? 'yes' : 'no', suggestion.reasons?.[0] ?? '']);
    }
    for (const slots of response.unassigned ?? []) {
      if (slots.memberId !== member) continue;
      const why = UNASSIGNED_REASONS[slots.reason] ?? NO_RELEVANT_PARTNER;
      for (let i = 0; i < (slots.count ?? 0); ++i) {
        result.push([member, String(++slot), 'unassigned', '', '', '', '', '', why]);
      }
    }
  }
  return result;
}

async function screen(button) {
  const reply = await busy(button, async () => {
    if (members.length === 0) {
      throw new FormError('Cohort CSV: choose a file with at least one member', $('cohort-file'));
    }
    const kinds = [...document.querySelectorAll('input[name="cohort-kind"]:checked')].map((box) => box.value);
    const body = {
      cohort: members,
      perMember: readInteger($('cohort-per-member'), 1, 20, 3),
      defaultCapacity: readInteger($('cohort-capacity'), 0, 1000, 5),
      pool: {kinds},
    };
    return {cohort: members, response: await call('POST', '/v1/cohorts:screen', {body})};
  });
  if (!reply) return;
  rows = assignmentRows(reply.cohort, reply.response);
  render(reply.response);
}

function render(response) {
  const assigned = rows.filter((row) => row[2] === 'assigned').length;
  $('cohort-table').tBodies[0].replaceChildren(...rows.map((row) =>
    el('tr', {className: row[2]}, row.map((value, column) =>
      el('td', {className: [1, 6].includes(column) ? 'num' : column === 0 || column === 3 ? 'id' : ''}, value)))));
  $('cohort-summary').textContent = `${assigned} slot${assigned === 1 ? '' : 's'} assigned, ${
    rows.length - assigned} unassigned, total score ${fixed3(response.totalScore)}.`;
  $('cohort-results').hidden = false;
  announce(`Screening done: ${$('cohort-summary').textContent}`);
  focusHeading($('cohort-results-heading'));
}

function download() {
  const blob = new Blob([csvText([ASSIGNMENT_COLUMNS, ...rows])], {type: 'text/csv'});
  const url = URL.createObjectURL(blob);
  const base = fileName.replace(/\.csv$/i, '') || 'cohort';
  const link = el('a', {href: url, download: `${base}-assignment.csv`, hidden: true});
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the blob after this handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  announce(`Downloaded ${base}-assignment.csv (${rows.length} rows).`);
}
