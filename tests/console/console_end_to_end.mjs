// The staff console in a real browser against a real pollinatord, as
// run_console_test.sh sets it up: headless Debian chromium driven by
// playwright-core. Each step uses the console as a staff member would, checks
// what the page shows against the HTTP API or the CLI, and saves a
// screenshot (PNG) of the view.
//
//   node console_end_to_end.mjs
//
// Environment (from run_console_test.sh): CONSOLE_URL, POLLINATOR_KEY (a
// writer key of the tenant holding data/samples/ecosystem.jsonl),
// POLLINATOR_SERVER and POLLINATOR_CLI (for `pollinator cohort`),
// POLLINATOR_CHROMIUM, CONSOLE_WORK_DIR (scratch files),
// CONSOLE_SCREENSHOT_DIR.
//
// The gap view is checked against the server's own POST
// /v1/ecosystem:analyze, and against a reply served in place of the
// server's (edge cases the sample does not have: HTML-looking names, a
// failed call).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through run_console_test.sh`);
  return value;
};
const consoleUrl = env('CONSOLE_URL');
const key = env('POLLINATOR_KEY');
const grpcServer = env('POLLINATOR_SERVER');
const cli = env('POLLINATOR_CLI');
const chromiumPath = env('POLLINATOR_CHROMIUM');
const workDir = env('CONSOLE_WORK_DIR');
const screenshotDir = env('CONSOLE_SCREENSHOT_DIR');

const ASKER = 'smb-de-lindenau-battery-systems';
const COHORT = [ASKER, 'smb-de-nuremberg-power-electronics', 'smb-de-aachen-machine-vision',
                'smb-de-dresden-cleanroom-automation'];
const SCORE_HEADINGS = ['Score', 'Relevance', 'Pair relevance', 'Semantic', 'Lexical', 'Reciprocal', 'Prior',
                        'Geography', 'Sector', 'Kind fit', 'Experience', 'Network'];
const COMPONENT_LABELS = {
  COMPONENT_TALENT: 'talent & skills',
  COMPONENT_FUNDING: 'funding & investment',
  COMPONENT_TECHNOLOGY_INFRASTRUCTURE: 'technology & infrastructure',
  COMPONENT_COLLABORATION_NETWORKING: 'collaboration & networking',
  COMPONENT_SUPPORT_SERVICES: 'support services & programmes',
  COMPONENT_REGULATORY_IP: 'regulatory & IP',
  COMPONENT_MARKET_ACCESS: 'market access',
  COMPONENT_EXPERTISE: 'expertise & knowledge',
};
const CSV_HEADER = 'member_id,slot,status,partner_id,partner_name,partner_kind,score,required,reason';

// The HTTP API directly, to check what the console did.
async function api(method, route, body) {
  const response = await fetch(new URL(route, consoleUrl), {
    method,
    headers: {Authorization: `Bearer ${key}`, 'Content-Type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  assert.ok(response.ok, `${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const screenshots = [];
// The whole page, or with `at` what a 1366×768 screen shows from there.
async function screenshot(page, name, {at} = {}) {
  const file = path.join(screenshotDir, `${name}.png`);
  if (at) {
    await at.evaluate((node) => node.scrollIntoView({block: 'start'}));
    await page.screenshot({path: file});
  } else {
    await page.screenshot({path: file, fullPage: true});
  }
  screenshots.push(file);
}

// What a keyboard or screen-reader user needs on every view: each visible
// control has a label, each table header cells, and the page one h1.
async function checkAccessibleBasics(page, where) {
  const problems = await page.evaluate(() => {
    const visible = (node) => node.getClientRects().length > 0;
    const found = [];
    for (const control of document.querySelectorAll('input, select, textarea')) {
      if (!visible(control)) continue;
      const named = control.labels?.length > 0 || control.getAttribute('aria-label');
      if (!named) found.push(`unlabelled ${control.tagName.toLowerCase()} #${control.id}`);
    }
    for (const table of document.querySelectorAll('table')) {
      if (visible(table) && table.rows.length > 0 && !table.querySelector('th')) {
        found.push(`table #${table.id} without header cells`);
      }
    }
    for (const button of document.querySelectorAll('button')) {
      if (visible(button) && !(button.textContent.trim() || button.getAttribute('aria-label'))) {
        found.push('button without a name');
      }
    }
    if (document.querySelectorAll('h1').length !== 1) found.push('not exactly one h1');
    return found;
  });
  assert.deepEqual(problems, [], `accessibility basics on ${where}`);
}

async function logIn(page, withKey) {
  await page.getByLabel('API key').fill(withKey);
  await page.getByRole('button', {name: 'Log in'}).click();
}

const steps = [
  ['a wrong key is refused with UNAUTHENTICATED', async (page) => {
    await page.goto(consoleUrl);
    await checkAccessibleBasics(page, 'the login view');
    await logIn(page, `pk_000000000000_${'0'.repeat(64)}`);
    const alert = page.getByRole('alert');
    await alert.getByText('UNAUTHENTICATED').waitFor();
    assert.match(await alert.textContent(), /^UNAUTHENTICATED: API key not recognised/);
    assert.ok(await page.getByRole('heading', {name: 'Log in'}).isVisible(), 'still on the login view');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'nothing kept for a refused key');
    await screenshot(page, '01-login-wrong-key');
  }],

  ['logging in with a key lists the profiles, and a reload keeps the session', async (page) => {
    // By keyboard: Enter in the key field submits the form.
    await page.getByLabel('API key').fill(key);
    await page.getByLabel('API key').press('Enter');
    await page.getByRole('heading', {name: 'Profiles', exact: true}).waitFor();
    await page.locator('#profile-table tbody tr').first().waitFor();
    assert.equal(await page.getByRole('alert').textContent(), '');
    assert.equal(await page.locator('#profile-table tbody tr').count(), 100, 'a first page of 100');
    assert.match(await page.locator('#session-label').textContent(), /^Logged in with key pk_[0-9a-z]+$/);
    await page.reload();
    await page.locator('#profile-table tbody tr').first().waitFor();
    assert.ok(await page.getByRole('button', {name: 'Log out'}).isVisible(), 'still logged in after a reload');
    await checkAccessibleBasics(page, 'the profile list');
  }],

  ['searching the page and opening a profile shows its needs and offers', async (page) => {
    await page.getByLabel('Search this page (id, name or text)').fill('lindenau');
    const rows = page.locator('#profile-table tbody tr');
    assert.equal(await rows.count(), 1, 'one profile matches "lindenau"');
    assert.match(await page.locator('#profile-count').textContent(), /^1 of the 100 profiles on page 1 match/);
    await screenshot(page, '02-profile-search');
    await page.getByRole('button', {name: 'Lindenau Battery Systems GmbH'}).click();
    const profile = await api('GET', `/v1/profiles/${ASKER}`);
    await page.getByRole('heading', {name: profile.name}).waitFor();
    const detail = page.locator('#profile-detail');
    for (const need of profile.needs) {
      await detail.getByRole('cell', {name: need.text}).waitFor();
      assert.ok(await detail.getByRole('button', {name: `Find partners for need ${need.id}`}).isVisible());
    }
    for (const offer of profile.offers ?? []) await detail.getByRole('cell', {name: offer.text}).waitFor();
    await checkAccessibleBasics(page, 'a profile');
    await screenshot(page, '03-profile');
    // The second page: the pager follows next_page_token.
    await detail.getByRole('button', {name: 'Back to the list'}).click();
    await page.getByLabel('Search this page (id, name or text)').fill('');
    await page.getByRole('button', {name: 'Next page'}).click();
    await page.locator('#profile-page-label', {hasText: 'Page 2'}).waitFor();
    const all = await api('GET', '/v1/profiles?page_size=1000');
    assert.equal(await rows.count(), all.profiles.length - 100, 'the rest on page 2');
  }],

  ['a match shows suggestions with reasons, matched texts and every score component', async (page) => {
    await page.getByRole('button', {name: 'Previous page'}).click();
    await page.getByLabel('Search this page (id, name or text)').fill('lindenau');
    await page.getByRole('button', {name: 'Lindenau Battery Systems GmbH'}).click();
    await page.getByRole('button', {name: 'Find partners for all its needs'}).click();
    await page.getByRole('heading', {name: 'Suggestions'}).waitFor();
    const expected = await api('POST', '/v1/profiles:match', {profileId: ASKER, topK: 10, filters: {kinds: []}});
    assert.ok(expected.suggestions.length >= 3, 'the sample SMB has partners');
    const cards = page.locator('#match-list > li');
    assert.equal(await cards.count(), expected.suggestions.length);
    for (const [i, suggestion] of expected.suggestions.entries()) {
      const card = cards.nth(i);
      assert.equal(await card.getAttribute('data-partner'), suggestion.partner.id, `rank ${i + 1}`);
      assert.equal(await card.locator('.score').textContent(), `Score ${suggestion.score.toFixed(3)}`);
      const reasons = await card.locator('.reasons li').allTextContents();
      assert.deepEqual(reasons, suggestion.reasons);
      const pair = await card.locator('.pair dd').allTextContents();
      assert.equal(pair[0], suggestion.need.text);
      assert.equal(pair[1], suggestion.offer.text);
      assert.deepEqual(await card.locator('table.components th').allTextContents(), SCORE_HEADINGS);
      const values = await card.locator('table.components td').allTextContents();
      assert.equal(values[0], suggestion.score.toFixed(3));
      assert.equal(values[1], suggestion.components.relevance.toFixed(3));
      assert.equal(values[5], suggestion.components.reciprocal === undefined ? '—'
                                : suggestion.components.reciprocal.toFixed(3));
      for (const value of values) assert.match(value, /^(\d\.\d{3}|—)$/);
    }
    assert.match(await page.locator('#match-summary').textContent(),
                 new RegExp(`^${expected.suggestions.length} suggestions for every need of ${ASKER}, ranked by `));
    await checkAccessibleBasics(page, 'the match view');
    await screenshot(page, '04-match', {at: page.locator('#match-results')});
  }],

  ['declining a suggestion with a reason is confirmed and stored with that reason', async (page) => {
    const card = page.locator('#match-list > li').first();
    const partner = await card.getAttribute('data-partner');
    await card.getByLabel('Decline reason').selectOption({label: 'too far'});
    await card.getByRole('button', {name: 'Decline'}).click();
    const confirmation = card.locator('.feedback-status');
    await confirmation.getByText('Recorded:').waitFor();
    assert.match(await confirmation.textContent(), new RegExp(`^Recorded: ${ASKER} declined \\(too far\\) `));
    assert.equal(await page.getByRole('status').textContent(), await confirmation.textContent());
    const history = await api('GET', `/v1/profiles/${ASKER}/interactions`);
    const stored = history.interactions.at(-1);
    assert.equal(stored.fromProfileId, ASKER);
    assert.equal(stored.toProfileId, partner);
    assert.equal(stored.type, 'INTERACTION_TYPE_DECLINED');
    assert.equal(stored.declineReason, 'DECLINE_REASON_TOO_FAR');
    assert.match(await confirmation.textContent(), new RegExp(`\\(interaction ${stored.sequence}\\)\\.$`));
    await screenshot(page, '05-declined', {at: page.locator('#match-list > li').first()});
  }],

  ['a free-text need above every candidate gives "no relevant partner" and near misses', async (page) => {
    const view = page.locator('#match-view');
    await view.getByLabel('a free-text need').check();
    await view.getByLabel('Need, in words').fill('electrode coating pilot line with a dry room');
    await view.getByLabel(/^Minimum relevance/).fill('0.99');
    await view.getByRole('button', {name: 'Find partners', exact: true}).click();
    await page.locator('#match-no-partner').getByText('No relevant partner.').waitFor();
    const expected = await api('POST', '/v1/profiles:match',
                               {text: 'electrode coating pilot line with a dry room', topK: 10, minRelevance: 0.99});
    assert.equal(expected.noRelevantPartner, true);
    assert.equal(await page.locator('#match-list > li').count(), 0);
    const nearMisses = page.locator('.near-misses > li');
    assert.equal(await nearMisses.count(), expected.nearMisses.length);
    assert.ok(expected.nearMisses.length > 0, 'near misses listed');
    assert.deepEqual(await nearMisses.first().locator('.reasons li').allTextContents(), expected.nearMisses[0].reasons);
    // Feedback needs an asking profile; a text query has none.
    assert.equal(await page.locator('#match-results .feedback').count(), 0);
    await screenshot(page, '06-no-relevant-partner');
  }],

  ['a cohort CSV is screened, shown per slot and downloaded exactly as the CLI writes it', async (page) => {
    const cohortFile = path.join(workDir, 'cohort.csv');
    writeFileSync(cohortFile, `profile_id,note\n${COHORT.map((id) => `${id},"member, 2025"`).join('\n')}\n`);
    await page.getByRole('button', {name: 'Cohort screening'}).click();
    await page.getByLabel(/^Cohort CSV/).setInputFiles(cohortFile);
    await page.locator('#cohort-members', {hasText: `${COHORT.length} members`}).waitFor();
    await page.getByLabel(/^Partners per member/).fill('3');
    await page.getByLabel(/^Members per partner/).fill('1');
    const pool = page.locator('#cohort-kinds');
    await pool.getByLabel('university').check();
    await pool.getByLabel('research institute').check();
    await page.getByRole('button', {name: 'Screen the cohort'}).click();
    await page.getByRole('heading', {name: 'Assignment'}).waitFor();
    await checkAccessibleBasics(page, 'the cohort view');
    await screenshot(page, '07-cohort');

    const download = page.waitForEvent('download');
    await page.getByRole('button', {name: 'Download CSV'}).click();
    const downloadedFile = path.join(workDir, 'assignment-from-console.csv');
    await (await download).saveAs(downloadedFile);
    const downloaded = readFileSync(downloadedFile, 'utf8');
    const fromCli = execFileSync(cli, [`--server=${grpcServer}`, `--key=${key}`, 'cohort', `--cohort=${cohortFile}`,
                                       '--pool_kinds=university,research_institute', '--per_member=3', '--capacity=1'],
                                 {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
    assert.equal(downloaded.split('\n')[0], CSV_HEADER);
    assert.equal(downloaded, fromCli, 'the download is what `pollinator cohort` prints');

    // The table shows the same rows, one per slot: per_member for each member.
    const lines = downloaded.trimEnd().split('\n').slice(1);
    assert.equal(lines.length, COHORT.length * 3);
    const table = await page.locator('#cohort-table tbody tr').evaluateAll((rows) =>
      rows.map((row) => [...row.cells].map((cell) => cell.textContent)));
    assert.equal(table.length, lines.length);
    const screening = await api('POST', '/v1/cohorts:screen', {cohort: COHORT, perMember: 3, defaultCapacity: 1,
                                                               pool: {kinds: ['university', 'research_institute']}});
    const assignments = screening.assignments ?? [];
    assert.equal(table.filter((row) => row[2] === 'assigned').length, assignments.length);
    for (const [i, row] of table.entries()) {
      assert.equal(row[0], COHORT[Math.floor(i / 3)]);
      assert.equal(row[1], String(i % 3 + 1));
      if (row[2] === 'assigned') {
        const match = assignments.find((a) => a.memberId === row[0] && a.suggestion.partner.id === row[3]);
        assert.ok(match, `row ${i + 1}: ${row[0]} -> ${row[3]} is an assignment of the screening`);
        assert.equal(row[6], match.suggestion.score.toFixed(3));
      } else {
        assert.match(row[8], /^(no relevant partner in the pool|capacity used up: the relevant partners are full)$/);
      }
    }
    assert.match(await page.locator('#cohort-summary').textContent(),
                 new RegExp(`^${assignments.length} slots? assigned, ${lines.length - assignments.length} unassigned`));
  }],

  ['the gap heat map shows a reply of the documented shape, and a failed call says why', async (page) => {
    const reply = {
      cells: [
        {component: 'COMPONENT_FUNDING', country: 'DE', region: 'Sachsen', openNeeds: 4, metNeeds: 1, unmetNeeds: 3,
         offers: 2, unneededOffers: 1},
        {component: 'COMPONENT_FUNDING', country: 'FR', region: 'Occitanie', openNeeds: 2, metNeeds: 2, offers: 5},
        {component: 'COMPONENT_TECHNOLOGY_INFRASTRUCTURE', country: 'DE', region: 'Sachsen', openNeeds: 3,
         metNeeds: 3, offers: 4},
        {component: 'COMPONENT_TALENT', country: 'FR', region: 'Occitanie', offers: 1, unneededOffers: 1},
      ],
      unmetNeeds: [
        {profile: {id: 'smb-x', kind: 'PROFILE_KIND_SMB', name: '<b>Not bold</b> GmbH',
                   location: {country: 'DE', region: 'Sachsen'}},
         need: {id: 'n2', text: 'Growth financing of EUR 5 million', component: 'COMPONENT_FUNDING'},
         nearMiss: {partner: {id: 'inv-1', kind: 'PROFILE_KIND_INVESTOR', name: 'Seed Fund'}, score: 0.123},
         shortfall: 'No investor in the region funds battery production.'},
      ],
      unneededOffers: [
        {profile: {id: 'uni-1', kind: 'PROFILE_KIND_UNIVERSITY', name: 'Uni', location: {country: 'FR',
                                                                                            region: 'Occitanie'}},
         offer: {id: 'o1', text: 'Graduate placements', component: 'COMPONENT_TALENT'}},
      ],
      openNeeds: 9, metNeeds: 6, offers: 12, minRelevance: 0.2,
    };
    let answer = {status: 200, body: reply};
    await page.route('**/v1/ecosystem:analyze', (route) =>
      route.fulfill({status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body)}));
    await page.getByRole('button', {name: 'Ecosystem gaps'}).click();
    await page.getByRole('button', {name: 'Analyse the ecosystem'}).click();
    const map = page.locator('#gaps-heatmap');
    await map.locator('tbody tr').first().waitFor();
    const grid = await map.locator('tr').evaluateAll((rows) =>
      rows.map((row) => [...row.cells].map((cell) => `${cell.className}|${cell.innerText.replace(/\n/g, ' / ')}`)));
    assert.deepEqual(grid, [
      ['|Component', '|DE · Sachsen', '|FR · Occitanie'],
      ['|talent & skills', 'empty|— / no needs or offers', 'heat-none|no needs / 1 offer'],
      ['|funding & investment', 'heat-3|1/4 met / 3 unmet (75 %) / 2 offers', 'heat-0|2/2 met / 0 unmet (0 %) / 5 offers'],
      ['|technology & infrastructure', 'heat-0|3/3 met / 0 unmet (0 %) / 4 offers', 'empty|— / no needs or offers'],
    ]);
    assert.equal(await map.locator('th[scope="row"]').count(), 3);
    const unmet = await page.locator('#gaps-unmet tbody tr').evaluateAll((rows) =>
      rows.map((row) => [...row.cells].map((cell) => cell.innerText)));
    assert.deepEqual(unmet, [['<b>Not bold</b> GmbH\nsmb-x · SMB', 'DE · Sachsen', 'funding & investment',
                              'Growth financing of EUR 5 million', 'No investor in the region funds battery production.',
                              'Seed Fund (score 0.123)']]);
    assert.equal(await page.locator('#gaps-unmet b').count(), 0, 'API text never becomes HTML');
    assert.match(await page.locator('#gaps-summary').textContent(), /^9 open needs: 6 met, 3 unmet; 12 offers/);
    await checkAccessibleBasics(page, 'the gap view');
    await screenshot(page, '08-gaps');

    answer = {status: 503, body: {error: {code: 503, status: 'UNAVAILABLE', message: 'the analysis is warming up'}}};
    await page.getByRole('button', {name: 'Analyse the ecosystem'}).click();
    await page.getByRole('alert').getByText('UNAVAILABLE: the analysis is warming up').waitFor();
    assert.match(await page.locator('#gaps-failure').textContent(),
                 /^The gap analysis could not be run: UNAVAILABLE: the analysis is warming up/);
    assert.ok(await page.locator('#gaps-results').isHidden(), 'no stale heat map next to the error');
    await screenshot(page, '09-gaps-error');
    await page.unroute('**/v1/ecosystem:analyze');
  }],

  // Against the server's own route.
  ['the gap heat map matches the server\'s gap analysis', async (page) => {
    const expected = await api('POST', '/v1/ecosystem:analyze', {});
    await page.getByRole('button', {name: 'Ecosystem gaps'}).click();
    await page.getByRole('button', {name: 'Analyse the ecosystem'}).click();
    const map = page.locator('#gaps-heatmap');
    await map.locator('tbody tr').first().waitFor();
    assert.equal(await page.getByRole('alert').textContent(), '');
    const columns = await map.locator('thead th').allTextContents();
    const rows = await map.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.cells].map((cell) => cell.innerText.replace(/\n/g, ' / '))));
    for (const cell of expected.cells ?? []) {
      const open = cell.openNeeds ?? 0;
      if (open === 0) continue;
      const column = columns.indexOf(`${cell.country || '?'} · ${cell.region || 'no region'}`);
      assert.ok(column > 0, `a column for ${cell.country} ${cell.region}`);
      const row = rows.find((r) => r[0] === COMPONENT_LABELS[cell.component]);
      assert.ok(row, `a row for ${cell.component}`);
      assert.ok(row[column].startsWith(`${cell.metNeeds ?? 0}/${open} met / ${cell.unmetNeeds ?? 0} unmet`),
                `${cell.component} in ${columns[column]}: ${row[column]}`);
    }
    assert.equal(await page.locator('#gaps-unmet tbody tr').count(), (expected.unmetNeeds ?? []).length);
    // The page keeps the laptop's width: the wide map scrolls in its own box.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
              'the heat map does not widen the page');
    await screenshot(page, '10-gaps-live', {at: page.locator('#gaps-results-heading')});

    // By country, the regions' cells add up.
    await page.getByLabel('Columns').selectOption('country');
    const countries = [...new Set((expected.cells ?? []).map((cell) => cell.country || '?'))].sort();
    const countryColumns = (await map.locator('thead th').allTextContents()).slice(1);
    assert.deepEqual(countryColumns, countries);
    const sums = new Map();
    for (const cell of expected.cells ?? []) {
      const key = `${cell.component}|${cell.country || '?'}`;
      const sum = sums.get(key) ?? {component: cell.component, country: cell.country || '?', open: 0, met: 0};
      sum.open += cell.openNeeds ?? 0;
      sum.met += cell.metNeeds ?? 0;
      sums.set(key, sum);
    }
    const countryRows = await map.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.cells].map((cell) => cell.innerText.replace(/\n/g, ' / '))));
    let checked = 0;
    for (const sum of sums.values()) {
      if (sum.open === 0) continue;
      const row = countryRows.find((r) => r[0] === COMPONENT_LABELS[sum.component]);
      assert.ok(row[1 + countries.indexOf(sum.country)].startsWith(`${sum.met}/${sum.open} met`),
                `${sum.component} in ${sum.country}`);
      checked += 1;
    }
    assert.ok(checked > 0, 'some country has open needs');
    await screenshot(page, '11-gaps-by-country', {at: page.locator('#gaps-results-heading')});
  }],

  ['logging out forgets the key', async (page) => {
    await page.getByRole('button', {name: 'Log out'}).click();
    await page.getByRole('heading', {name: 'Log in'}).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.getByLabel('API key').inputValue(), '');
    await page.reload();
    assert.ok(await page.getByRole('heading', {name: 'Log in'}).isVisible(), 'a reload does not log back in');
  }],
];

async function main() {
  mkdirSync(screenshotDir, {recursive: true});
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'pollinator-console-chromium-'));
  const started = Date.now();
  // No internet: nothing that phones home, no first-run or sync.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    viewport: {width: 1366, height: 768},
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15000);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (401|404|503)/.test(message.text())) pageErrors.push(message.text());
  });
  let failed = 0;
  let ran = 0;
  try {
    for (const [name, run] of steps) {
      ran += 1;
      const stepStarted = Date.now();
      try {
        await run(page);
        assert.deepEqual(pageErrors, [], 'no script errors in the page');
        console.log(`ok: ${name} (${Date.now() - stepStarted} ms)`);
      } catch (error) {
        failed += 1;
        console.error(`FAILED: ${name}\n${error.stack ?? error}`);
        await screenshot(page, `failed-${ran}`).catch(() => {});
        pageErrors.length = 0;
        break;  // later steps build on this one
      }
    }
  } finally {
    await context.close();
    rmSync(userDataDir, {recursive: true, force: true});
  }
  for (const file of screenshots) console.log(`screenshot: ${file}`);
  console.log(`${ran - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exitCode = failed === 0 && ran > 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
