// Beacon web UI: plain modules-free JavaScript, no external libraries, works offline.
// Served by the console, which signs people in (OIDC) and calls the services for the page: a service's
// API is reached as /services/<service>/api/...; the page never holds a token.
'use strict';

const ENGINE = '/services/cta-engine';
const INBOX = '/services/notification-service';
const ACCOUNTS = '/services/account-service';

const state = { me: null, live: null, refreshTimer: null, known: new Set() };
const main = () => document.getElementById('main');

const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const money = (v) => v == null ? '–' : Number(v).toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const age = (hours) => hours < 1 ? 'under an hour' : hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;

// Libraries from their webjars, loaded when a screen first needs them (not before the first screen):
// ECharts for charts, CodeMirror for the DRL editor. Each is fetched once; a screen that cannot get one
// works without it (tables instead of charts, plain text areas instead of the editor).
const LIBRARIES = {
  echarts: ['/webjars/echarts/5.3.1/dist/echarts.min.js'],
  codemirror: ['/webjars/codemirror/5.65.16/lib/codemirror.js', '/webjars/codemirror/5.65.16/mode/clike/clike.js'],
};
const loading = {};
function library(name) {
  loading[name] = loading[name] || LIBRARIES[name].reduce((previous, src) => previous.then(() => new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => { console.warn(`${src} could not be loaded`); resolve(); };
    document.head.append(script);
  })), Promise.resolve());
  return loading[name];
}

class HttpError extends Error {
  constructor(status, problem) { super(problem?.detail || problem?.title || `HTTP ${status}`); this.status = status; this.problem = problem; }
}

// The console's double-submit CSRF proof: the beacon_csrf cookie's value, repeated in a header.
const csrfToken = () => (document.cookie.split('; ').find((c) => c.startsWith('beacon_csrf=')) || '').slice('beacon_csrf='.length);

async function api(path, options = {}) {
  const method = (options.method || 'GET').toUpperCase();
  const response = await fetch(path, { credentials: 'same-origin', ...options,
    headers: { Accept: 'application/json', 'X-Requested-With': 'JavaScript',
      ...(options.body ? { 'Content-Type': 'application/json' } : {}),
      ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrfToken() }), ...(options.headers || {}) } });
  // 499: the console's session has ended (and could not be refreshed): sign in again, come back here,
  // and finish the change that was interrupted (kept in this tab only, replayed once).
  if (response.status === 499 || response.status === 401) {
    if (method !== 'GET' && !options.replay) {
      sessionStorage.setItem('beacon.pending', JSON.stringify({ path, method, body: options.body || null, what: options.what || 'your change' }));
    }
    signInAgain();
    throw new HttpError(response.status);
  }
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new HttpError(response.status, body);
  return body;
}

const engine = (path, options) => api(ENGINE + path, options);

/**
 * Not signed in (or the session ended): remember the screen, sign in through the console's /sign-in,
 * which brings the person back to the page. A sign-in that does not stick stops after three tries in a
 * minute instead of going round for ever.
 */
function signInAgain() {
  const tries = JSON.parse(sessionStorage.getItem('beacon.signins') || '[]').filter((t) => t > Date.now() - 60000);
  if (tries.length >= 3) {
    main().innerHTML = '<section class="card" role="alert"><h1>Signing in did not work</h1><p>The sign-in came back three times without a session. Check that cookies are allowed for this site, then <a href="/sign-in">try again</a>.</p></section>';
    return;
  }
  sessionStorage.setItem('beacon.signins', JSON.stringify([...tries, Date.now()]));
  if (location.hash) sessionStorage.setItem('beacon.return', location.hash);
  location.assign('/sign-in');
}

const has = (...roles) => state.me && state.me.roles.some((r) => roles.includes(r));

function home() {
  if (has('exec', 'admin')) return '#/dashboard';
  if (has('csm')) return '#/cockpit';
  if (has('rules-admin')) return '#/rules';
  return '#/dashboard';
}

const SCREENS = {
  '#/dashboard': { title: 'executive dashboard', roles: ['exec', 'admin'], show: () => dashboard() },
  '#/cockpit': { title: 'CSM cockpit', roles: ['csm'], show: () => cockpit(null) },
  '#/team': { title: 'team view', roles: ['csm'], leadsOnly: true, show: () => cockpit(state.work.leads[0]) },
  '#/rules': { title: 'rules console', roles: ['rules-admin'], show: () => rules() },
  '#/accounts/': { title: 'account page', roles: ['csm', 'exec', 'admin'], show: (id) => account360(id) },
};

/** The screen for a location hash: an exact one, or a prefix with a parameter (#/accounts/<id>). */
function screenFor(hash) {
  if (SCREENS[hash]) return [SCREENS[hash], null];
  const prefix = Object.keys(SCREENS).find((p) => p.endsWith('/') && hash.startsWith(p) && hash.length > p.length);
  return prefix ? [SCREENS[prefix], decodeURIComponent(hash.slice(prefix.length))] : [null, null];
}

const accountLink = (id, name) => `<a class="account-link" href="#/accounts/${encodeURIComponent(id)}">${esc(name || id)}</a>`;

/** Accounts by id, fetched once a screen needs them (a CSM's own in one call). */
async function accountsById(ids) {
  state.accounts = state.accounts || new Map();
  const missing = [...new Set(ids)].filter((id) => !state.accounts.has(id));
  if (missing.length > 0 && has('csm') && !state.accountsLoaded) {
    state.accountsLoaded = true;
    const page = await api(`${ACCOUNTS}/api/v1/accounts?csm=${encodeURIComponent(state.work.csmId || state.me.subject)}&size=500`).catch(() => null);
    (page ? page.items : []).forEach((a) => state.accounts.set(a.id, a));
  }
  const still = missing.filter((id) => !state.accounts.has(id)).slice(0, 50);
  await Promise.all(still.map((id) => api(`${ACCOUNTS}/api/v1/accounts/${encodeURIComponent(id)}`)
    .then((a) => state.accounts.set(id, a)).catch(() => state.accounts.set(id, null))));
  return state.accounts;
}

async function route() {
  const hash = location.hash || home();
  document.querySelectorAll('nav a').forEach((a) => {
    a.hidden = !has(...a.dataset.role.split(' ')) || (a.dataset.leads !== undefined && !(state.work && state.work.leads.length > 0));
    if (a.getAttribute('href') === hash) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  stopLive();
  const [screen, param] = screenFor(hash);
  if (!screen) { location.hash = home(); return; }
  if (!has(...screen.roles) || (screen.leadsOnly && !(state.work && state.work.leads.length > 0))) {
    // Reached by URL or an old bookmark: say so plainly instead of failing inside the screen.
    main().innerHTML = `<section class="card" role="alert"><h1>Not available to you</h1>
      <p>The ${esc(screen.title)} is for ${screen.leadsOnly ? 'team leads' : screen.roles.map(esc).join(', ')}. You are signed in as
      ${esc(state.me.name)} (${esc(state.me.roles.join(', '))}).</p><p><a href="${home()}">Go to your start screen</a></p></section>`;
    return;
  }
  try {
    await screen.show(param);
  } catch (e) {
    if (e.status !== 401) main().innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
  }
}

// ---- live updates -------------------------------------------------------------------------------

function startLive(onChange) {
  const source = new EventSource(`${ENGINE}/api/v1/live`);
  state.live = source;
  const dot = () => document.getElementById('live');
  source.onopen = () => { if (dot()) dot().innerHTML = '<span class="live-dot"></span>Live'; };
  source.onerror = () => { if (dot()) dot().innerHTML = '<span class="live-dot off"></span>Reconnecting…'; };
  source.onmessage = (message) => {
    const change = JSON.parse(message.data);
    if (change.kind === 'SUBSCRIBED') return;
    // At most one refresh per 250 ms, and never postponed by a steady stream of changes.
    if (state.refreshTimer) return;
    state.refreshTimer = setTimeout(() => { state.refreshTimer = null; onChange(change); }, 250);
  };
}

function stopLive() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = null;
  if (state.live) { state.live.close(); state.live = null; }
  if (state.inbox) { state.inbox.close(); state.inbox = null; }
}

// ---- executive dashboard ------------------------------------------------------------------------

async function dashboard() {
  const first = !document.getElementById('dashboard');
  if (first) {
    main().innerHTML = `<section id="dashboard" aria-labelledby="dash-title">
      <h1 id="dash-title">Executive dashboard <span id="live" class="status muted"></span></h1><div id="dash-body"><p class="muted">Loading…</p></div></section>`;
  }
  // Leaving a screen stops its feeds; coming back (or drawing it again) starts them again.
  if (!state.live) startLive(() => renderDashboard());
  await renderDashboard();
}

// The escalation list's view: a page at a time, sorted and filtered by the server (thousands may be open).
const DASH_PAGE = 50; // the same as the engine's first page in the summary
state.dash = { page: 0, sort: 'NEWEST', segment: '', team: '', csm: '', reason: '' };

function escalationQuery(extra = {}) {
  const q = new URLSearchParams();
  Object.entries({ ...state.dash, size: DASH_PAGE, ...extra }).forEach(([k, v]) => { if (v !== '' && v != null) q.set(k, v); });
  return q.toString();
}

async function renderDashboard() {
  // The summary carries the newest page of all escalations: the default view needs no second request.
  const dash = state.dash;
  const defaultView = dash.page === 0 && dash.sort === 'NEWEST' && !dash.segment && !dash.team && !dash.csm && !dash.reason;
  const [d, fetched] = await Promise.all([engine('/api/v1/dashboard'), defaultView ? null : fetchEscalations()]);
  const page = fetched || { items: d.escalations, total: d.openEscalations };
  const body = document.getElementById('dash-body');
  if (!body) return;
  // The page's own work for a refresh (network waits excluded), kept as Performance API measures:
  // "dashboard-work" for each, "dashboard-ready" once the first screen is drawn. A refresh changes
  // only the elements whose content changed: a live escalation touches a count, a segment row and a
  // table row, not the screen.
  const started = performance.now();
  const weeks = d.weeks;
  const now = weeks[weeks.length - 1] || { ctasOpened: 0, ctasClosed: 0, escalations: 0 };
  const before = weeks[weeks.length - 2] || { ctasOpened: 0, ctasClosed: 0, escalations: 0 };
  const delta = (a, b) => a === b ? 'same as last week' : `${a > b ? '+' : ''}${a - b} vs last week`;
  const worst = [...d.segments].sort((a, b) => b.openEscalations - a.openEscalations)[0];
  if (!document.getElementById('escalation-filter')) {
    state.patched = new Map();
    state.trendKey = null;
    body.innerHTML = `<div class="grid">
        <div class="card"><h2>Open escalations</h2><div class="big" id="open-escalations"></div><div class="muted" id="by-age"></div></div>
        <div class="card"><h2>ARR at risk</h2><div class="big" id="arr-at-risk"></div><div class="muted">accounts with an open escalation</div></div>
        <div class="card" id="this-week"></div></div>
      <table id="segments"><caption>By segment</caption>
        <thead><tr><th scope="col">Segment</th><th scope="col" class="num">Accounts</th><th scope="col">Health</th>
        <th scope="col" class="num">Open CTAs</th><th scope="col" class="num">Escalations</th><th scope="col" class="num">ARR at risk</th></tr></thead>
        <tbody></tbody></table>
      <div class="card" style="margin:16px 0"><h2>Weekly trend</h2>
        <div id="trend-chart" style="height:240px" role="img" aria-label="CTAs opened, closed and escalated per week, by the time of the events"></div>
        <details><summary>Show as a table</summary><div id="trend-table"></div></details></div>
      <section aria-labelledby="esc-title"><h2 id="esc-title">Open escalations</h2>
      <form id="escalation-filter" class="filters" role="search" aria-label="Filter escalations">
        <label>Segment <select name="segment"><option value="">any</option>${SEGMENTS.map((x) => `<option>${x}</option>`).join('')}</select></label>
        <label>Team <input name="team" size="12"></label><label>CSM <input name="csm" size="12"></label>
        <label>Reason <input name="reason" size="14"></label>
        <label>Sort by <select name="sort"><option value="NEWEST">newest first</option><option value="OLDEST">oldest first</option>
          <option value="ARR">ARR, largest first</option><option value="SEGMENT">segment</option></select></label>
        <a id="export-csv" href="#">Export CSV</a></form>
      <div id="escalation-page"></div></section>`;
    const form = document.getElementById('escalation-filter');
    let typing;
    form.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => {
        Object.assign(state.dash, { page: 0, sort: form.sort.value, segment: form.segment.value, team: form.team.value.trim(),
          csm: form.csm.value.trim(), reason: form.reason.value.trim() });
        showEscalations();
      }, 250);
    });
    form.addEventListener('submit', (e) => e.preventDefault());
    form.segment.value = state.dash.segment;
    form.sort.value = state.dash.sort;
    // A segment's escalation count opens the list filtered to it.
    document.querySelector('#segments tbody').addEventListener('click', (e) => {
      const a = e.target.closest('a.segment-escalations');
      if (!a) return;
      e.preventDefault();
      Object.assign(state.dash, { page: 0, segment: a.dataset.segment });
      form.segment.value = a.dataset.segment;
      showEscalations().then(() => document.getElementById('esc-title').scrollIntoView());
    });
  }
  patch(document.getElementById('open-escalations'), String(d.openEscalations));
  patch(document.getElementById('by-age'), d.byAge.map((b) => `${b.count} ${esc(b.label)}`).join(' · '));
  patch(document.getElementById('arr-at-risk'), esc(money(d.arrAtRisk)));
  patch(document.getElementById('this-week'), `<h2>This week</h2>
    <div>${now.escalations} escalated <span class="muted">(${delta(now.escalations, before.escalations)})</span></div>
    <div>${now.ctasOpened} CTAs opened <span class="muted">(${delta(now.ctasOpened, before.ctasOpened)})</span></div>
    <div>${now.ctasClosed} CTAs closed <span class="muted">(${delta(now.ctasClosed, before.ctasClosed)})</span></div>
    ${worst && worst.openEscalations > 0 ? `<div class="muted">Most escalations: ${esc(worst.segment)} (${worst.openEscalations})</div>` : ''}`);
  keyed(document.querySelector('#segments tbody'), d.segments, (s) => s.segment, segmentRow);
  trend(weeks);
  drawEscalations(page);
  performance.measure('dashboard-work', { start: started, end: performance.now() });
  if (performance.getEntriesByName('dashboard-ready').length === 0) performance.mark('dashboard-ready');
}

/** Sets an element's content only when it differs from what was set last (reading the DOM would cost more). */
function patch(element, html) {
  if (!element || state.patched.get(element) === html) return;
  element.innerHTML = html;
  state.patched.set(element, html);
}

/**
 * Makes a list's rows those of {@code items}, in order: a row whose item did not change is kept as it
 * is (moved if its place changed), a changed one is drawn again, a gone one removed.
 */
function keyed(parent, items, id, row, isNew = () => false) {
  const existing = new Map();
  [...parent.children].forEach((child) => { if (child.dataset.key !== undefined) existing.set(child.dataset.id, child); else child.remove(); });
  let previous = null;
  items.forEach((item) => {
    const key = JSON.stringify(item);
    let element = existing.get(String(id(item)));
    existing.delete(String(id(item)));
    if (!element || element.dataset.key !== key) {
      const template = document.createElement('template');
      template.innerHTML = row(item).trim();
      const fresh = template.content.firstElementChild;
      fresh.dataset.key = key;
      fresh.dataset.id = String(id(item));
      if (!element && isNew(item)) fresh.classList.add('new');
      if (element) element.replaceWith(fresh);
      element = fresh;
    }
    const wanted = previous ? previous.nextElementSibling : parent.firstElementChild;
    if (wanted !== element) parent.insertBefore(element, wanted);
    previous = element;
  });
  existing.forEach((element) => element.remove());
}

function segmentRow(s) {
  return `<tr data-segment="${esc(s.segment)}"><th scope="row">${esc(s.segment)}</th><td class="num">${s.accounts}</td>
    <td>${['RED', 'YELLOW', 'GREEN', 'UNKNOWN'].map((c) => `<span class="pill ${c}" title="${c === 'UNKNOWN' ? 'no scorecard yet' : c.toLowerCase()}">${c.toLowerCase()} ${s.health[c] || 0}</span>`).join(' ')}</td>
    <td class="num">${s.openCtas}</td><td class="num">${s.openEscalations > 0 ? `<a href="#" class="segment-escalations" data-segment="${esc(s.segment)}">${s.openEscalations}</a>` : 0}</td>
    <td class="num">${money(s.arrAtRisk)}</td></tr>`;
}

async function fetchEscalations() {
  const response = await fetch(`${ENGINE}/api/v1/dashboard/escalations?${escalationQuery()}`, { credentials: 'same-origin',
    headers: { Accept: 'application/json', 'X-Requested-With': 'JavaScript' } });
  if (response.status === 499 || response.status === 401) { signInAgain(); throw new HttpError(response.status); }
  const items = await response.json();
  if (!response.ok) throw new HttpError(response.status, items);
  return { items, total: Number(response.headers.get('X-Total-Count') || items.length) };
}

async function showEscalations() {
  drawEscalations(await fetchEscalations());
}

function drawEscalations(page) {
  const box = document.getElementById('escalation-page');
  if (!box) return;
  if (!document.getElementById('escalations')) {
    box.innerHTML = `<table id="escalations"><caption></caption>
      <thead><tr><th scope="col">Account</th><th scope="col">Segment</th><th scope="col" class="num">ARR at risk</th><th scope="col">CSM</th>
      <th scope="col">Reason</th><th scope="col">Age</th><th scope="col">Why</th></tr></thead><tbody></tbody></table>
      <p class="pager"><button type="button" class="secondary" id="page-prev">Previous page</button>
        <button type="button" class="secondary" id="page-next">Next page</button></p>`;
    document.getElementById('page-prev').addEventListener('click', () => { state.dash.page -= 1; showEscalations(); });
    document.getElementById('page-next').addEventListener('click', () => { state.dash.page += 1; showEscalations(); });
  }
  const from = state.dash.page * DASH_PAGE;
  document.getElementById('export-csv').href = `${ENGINE}/api/v1/dashboard/escalations?${escalationQuery({ format: 'csv', page: '', size: '' })}`;
  document.querySelector('#escalations caption').textContent = page.total === 0 ? 'None match.'
    : `${from + 1}–${from + page.items.length} of ${page.total.toLocaleString('en-US')}`;
  const tbody = document.querySelector('#escalations tbody');
  const known = state.known;
  keyed(tbody, page.items, (e) => e.ctaId, escalationRow, (e) => known.size > 0 && !known.has(e.ctaId));
  if (page.items.length === 0) tbody.innerHTML = '<tr><td colspan="7" class="muted">No open escalations.</td></tr>';
  document.getElementById('page-prev').disabled = state.dash.page === 0;
  document.getElementById('page-next').disabled = from + page.items.length >= page.total;
  state.known = new Set(page.items.map((e) => e.ctaId));
}

function escalationRow(e) {
  return `<tr data-cta-id="${esc(e.ctaId)}" data-account-id="${esc(e.accountId)}">
    <td><strong>${accountLink(e.accountId, e.accountName)}</strong><br><span class="muted">${esc(e.accountId)}</span>
      ${e.healthColor ? `<span class="pill ${esc(e.healthColor)}">${esc(e.healthColor.toLowerCase())}</span>` : ''}</td>
    <td>${esc(e.segment)}</td><td class="num">${money(e.arr)}</td><td>${esc(e.csmId)}<br><span class="muted">${esc(e.csmTeam)}</span></td>
    <td><span class="pill ${esc(e.priority)}">${esc(e.priority)}</span> ${esc(e.reason)}</td><td>${age(e.ageHours)}</td>
    <td class="why">${explain(e.explanation)}<br>rule ${esc(e.rule)} · v${e.rulesetVersion}</td></tr>`;
}

function explain(explanation) {
  return Object.entries(explanation || {}).map(([k, v]) => `${esc(k)}: ${esc(Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : v)}`).join(' · ');
}

/**
 * CTAs opened, closed and escalated per week (Monday to Sunday, UTC, by the time of the events that
 * caused them), drawn by ECharts once its webjar has loaded (after the first screen); the same figures
 * as a table for screen readers. Drawn again only when the figures changed, so a live update that
 * changes nothing here costs nothing; a redraw is measured as "dashboard-chart".
 */
function trend(weeks) {
  const key = JSON.stringify(weeks);
  if (state.trendKey === key) return;
  state.trendKey = key;
  const series = [['ctasOpened', 'CTAs opened', '#0b5cad'], ['ctasClosed', 'CTAs closed', '#6aa84f'], ['escalations', 'Escalations', '#b3261e']];
  document.getElementById('trend-table').innerHTML = `<table id="weekly-trend"><thead><tr><th scope="col">Week of</th>${series.map(([, l]) => `<th scope="col" class="num">${l}</th>`).join('')}</tr></thead>
    <tbody>${weeks.map((w) => `<tr><th scope="row">${esc(w.weekOf)}</th>${series.map(([k]) => `<td class="num">${w[k]}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  library('echarts').then(() => {
    const element = document.getElementById('trend-chart');
    if (!element || typeof echarts === 'undefined' || state.trendKey !== key) return;
    const started = performance.now();
    const chart = echarts.getInstanceByDom(element) || echarts.init(element);
    chart.setOption({
      animation: false, grid: { left: 40, right: 12, top: 32, bottom: 28 }, tooltip: { trigger: 'axis' },
      legend: { top: 0, data: series.map(([, l]) => l) },
      xAxis: { type: 'category', data: weeks.map((w) => `week of ${w.weekOf.slice(5)}`) }, yAxis: { type: 'value', minInterval: 1 },
      series: series.map(([k, label, colour]) => ({ name: label, type: 'bar', data: weeks.map((w) => w[k]), itemStyle: { color: colour } })),
    });
    element.dataset.drawn = 'yes';
    performance.measure('dashboard-chart', { start: started, end: performance.now() });
  });
}

// ---- CSM cockpit --------------------------------------------------------------------------------

const PRIORITY = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

async function cockpit(team) {
  const mode = team ? `team:${team}` : 'mine';
  if (!document.getElementById('cockpit') || document.getElementById('cockpit').dataset.mode !== mode) {
    state.scope = team;
    main().innerHTML = `<section id="cockpit" data-mode="${esc(mode)}" aria-labelledby="cockpit-title">
      <h1 id="cockpit-title">${team ? `Team ${esc(team)}` : 'My CTAs'} <span id="live" class="status muted"></span></h1>
      <details id="raise" class="card"><summary>Raise a CTA</summary>
        <form id="raise-form" class="filters">
          <label>Account <select name="accountId" required></select></label>
          <label>Type <select name="type">${['RISK', 'EXPANSION', 'LIFECYCLE', 'ACTIVITY', 'OBJECTIVE'].map((t) => `<option>${t}</option>`).join('')}</select></label>
          <label>Reason <input name="reason" required maxlength="100" placeholder="e.g. champion left"></label>
          <label>Priority <select name="priority"><option>HIGH</option><option selected>MEDIUM</option><option>LOW</option><option>CRITICAL</option></select></label>
          <label>Due <input type="date" name="due" required></label>
          <label class="wide">Note <textarea name="note" rows="2" maxlength="4000" placeholder="optional"></textarea></label>
          <button type="submit">Raise CTA</button></form></details>
      <form id="cta-filter" class="filters" role="search" aria-label="Find CTAs">
        <label>Find <input type="search" name="q" placeholder="account, reason or ticket"></label>
        <label>Priority <select name="priority"><option value="">any</option><option>CRITICAL</option><option>HIGH</option><option>MEDIUM</option><option>LOW</option></select></label>
        <label>Type <select name="type"><option value="">any</option>${['RISK', 'EXPANSION', 'LIFECYCLE', 'ACTIVITY', 'OBJECTIVE'].map((t) => `<option>${t}</option>`).join('')}</select></label>
        <label>Due <select name="due"><option value="">any time</option><option value="overdue">overdue</option><option value="week">within 7 days</option></select></label>
        <label>Segment <select name="segment"><option value="">any</option>${SEGMENTS.map((x) => `<option>${x}</option>`).join('')}</select></label>
        <label>Sort by <select name="sort"><option value="priority">priority, then due date</option><option value="due">due date</option><option value="arr">ARR, largest first</option><option value="renewal">renewal, soonest first</option></select></label>
      </form>
      <form id="bulk" class="filters bulk" aria-label="Act on the selected CTAs">
        <span id="bulk-count" class="muted">Select CTAs to act on several at once.</span>
        <label>Snooze until <input type="date" name="until"></label><button type="submit" name="action" value="SNOOZE" class="secondary">Snooze selected</button>
        <label>Close as <select name="reason"><option value="DONE">done</option><option value="NOT_RELEVANT">not relevant</option></select></label>
        <button type="submit" name="action" value="CLOSE" class="secondary">Close selected</button>
      </form>
      <div id="cockpit-body"><p class="muted">Loading…</p></div>
      <section id="inbox" class="card" style="margin-top:16px" aria-labelledby="inbox-title" hidden>
        <h2 id="inbox-title">Inbox <span id="unread" class="pill LOW">0 unread</span></h2><ul id="inbox-items"></ul></section></section>`;
    state.selected = new Set();
    state.openWork = new Set();
    const filter = document.getElementById('cta-filter');
    filter.addEventListener('input', () => renderCockpit());
    filter.addEventListener('submit', (e) => e.preventDefault());
    const week = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
    const raise = document.getElementById('raise-form');
    raise.due.value = week;
    raise.addEventListener('submit', (e) => act(e, raise, () => engine('/api/v1/ctas', { method: 'POST', what: 'raising a CTA',
      body: JSON.stringify({ accountId: raise.accountId.value, type: raise.type.value, reason: raise.reason.value.trim(),
        priority: raise.priority.value, dueAt: `${raise.due.value}T17:00:00Z`, ...(raise.note.value.trim() ? { note: raise.note.value.trim() } : {}) }) })
      .then(() => { raise.reset(); raise.due.value = week; document.getElementById('raise').open = false; })));
    const bulk = document.getElementById('bulk');
    bulk.until.value = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
    bulk.addEventListener('submit', (e) => {
      const action = e.submitter ? e.submitter.value : 'SNOOZE';
      act(e, bulk, async () => {
        if (state.selected.size === 0) throw new Error('Select at least one CTA first.');
        const outcomes = await engine('/api/v1/ctas/bulk', { method: 'POST', what: 'the bulk action', body: JSON.stringify({ ids: [...state.selected], action,
          ...(action === 'SNOOZE' ? { until: `${bulk.until.value}T08:00:00Z` } : { reason: bulk.reason.value }) }) });
        state.selected.clear();
        const refused = outcomes.filter((o) => o.status !== 200);
        if (refused.length > 0) throw new Error(`${outcomes.length - refused.length} done; ${refused.length} refused: ${refused.map((o) => o.detail).join('; ')}`);
      });
    });
  }
  if (!state.live) {
    startLive(() => renderCockpit());
    if (!team) startInbox();
  }
  await renderCockpit();
}

// The CSM's notifications come from notification-service, through the console.
function startInbox() {
  const base = INBOX;
  document.getElementById('inbox').hidden = false;
  const call = (path, options = {}) => api(base + path, options).catch(() => null);
  const render = async () => {
    const [items, unread] = await Promise.all([call('/api/v1/inbox?limit=20'), call('/api/v1/inbox/unread-count')]);
    const list = document.getElementById('inbox-items');
    if (!list || !items) return;
    document.getElementById('unread').textContent = `${unread ? unread.unread : 0} unread`;
    list.innerHTML = items.length === 0 ? '<li class="muted">No notifications yet.</li>' : items.map((i) => `
      <li data-inbox-id="${i.id}" class="${i.read ? 'muted' : ''}">${i.read ? '' : '<strong>new</strong> '}<a href="#/accounts/${encodeURIComponent(i.accountId)}">${esc(i.title)}</a>
        <span class="why">${esc(String(i.createdAt).slice(0, 16).replace('T', ' '))}</span>
        ${i.read ? '' : `<button class="secondary mark-read" data-id="${i.id}">Mark read</button>`}</li>`).join('');
    list.querySelectorAll('button.mark-read').forEach((b) => b.addEventListener('click', async () => {
      await call(`/api/v1/inbox/${b.dataset.id}/read`, { method: 'POST' });
      await render();
    }));
  };
  const stream = new EventSource(`${base}/api/v1/inbox/stream`);
  stream.onmessage = () => render();
  state.inbox = stream;
  render();
}

const DUE_FILTERS = {
  overdue: (c) => c.dueAt && Date.parse(c.dueAt) < Date.now(),
  week: (c) => c.dueAt && Date.parse(c.dueAt) < Date.now() + 7 * 86400000,
};

async function renderCockpit() {
  const team = state.scope;
  const everything = await engine(team ? `/api/v1/ctas?team=${encodeURIComponent(team)}` : '/api/v1/ctas');
  const tomorrow = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  const accounts = await accountsById(everything.map((c) => c.accountId));
  const raise = document.getElementById('raise-form');
  if (raise && raise.accountId.options.length === 0) {
    raise.accountId.innerHTML = [...accounts.values()].filter((a) => a).sort((a, b) => String(a.name).localeCompare(String(b.name)))
      .map((a) => `<option value="${esc(a.id)}">${esc(a.name)}</option>`).join('');
  }
  // Search, filter and sort, as the form above the list says.
  const f = document.getElementById('cta-filter');
  const q = f ? f.q.value.trim().toLowerCase() : '';
  const account = (c) => accounts.get(c.accountId) || {};
  const all = everything.filter((c) => (!q || [c.accountId, account(c).name, c.reason, JSON.stringify(c.explanation || {})]
    .some((v) => String(v || '').toLowerCase().includes(q)))
    && (!f || !f.priority.value || c.priority === f.priority.value)
    && (!f || !f.type.value || c.type === f.type.value)
    && (!f || !f.due.value || DUE_FILTERS[f.due.value](c))
    && (!f || !f.segment.value || account(c).segment === f.segment.value));
  const sorts = {
    priority: (a, b) => (PRIORITY[a.priority] - PRIORITY[b.priority]) || String(a.dueAt).localeCompare(String(b.dueAt)),
    due: (a, b) => String(a.dueAt).localeCompare(String(b.dueAt)),
    arr: (a, b) => Number(account(b).arr || 0) - Number(account(a).arr || 0),
    renewal: (a, b) => String(account(a).renewalDate || '9999').localeCompare(String(account(b).renewalDate || '9999')),
  };
  const open = all.filter((c) => c.status !== 'CLOSED' && c.status !== 'SNOOZED').sort(sorts[f ? f.sort.value : 'priority'] || sorts.priority);
  const parked = all.filter((c) => c.status === 'SNOOZED' || c.status === 'CLOSED');
  const body = document.getElementById('cockpit-body');
  if (!body) return;
  // A live refresh keeps what the person was doing: open work panels and the notes they were typing.
  body.querySelectorAll('textarea[name=body]').forEach((t) => { state.drafts = state.drafts || {}; state.drafts[t.dataset.id] = t.value; });
  const facts = (id) => {
    const a = accounts.get(id);
    if (!a) return `${accountLink(id)}`;
    return `${accountLink(id, a.name)}${a.health ? ` <span class="pill ${esc(a.health.color)}" title="health ${a.health.score}">${esc(a.health.color.toLowerCase())}</span>` : ''}
      <br><span class="muted">${money(a.arr)} ARR · renews ${esc(a.renewalDate || '–')}</span>`;
  };
  const visible = new Set(open.map((c) => c.id));
  [...state.selected].filter((id) => !visible.has(id)).forEach((id) => state.selected.delete(id));
  body.innerHTML = `<table id="my-ctas" class="stack"><caption>${open.length} open${all.length < everything.length ? ` (filtered from ${everything.filter((c) => c.status !== 'CLOSED' && c.status !== 'SNOOZED').length})` : ''}</caption>
    <thead><tr><th scope="col"><input type="checkbox" id="select-all" aria-label="Select all open CTAs"></th><th scope="col">Account</th><th scope="col">CTA</th><th scope="col">Due</th><th scope="col">Why</th><th scope="col">Act</th></tr></thead>
    <tbody>${open.length === 0 ? '<tr><td colspan="6" class="muted">Nothing open. Well done.</td></tr>' : open.map((c) => `
      <tr data-cta-id="${esc(c.id)}" data-account-id="${esc(c.accountId)}">
      <td><input type="checkbox" class="pick" data-id="${esc(c.id)}" aria-label="Select ${esc(account(c).name || c.accountId)} ${esc(c.reason)}" ${state.selected.has(c.id) ? 'checked' : ''}></td>
      <td>${facts(c.accountId)}${team ? `<br><span class="muted">owner ${esc(c.ownerCsmId)}</span>` : ''}</td>
      <td><span class="pill ${esc(c.priority)}">${esc(c.priority)}</span> ${esc(c.reason)}${c.escalated ? ' <strong>escalated</strong>' : ''}${c.origin === 'MANUAL' ? ' <span class="muted">(manual)</span>' : ''}
        ${c.tasks > 0 ? `<br><progress max="${c.tasks}" value="${c.tasksDone}" aria-label="Playbook progress"></progress> <span class="progress-text">${c.tasksDone}/${c.tasks} tasks</span>` : ''}</td>
      <td>${esc(String(c.dueAt).slice(0, 10))}</td><td class="why">${explain(c.explanation)}</td>
      <td><form class="snooze" data-id="${esc(c.id)}"><label>Snooze until <input type="date" name="until" value="${tomorrow}" required></label>
        <button type="submit">Snooze</button></form>
        <form class="close" data-id="${esc(c.id)}"><label>Close as <select name="reason"><option value="DONE">done</option><option value="NOT_RELEVANT">not relevant</option></select></label>
        <label>Comment <input name="comment" maxlength="1000" placeholder="optional"></label>
        <button type="submit" class="secondary">Close</button></form>
        <details class="work" data-id="${esc(c.id)}" ${state.openWork.has(c.id) ? 'open' : ''}><summary>Tasks, notes, reassign</summary><div class="work-body muted">Loading…</div></details></td></tr>`).join('')}</tbody></table>
    <table id="parked" class="stack" style="margin-top:16px"><caption>Snoozed and closed</caption>
    <thead><tr><th scope="col">Account</th><th scope="col">CTA</th><th scope="col">Status</th><th scope="col">Act</th></tr></thead>
    <tbody>${parked.map((c) => `<tr data-cta-id="${esc(c.id)}"><td>${facts(c.accountId)}</td><td>${esc(c.reason)}</td>
      <td>${esc(c.status)}${c.snoozedUntil ? ` until ${esc(String(c.snoozedUntil).slice(0, 10))}` : ''}${c.closeReason ? ` (${esc(c.closeReason)})` : ''}</td>
      <td>${c.status === 'SNOOZED' ? `<button class="secondary unsnooze" data-id="${esc(c.id)}">Wake now</button>`
        : `<button class="secondary reopen" data-id="${esc(c.id)}">Reopen</button>`}</td></tr>`).join('')}</tbody></table>`;
  const count = () => { document.getElementById('bulk-count').textContent = state.selected.size === 0 ? 'Select CTAs to act on several at once.' : `${state.selected.size} selected`; };
  count();
  body.querySelectorAll('input.pick').forEach((box) => box.addEventListener('change', () => {
    if (box.checked) state.selected.add(box.dataset.id); else state.selected.delete(box.dataset.id);
    count();
  }));
  document.getElementById('select-all').addEventListener('change', (e) => {
    body.querySelectorAll('input.pick').forEach((box) => { box.checked = e.target.checked; if (box.checked) state.selected.add(box.dataset.id); else state.selected.delete(box.dataset.id); });
    count();
  });
  body.querySelectorAll('form.snooze').forEach((f) => f.addEventListener('submit', (e) => act(e, f,
    () => engine(`/api/v1/ctas/${f.dataset.id}/snooze`, { method: 'POST', what: 'snoozing a CTA', body: JSON.stringify({ until: `${f.until.value}T08:00:00Z` }) }))));
  body.querySelectorAll('form.close').forEach((f) => f.addEventListener('submit', (e) => act(e, f,
    () => engine(`/api/v1/ctas/${f.dataset.id}/close`, { method: 'POST', what: 'closing a CTA',
      body: JSON.stringify({ reason: f.reason.value, ...(f.comment.value.trim() ? { comment: f.comment.value.trim() } : {}) }) }))));
  body.querySelectorAll('button.unsnooze').forEach((b) => b.addEventListener('click', (e) => act(e, b,
    () => engine(`/api/v1/ctas/${b.dataset.id}/unsnooze`, { method: 'POST', body: '{}' }))));
  body.querySelectorAll('button.reopen').forEach((b) => b.addEventListener('click', (e) => act(e, b,
    () => engine(`/api/v1/ctas/${b.dataset.id}/reopen`, { method: 'POST', body: '{}' }))));
  body.querySelectorAll('details.work').forEach((d) => {
    d.addEventListener('toggle', () => { if (d.open) { state.openWork.add(d.dataset.id); showWork(d); } else state.openWork.delete(d.dataset.id); });
    if (d.open) showWork(d);
  });
}

/** One CTA's playbook tasks, notes and reassignment, inside its row. */
async function showWork(details) {
  const id = details.dataset.id;
  const [work, assignees] = await Promise.all([engine(`/api/v1/ctas/${id}/work`), state.assignees || engine('/api/v1/ctas/assignees')]);
  state.assignees = assignees;
  const me = state.work.csmId;
  const box = details.querySelector('.work-body');
  const when = (t) => esc(String(t).slice(0, 16).replace('T', ' '));
  box.classList.remove('muted');
  box.innerHTML = `${work.tasks.length === 0 ? '<p class="muted">No playbook for this CTA.</p>' : `
    <fieldset class="tasks"><legend>Playbook ${esc(work.playbook)} v${work.playbookVersion}</legend>
      ${work.tasks.map((t) => `<label class="task"><input type="checkbox" data-position="${t.position}" ${t.doneAt ? 'checked' : ''}>
        ${esc(t.title)} <span class="muted">due ${esc(String(t.dueAt).slice(0, 10))}${t.doneAt ? ` · done by ${esc(t.doneBy)}` : ''}</span></label>`).join('')}</fieldset>`}
    <ul class="notes">${work.notes.map((n) => `<li><strong>${esc(n.author)}</strong> <span class="muted">${when(n.createdAt)}</span><br>${esc(n.body)}</li>`).join('')}
      ${work.assignments.map((a) => `<li class="muted">${esc(a.actor)} gave it from ${esc(a.from || 'nobody')} to ${esc(a.to)} ${when(a.at)}${a.comment ? `: ${esc(a.comment)}` : ''}</li>`).join('')}</ul>
    <form class="note"><label>Note <textarea name="body" data-id="${esc(id)}" rows="2" maxlength="4000" required></textarea></label> <button type="submit" class="secondary">Add note</button></form>
    <form class="reassign"><label>Give to <select name="to">${assignees.filter((c) => c.id !== me).map((c) => `<option value="${esc(c.id)}">${esc(c.name || c.id)} (${esc(c.team || '')})</option>`).join('')}</select></label>
      <label>Why <input name="comment" maxlength="1000" placeholder="optional"></label> <button type="submit" class="secondary">Reassign</button></form>`;
  const note = box.querySelector('form.note');
  if (state.drafts && state.drafts[id]) note.body.value = state.drafts[id];
  note.body.addEventListener('input', () => { state.drafts = state.drafts || {}; state.drafts[id] = note.body.value; });
  note.addEventListener('submit', (e) => act(e, note, async () => {
    await engine(`/api/v1/ctas/${id}/notes`, { method: 'POST', what: 'adding a note', body: JSON.stringify({ body: note.body.value.trim() }) });
    delete state.drafts[id];
  }));
  const reassign = box.querySelector('form.reassign');
  reassign.addEventListener('submit', (e) => act(e, reassign, () => engine(`/api/v1/ctas/${id}/reassign`, { method: 'POST', what: 'reassigning a CTA',
    body: JSON.stringify({ to: reassign.to.value, ...(reassign.comment.value.trim() ? { comment: reassign.comment.value.trim() } : {}) }) })));
  box.querySelectorAll('fieldset.tasks input[type=checkbox]').forEach((c) => c.addEventListener('change', (e) => act(e, c.parentElement,
    () => engine(`/api/v1/ctas/${id}/tasks/${c.dataset.position}`, { method: 'POST', what: 'ticking a task', body: JSON.stringify({ done: c.checked }) }))));
}

async function act(event, element, call) {
  if (event.type === 'submit') event.preventDefault();
  try {
    await call();
    await renderCockpit();
  } catch (e) {
    if (e.status === 401 || e.status === 499) return; // signing in again; the change is finished afterwards
    // One message per control: a second failure replaces the first instead of piling up.
    const target = element.tagName === 'BUTTON' ? element.parentElement : element;
    target.querySelectorAll('.error').forEach((old) => old.remove());
    target.insertAdjacentHTML('beforeend', `<span class="error" role="alert"> ${esc(e.message)}</span>`);
  }
}

// ---- rules console -----------------------------------------------------------------------------

const SEGMENTS = ['MERCURY', 'MARS', 'VENUS', 'JUPITER'];

async function rules() {
  const name = 'default';
  const [rulesets, versions, audit, failures] = await Promise.all([engine('/api/v1/rulesets'), engine(`/api/v1/rulesets/${name}/versions`),
    engine(`/api/v1/rulesets/${name}/audit`), engine('/api/v1/rule-failures').catch(() => [])]);
  const summary = rulesets.find((r) => r.name === name) || {};
  const [active] = await Promise.all([engine(`/api/v1/rulesets/${name}/versions/${summary.activeVersion}`), library('codemirror')]);
  main().innerHTML = `<section aria-labelledby="rules-title"><h1 id="rules-title">Rules: ${esc(name)}</h1>
    <p class="muted">Active version <strong id="active-version">v${summary.activeVersion}</strong>; this instance serves v${summary.servingVersion}.</p>
    <div class="grid two">
      <div class="card"><h2>Versions</h2><table id="versions"><thead><tr><th scope="col">Version</th><th scope="col">Status</th>
        <th scope="col">By</th><th scope="col">Comment</th><th scope="col">Act</th></tr></thead>
        <tbody>${versions.map((v) => `<tr data-version="${v.version}"><th scope="row">v${v.version}</th><td>${esc(v.status)}</td><td>${esc(v.author)}</td>
          <td>${esc(v.comment)}</td><td>${v.version > 1 ? `<button class="secondary diff" data-version="${v.version}">Diff</button> ` : ''}
          ${v.status === 'RETIRED' ? `<button class="secondary rollback" data-version="${v.version}">Roll back to</button>` : ''}
          ${v.status === 'DRAFT' ? `<button class="secondary open-draft" data-version="${v.version}">Open</button>
            <button class="secondary discard" data-version="${v.version}">Discard</button>` : ''}</td></tr>`).join('')}</tbody></table>
        <form id="compare" class="filters" aria-label="Compare two versions">
          <label>Compare <select name="from">${versions.map((v) => `<option value="${v.version}" ${v.version === summary.activeVersion ? 'selected' : ''}>v${v.version}</option>`).join('')}</select></label>
          <label>with <select name="to">${versions.map((v, i) => `<option value="${v.version}" ${i === 0 ? 'selected' : ''}>v${v.version}</option>`).join('')}</select></label>
          <button type="submit" class="secondary">Compare</button></form>
        <pre id="diff" class="why" aria-live="polite"></pre></div>
      <div class="card"><h2>Audit</h2><table id="audit"><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Why</th></tr></thead>
        <tbody>${audit.slice(0, 12).map((a) => `<tr><td>${esc(String(a.at).slice(0, 16).replace('T', ' '))}</td><td>v${a.version} ${esc(a.action)}</td>
          <td>${esc(a.actor)}</td><td>${esc(a.comment)}</td></tr>`).join('')}</tbody></table></div>
    </div>
    <form id="draft-form" class="card" aria-labelledby="draft-title"><h2 id="draft-title">New draft, based on v${summary.activeVersion}</h2>
      <table id="params"><caption>Parameters per segment</caption><thead><tr><th scope="col">Parameter</th>
        ${SEGMENTS.map((s) => `<th scope="col">${s}</th>`).join('')}</tr></thead>
        <tbody>${Object.entries(active.params).map(([p, bySegment]) => `<tr><th scope="row">${esc(p)}</th>${SEGMENTS.map((s) => `
          <td><input name="param" aria-label="${esc(p)} for ${s}" data-param="${esc(p)}" data-segment="${s}" value="${esc(bySegment[s])}" size="5"></td>`).join('')}</tr>`).join('')}</tbody></table>
      <details><summary>DRL files</summary>${Object.entries(active.files).map(([file, text]) => `
        <label for="file-${esc(file)}"><strong>${esc(file)}</strong></label>
        <textarea id="file-${esc(file)}" data-file="${esc(file)}" rows="14" style="width:100%;font-family:monospace">${esc(text)}</textarea>`).join('')}</details>
      <details id="scenario-editor"><summary>Scenarios (${Object.keys(active.scenarios || {}).length})</summary>
        <p class="muted">A scenario is an account, its ticket numbers and the CTAs expected; every draft runs them all.</p>
        ${Object.entries(active.scenarios || {}).map(([file, text]) => `
        <label for="scenario-${esc(file)}"><strong>${esc(file)}</strong></label>
        <textarea id="scenario-${esc(file)}" data-scenario="${esc(file)}" rows="7" style="width:100%;font-family:monospace">${esc(text)}</textarea>`).join('')}
        <fieldset><legend>A new scenario</legend>
          <label>File <input id="new-scenario-name" placeholder="mars-three-tickets.json" size="40"></label>
          <textarea id="new-scenario" rows="7" style="width:100%;font-family:monospace" aria-label="The new scenario's JSON" placeholder='{"description": "...", "account": {"segment": "MARS"}, "stats": {"openTickets": 3}, "expect": []}'></textarea>
        </fieldset></details>
      <p><label>Why <input id="draft-comment" size="60" required value=""></label> <button type="submit" id="save-draft">Validate and save draft</button></p>
    </form>
    <div id="draft-result" aria-live="polite"></div>
    <section class="card" id="quality" aria-labelledby="quality-title" style="margin-top:16px"><h2 id="quality-title">Rule quality</h2>
      <form id="quality-form" class="filters" aria-label="Which figures">
        <label>Rule <select name="reason"><option value="support-risk">support-risk</option></select></label>
        <label>by <select name="groupBy"><option value="segment">segment</option><option value="team">team</option><option value="csm">CSM</option></select></label>
        <label>over the last <input name="days" type="number" min="1" max="365" value="30" size="4"> days</label>
        <label>missed when no RISK CTA within <input name="missedWithinDays" type="number" min="1" max="90" value="14" size="3"> days before</label>
        <button type="submit" class="secondary">Show</button></form>
      <div id="quality-body" aria-live="polite"><p class="muted">Loading…</p></div></section>
    <section class="card" id="sweep" aria-labelledby="sweep-title" style="margin-top:16px"><h2 id="sweep-title">Threshold sweep</h2>
      <p class="muted">One pass over the recorded ticket events, one parameter at several values: the CTAs each value would give every CSM a week,
        against the missed situations it would have warned about.</p>
      <form id="sweep-form" class="filters" aria-label="What to sweep">
        <label>Parameter <select name="param">${Object.keys(active.params).map((p) => `<option ${p === 'supportRisk.openTickets' ? 'selected' : ''}>${esc(p)}</option>`).join('')}</select></label>
        <label>for <select name="segment">${SEGMENTS.map((x) => `<option ${x === 'MARS' ? 'selected' : ''}>${x}</option>`).join('')}<option value="ALL">all segments</option></select></label>
        <label>from <input name="min" type="number" min="0" value="2" size="3"></label> <label>to <input name="max" type="number" min="0" value="8" size="3"></label>
        <label>over the last <input name="days" type="number" min="1" max="365" value="30" size="4"> days</label>
        <button type="submit" id="start-sweep">Sweep v${summary.activeVersion}</button></form>
      <div id="sweep-progress" aria-live="polite"></div><div id="sweep-result"></div></section>
    <section class="card" aria-labelledby="failures-title" style="margin-top:16px"><h2 id="failures-title">Rule failures</h2>
      ${failures.length === 0 ? '<p class="muted">No evaluation has failed.</p>' : `<table id="rule-failures"><thead><tr><th scope="col">When</th><th scope="col">Version</th><th scope="col">Rule</th><th scope="col">Account</th><th scope="col">What happened</th></tr></thead>
        <tbody>${failures.slice(0, 20).map((f) => `<tr><td>${esc(String(f.occurredAt).slice(0, 16).replace("T", " "))}</td><td>${esc(f.ruleset)} v${esc(f.rulesetVersion)}</td>
          <td>${esc(f.rule || '–')}</td><td>${!f.accountId ? '–' : has('csm', 'exec', 'admin') ? accountLink(f.accountId) : esc(f.accountId)}</td><td class="why">${esc(f.message)}</td></tr>`).join('')}</tbody></table>`}
    </section></section>`;
  document.getElementById('draft-form').addEventListener('submit', (e) => saveDraft(e, name, active));
  const qualityForm = document.getElementById('quality-form');
  qualityForm.addEventListener('submit', (e) => { e.preventDefault(); quality(name, qualityForm); });
  quality(name, qualityForm);
  const sweepForm = document.getElementById('sweep-form');
  sweepForm.addEventListener('submit', (e) => { e.preventDefault(); sweep(name, active, sweepForm); });
  const showDiff = async (to, against) => {
    const d = await engine(`/api/v1/rulesets/${name}/versions/${to}/diff${against ? `?against=${against}` : ''}`);
    document.getElementById('diff').textContent = diffText(d);
  };
  main().querySelectorAll('button.diff').forEach((b) => b.addEventListener('click', () => showDiff(b.dataset.version)));
  const compare = document.getElementById('compare');
  compare.addEventListener('submit', (e) => { e.preventDefault(); showDiff(compare.to.value, compare.from.value); });
  main().querySelectorAll('button.discard').forEach((b) => b.addEventListener('click', async () => {
    const comment = prompt(`Discard draft v${b.dataset.version}? It stays in the history and can never be activated. Why?`);
    if (comment === null) return;
    await engine(`/api/v1/rulesets/${name}/versions/${b.dataset.version}?comment=${encodeURIComponent(comment)}`, { method: 'DELETE', what: 'discarding a draft' });
    await rules();
  }));
  main().querySelectorAll('button.rollback').forEach((b) => b.addEventListener('click', async () => {
    const comment = prompt(`Why roll back to v${b.dataset.version}?`);
    if (comment === null) return;
    await engine(`/api/v1/rulesets/${name}/rollback`, { method: 'POST', body: JSON.stringify({ version: Number(b.dataset.version), comment }) });
    await rules();
  }));
  main().querySelectorAll('button.open-draft').forEach((b) => b.addEventListener('click', async () => {
    // The draft's own files and report, not the active version's.
    const [detail, report] = await Promise.all([engine(`/api/v1/rulesets/${name}/versions/${b.dataset.version}`),
      refusedAsReport(engine(`/api/v1/rulesets/${name}/versions/${b.dataset.version}/validate`, { method: 'POST', body: '{}' }), (p) => p.report)]);
    showDraft(name, Number(b.dataset.version), report, detail.files, summary.activeVersion);
  }));
  restoreUnsaved(name, summary.activeVersion);
  document.getElementById('draft-form').addEventListener('input', () => keepUnsaved(name, summary.activeVersion));
  drlEditors(() => keepUnsaved(name, summary.activeVersion));
}

async function saveDraft(event, name, active) {
  event.preventDefault();
  const params = {};
  main().querySelectorAll('input[name=param]').forEach((input) => {
    if (String(active.params[input.dataset.param]?.[input.dataset.segment]) !== input.value) {
      (params[input.dataset.param] ||= {})[input.dataset.segment] = /^-?\d+$/.test(input.value) ? Number(input.value) : input.value;
    }
  });
  const files = {};
  main().querySelectorAll('textarea[data-file]').forEach((t) => { if (t.value !== active.files[t.dataset.file]) files[t.dataset.file] = t.value; });
  // Only what changed is sent; the engine carries every other file and scenario of the base over.
  const scenarios = {};
  main().querySelectorAll('textarea[data-scenario]').forEach((t) => { if (t.value !== active.scenarios[t.dataset.scenario]) scenarios[t.dataset.scenario] = t.value; });
  const newName = document.getElementById('new-scenario-name').value.trim();
  const newScenario = document.getElementById('new-scenario').value.trim();
  if (newName || newScenario) {
    if (!newName || !newScenario) {
      document.getElementById('new-scenario-name').insertAdjacentHTML('afterend', '<span class="error" role="alert"> A new scenario needs a file name and its JSON.</span>');
      return;
    }
    scenarios[newName.endsWith('.json') ? newName : `${newName}.json`] = newScenario;
  }
  const created = await refusedAsReport(engine(`/api/v1/rulesets/${name}/versions`, { method: 'POST', what: 'saving a draft', body: JSON.stringify({
    basedOn: active.version.version, params, files: Object.keys(files).length ? files : undefined,
    scenarios: Object.keys(scenarios).length ? scenarios : undefined, comment: document.getElementById('draft-comment').value }) }),
  (p) => p);
  const submitted = { ...active.files, ...files };
  sessionStorage.removeItem(unsavedKey(name));
  showDraft(name, created.version.version, created.validation, submitted, active.version.version);
}

// ---- DRL editor (CodeMirror 5 from its webjar): line numbers, highlighting, error lines marked ----

const DRL_WORDS = 'package import global function query rule when then end salience no-loop lock-on-active agenda-group '
  + 'activation-group dialect enabled date-effective date-expires duration timer not exists eval forall from collect accumulate '
  + 'in matches memberOf soundslike contains over window entry-point modify insert insertLogical retract delete update '
  + 'and or true false null new return if else for while instanceof';

/** Turns each DRL textarea into an editor that writes back to it (so saving reads the textarea as before). */
function drlEditors(onChange) {
  state.editors = {};
  if (typeof CodeMirror === 'undefined') return; // without the script, the plain textareas still work
  if (!CodeMirror.mimeModes['text/x-drl']) {
    const words = {};
    DRL_WORDS.split(' ').forEach((w) => { words[w] = true; });
    CodeMirror.defineMIME('text/x-drl', { name: 'clike', keywords: words, atoms: { true: true, false: true, null: true } });
  }
  main().querySelectorAll('textarea[data-file]').forEach((textarea) => {
    const editor = CodeMirror.fromTextArea(textarea, { mode: 'text/x-drl', lineNumbers: true, indentUnit: 4, viewportMargin: Infinity });
    editor.on('change', () => { editor.save(); onChange(); });
    state.editors[textarea.dataset.file] = editor;
  });
  // An editor drawn while its <details> was closed measures itself when it is opened.
  main().querySelectorAll('#draft-form details').forEach((d) => d.addEventListener('toggle', () => {
    if (d.open) Object.values(state.editors).forEach((e) => e.refresh());
  }));
}

/** Marks each error's line in its file's editor, and the column in the gutter's tooltip. */
function markErrors(errors) {
  Object.values(state.editors || {}).forEach((e) => { for (let i = 0; i < e.lineCount(); i++) e.removeLineClass(i, 'background', 'drl-error-line'); });
  errors.forEach((error) => {
    const editor = (state.editors || {})[String(error.file || '').replace(/^.*\//, '')];
    if (editor && error.line > 0) editor.addLineClass(error.line - 1, 'background', 'drl-error-line');
  });
}

/** A diff as lines: parameters, then each changed file and scenario with its lines. */
function diffText(d) {
  const lines = [...d.params,
    // A decision table's change reads as rows and cells ("row 'SupportRisk MARS': Open tickets at least 5 → 3").
    ...Object.entries(d.files).flatMap(([f, changed]) => d.tables && d.tables[f] ? [`${f} (table):`, ...d.tables[f]]
      : changed.length ? [`${f}:`, ...changed] : []),
    ...Object.entries(d.scenarios || {}).flatMap(([f, changed]) => changed.length ? [`scenario ${f}:`, ...changed] : [])];
  return `v${d.from} → v${d.to}\n` + (lines.length ? lines.join('\n') : 'no difference');
}

// Unsaved edits of the draft form live in this tab until saved: leaving the screen, a live refresh or
// signing in again does not lose them.
const unsavedKey = (name) => `beacon.unsaved-draft.${name}`;

function keepUnsaved(name, base) {
  const params = {};
  main().querySelectorAll('input[name=param]').forEach((i) => { params[`${i.dataset.param}|${i.dataset.segment}`] = i.value; });
  const files = {};
  main().querySelectorAll('textarea[data-file]').forEach((t) => { files[t.dataset.file] = t.value; });
  const scenarios = {};
  main().querySelectorAll('textarea[data-scenario]').forEach((t) => { scenarios[t.dataset.scenario] = t.value; });
  sessionStorage.setItem(unsavedKey(name), JSON.stringify({ base, params, files, scenarios,
    newScenario: [document.getElementById('new-scenario-name').value, document.getElementById('new-scenario').value],
    comment: document.getElementById('draft-comment').value }));
}

function restoreUnsaved(name, base) {
  const raw = sessionStorage.getItem(unsavedKey(name));
  if (!raw) return;
  const saved = JSON.parse(raw);
  if (saved.base !== base) {
    // The active version changed since: say so rather than apply edits to another base silently.
    document.getElementById('draft-form').insertAdjacentHTML('afterbegin', `<p class="error" id="unsaved-stale" role="status">You had unsaved edits based on v${esc(saved.base)}; v${esc(base)} is active now, so they were not restored.</p>`);
    sessionStorage.removeItem(unsavedKey(name));
    return;
  }
  let restored = false;
  main().querySelectorAll('input[name=param]').forEach((i) => {
    const v = saved.params[`${i.dataset.param}|${i.dataset.segment}`];
    if (v !== undefined && v !== i.value) { i.value = v; restored = true; }
  });
  main().querySelectorAll('textarea[data-file]').forEach((t) => {
    const v = saved.files[t.dataset.file];
    if (v !== undefined && v !== t.value) { t.value = v; restored = true; t.closest('details').open = true; }
  });
  main().querySelectorAll('textarea[data-scenario]').forEach((t) => {
    const v = (saved.scenarios || {})[t.dataset.scenario];
    if (v !== undefined && v !== t.value) { t.value = v; restored = true; t.closest('details').open = true; }
  });
  if (saved.newScenario && (saved.newScenario[0] || saved.newScenario[1])) {
    [document.getElementById('new-scenario-name').value, document.getElementById('new-scenario').value] = saved.newScenario;
    document.getElementById('scenario-editor').open = true;
    restored = true;
  }
  document.getElementById('draft-comment').value = saved.comment || '';
  if (restored) {
    document.getElementById('draft-form').insertAdjacentHTML('afterbegin', '<p class="ok" id="unsaved-restored" role="status">Your unsaved edits are back. <button type="button" class="secondary" id="forget-unsaved">Forget them</button></p>');
    document.getElementById('forget-unsaved').addEventListener('click', () => { sessionStorage.removeItem(unsavedKey(name)); rules(); });
  }
}

// A draft that does not pass is answered 422 with its report: show the report like any other.
async function refusedAsReport(request, pick) {
  try {
    return await request;
  } catch (e) {
    if (e.status === 422 && e.problem && pick(e.problem)) return pick(e.problem);
    throw e;
  }
}

function showDraft(name, version, report, files, activeVersion) {
  markErrors(report.errors);
  const byFile = {};
  report.errors.forEach((e) => (byFile[e.file] ||= []).push(e));
  const source = (f) => files[f] ?? files[String(f).replace(/^.*\//, '')];
  const listing = Object.entries(byFile).filter(([f]) => source(f)).map(([file, errors]) => {
    const bad = new Map(errors.map((e) => [e.line, e]));
    const lines = source(file).split('\n');
    return `<h3>${esc(file)}</h3><ol class="drl">${lines.map((l, i) => bad.has(i + 1)
      ? `<li id="error-${esc(file)}-${i + 1}" class="error-line"><code>${esc(l)}</code><br><span class="error">↑ column ${bad.get(i + 1).column}: ${esc(bad.get(i + 1).message)}</span></li>`
      : `<li><code>${esc(l)}</code></li>`).join('')}</ol>`;
  }).join('');
  document.getElementById('draft-result').innerHTML = `<section class="card" id="draft-${version}" aria-labelledby="draft-${version}-title">
    <h2 id="draft-${version}-title">Draft v${version}: <span id="validation-status" class="${report.ok ? 'ok' : 'error'}">${report.ok ? 'passes validation and its scenarios' : 'refused'}</span></h2>
    ${report.errors.length ? `<ul id="validation-errors">${report.errors.map((e) => `<li class="error">${esc(e.file || '')}${e.line ? `:${e.line}:${e.column}` : ''} ${esc(e.message)}</li>`).join('')}</ul>` : ''}
    ${listing}
    ${report.warnings.length ? `<p class="muted">Warnings: ${report.warnings.map(esc).join('; ')}</p>` : ''}
    <details id="scenario-details" ${report.scenarios.every((s) => s.passed) ? '' : 'open'}>
      <summary>${report.scenarios.length === 0 && report.errors.length > 0 ? 'Scenarios not run: the draft does not compile'
        : `${report.scenarios.filter((s) => s.passed).length} of ${report.scenarios.length} scenarios pass`}</summary>
      <table id="scenarios"><caption>Scenarios</caption><thead><tr><th scope="col">File</th><th scope="col">Result</th></tr></thead>
      <tbody>${report.scenarios.map((s) => `<tr><td>${esc(s.file)}</td><td>${s.passed ? '<span class="pill GREEN">passed</span>' : `<span class="pill RED">failed</span> ${esc(s.report)}`}</td></tr>`).join('')}</tbody></table></details>
    ${report.uncoveredRules.length ? `<p class="muted">No scenario exercises: ${report.uncoveredRules.map(esc).join(', ')}</p>` : ''}
    ${report.ok ? `<p><label>Backtest over the last <input id="backtest-days" type="number" min="1" max="365" value="30" size="4"> days</label>
      <button id="start-backtest" type="button">Backtest against the active version</button></p>
      <div id="backtest" aria-live="polite"></div><div id="backtest-history"></div>
      <h3>What activating v${version} changes</h3><pre id="draft-diff" class="why">Loading…</pre>
      <p><label>Why activate <input id="activate-comment" size="50" required></label> <button id="activate" type="button">Activate v${version}</button></p>` : ''}
  </section>`;
  if (!report.ok) return;
  if (activeVersion) {
    engine(`/api/v1/rulesets/${name}/versions/${version}/diff?against=${activeVersion}`).then((d) => {
      document.getElementById('draft-diff').textContent = diffText(d);
    }).catch((e) => { document.getElementById('draft-diff').textContent = e.message; });
  }
  // Earlier backtests of this draft, to read again.
  engine(`/api/v1/rulesets/${name}/versions/${version}/backtests`).then((jobs) => {
    const box = document.getElementById('backtest-history');
    if (!box) return;
    box.innerHTML = jobs.length === 0 ? '' : `<table id="past-backtests"><caption>Backtests of v${version}</caption>
      <thead><tr><th scope="col">Started</th><th scope="col">By</th><th scope="col">Window</th><th scope="col">Status</th><th scope="col" class="num">CTAs opened (active → candidate)</th></tr></thead>
      <tbody>${jobs.map((j) => `<tr data-backtest-id="${esc(j.id)}"><td>${esc(String(j.startedAt).slice(0, 16).replace('T', ' '))}</td><td>${esc(j.requestedBy)}</td>
        <td>${esc(String(j.from).slice(0, 10))} – ${esc(String(j.to).slice(0, 10))}</td><td>${esc(j.status.toLowerCase())}</td>
        <td class="num">${j.result ? `${j.result.baseline.opened} → ${j.result.candidate.opened}` : '–'}</td></tr>`).join('')}</tbody></table>`;
  }).catch(() => {});
  document.getElementById('start-backtest').addEventListener('click', () => backtest(name, version));
  document.getElementById('activate').addEventListener('click', async () => {
    const comment = document.getElementById('activate-comment').value;
    if (!comment) { document.getElementById('activate-comment').focus(); return; }
    try {
      await engine(`/api/v1/rulesets/${name}/versions/${version}/activate`, { method: 'POST', body: JSON.stringify({ comment }) });
      await rules();
    } catch (e) {
      document.getElementById('activate').insertAdjacentHTML('afterend', `<span class="error" role="alert"> ${esc(e.message)}</span>`);
    }
  });
}

async function backtest(name, version) {
  const days = Number(document.getElementById('backtest-days').value || 30);
  const button = document.getElementById('start-backtest');
  // One backtest at a time from this page: a second click would start a second full-CPU job.
  button.disabled = true;
  button.textContent = 'Backtest running…';
  let job;
  try {
    job = await engine(`/api/v1/rulesets/${name}/versions/${version}/backtest`, { method: 'POST', body: JSON.stringify({ days }) });
  } catch (e) {
    button.disabled = false;
    button.textContent = 'Backtest against the active version';
    throw e;
  }
  const box = document.getElementById('backtest');
  while (box.isConnected) {
    const p = job.progress || {};
    box.innerHTML = `<p><label for="backtest-progress">Backtest ${esc(job.status.toLowerCase())}</label>
      <progress id="backtest-progress" max="100" value="${p.percent || 0}">${p.percent || 0}%</progress>
      ${p.percent || 0}% · ${(p.eventsRead || 0).toLocaleString()} of ${(p.eventsTotal || 0).toLocaleString()} events · ${(p.eventsPerSecond || 0).toLocaleString()} events/s
      ${p.etaSeconds != null ? `· about ${p.etaSeconds} s left` : ''}</p>`;
    if (job.status === 'DONE' || job.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 400));
    job = await engine(`/api/v1/backtests/${job.id}`);
  }
  if (button.isConnected) { button.disabled = false; button.textContent = 'Backtest again'; }
  if (job.status === 'FAILED') { box.insertAdjacentHTML('beforeend', `<p class="error" role="alert">${esc(job.error)}</p>`); return; }
  const r = job.result;
  const deltaTable = (id, title, rows) => `<table id="${id}"><caption>${title}</caption><thead><tr><th scope="col">${title.split(' by ')[1]}</th>
    <th scope="col" class="num">Active</th><th scope="col" class="num">Candidate</th><th scope="col" class="num">Difference</th><th scope="col">Chart</th></tr></thead>
    <tbody>${rows.length === 0 ? '<tr><td colspan="5" class="muted">No difference.</td></tr>' : rows.map((x) => `<tr><th scope="row">${esc(x.key)}</th><td class="num">${x.baseline}</td>
      <td class="num">${x.candidate}</td><td class="num"><strong>${x.delta > 0 ? '+' : ''}${x.delta}</strong></td><td>${deltaBar(x.delta, rows)}</td></tr>`).join('')}</tbody></table>`;
  box.insertAdjacentHTML('beforeend', `<div id="backtest-result">
    <p><strong>${r.events.toLocaleString()} events</strong> replayed in ${r.seconds} s. CTAs opened: active ${r.baseline.opened}, candidate ${r.candidate.opened}
      (<strong id="backtest-delta">${r.candidate.opened - r.baseline.opened >= 0 ? '+' : ''}${r.candidate.opened - r.baseline.opened}</strong>);
      closed ${r.baseline.closed} → ${r.candidate.closed}; escalated ${r.baseline.escalated} → ${r.candidate.escalated}.</p>
    ${deltaTable('by-rule', 'Opened by rule', r.openedByRule)}${deltaTable('by-segment', 'Opened by segment', r.openedBySegment)}
    ${deltaTable('by-team', 'Opened by team', r.openedByTeam)}${deltaTable('by-csm', 'Opened by CSM', r.openedByCsm)}
    <h3>Examples</h3><ul>${r.examples.map((x) => `<li>${esc(x.accountId)} (${esc(x.segment)}, ${esc(x.csm)}): ${esc(x.rule)} only under the ${esc(x.openedOnlyUnder)}
      at ${esc(String(x.at).slice(0, 16).replace('T', ' '))} — ${explain(x.explanation)}</li>`).join('')}</ul></div>`);
}

// ---- rule quality and threshold sweeps -----------------------------------------------------------

const pct = (x) => `${Math.round(x * 100)} %`;
const minutes = (m) => m == null ? '–' : m < 120 ? `${m} min` : m < 2880 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} d`;

async function quality(name, form) {
  const box = document.getElementById('quality-body');
  const q = new URLSearchParams({ groupBy: form.groupBy.value, days: form.days.value, missedWithinDays: form.missedWithinDays.value });
  const report = await engine(`/api/v1/rulesets/${name}/quality?${q}`);
  if (!box.isConnected) return;
  const reasons = [...new Set(report.figures.map((f) => f.reason))].sort();
  const chosen = reasons.includes(form.reason.value) ? form.reason.value : reasons[0] || form.reason.value;
  form.reason.innerHTML = (reasons.length ? reasons : [chosen]).map((r) => `<option ${r === chosen ? 'selected' : ''}>${esc(r)}</option>`).join('');
  form.reason.onchange = () => quality(name, form);
  const rows = report.figures.filter((f) => f.reason === chosen);
  const c = report.comparison;
  const since = c && c.previous ? `<p id="quality-since">Since <strong>v${c.active.version}</strong> went live (${esc(String(c.active.servingFrom).slice(0, 10))}), against v${c.previous.version}:
      dismissed <strong>${pct(c.previous.dismissedRate)} → ${pct(c.active.dismissedRate)}</strong>,
      acted on ${pct(c.previous.actedOnRate)} → ${pct(c.active.actedOnRate)},
      missed <strong>${c.previous.missed} → ${c.active.missed}</strong> (of ${c.previous.situations} and ${c.active.situations} situations; all rules).</p>`
    : c ? `<p id="quality-since" class="muted">v${c.active.version} is the only version that has served; a comparison appears after the next activation.</p>` : '';
  const label = { segment: 'Segment', team: 'Team', csm: 'CSM' }[report.groupBy.toLowerCase()];
  box.innerHTML = `${since}
    <div class="grid two"><div><table id="quality-figures"><caption>${esc(chosen)}: what happened to its CTAs (${report.from.slice(0, 10)} – ${report.to.slice(0, 10)})</caption>
      <thead><tr><th scope="col">${label}</th><th scope="col">Version</th><th scope="col" class="num">Raised</th><th scope="col" class="num">Acted on</th>
        <th scope="col" class="num">Dismissed</th><th scope="col" class="num">Cleared by itself</th><th scope="col" class="num">Snoozed</th>
        <th scope="col" class="num">Open</th><th scope="col" class="num">First action (median)</th></tr></thead>
      <tbody>${rows.length === 0 ? '<tr><td colspan="9" class="muted">This rule raised no CTA in the window.</td></tr>' : rows.map((f) => `<tr data-group="${esc(f.group)}">
        <th scope="row">${esc(f.group)}</th><td>v${f.version}</td><td class="num">${f.raised}</td><td class="num">${f.actedOn} <span class="muted">${pct(f.actedOnRate)}</span></td>
        <td class="num">${f.dismissed} <span class="muted">${pct(f.dismissedRate)}</span></td><td class="num">${f.clearedBySelf}</td><td class="num">${f.snoozed}</td>
        <td class="num">${f.stillOpen}</td><td class="num">${minutes(f.medianMinutesToFirstAction)}</td></tr>`).join('')}</tbody></table>
      <table id="quality-missed-by"><caption>Situations (escalations, manual RISK CTAs, health turned RED) and those no rule warned about</caption>
        <thead><tr><th scope="col">${label}</th><th scope="col" class="num">Situations</th><th scope="col" class="num">Missed</th></tr></thead>
        <tbody>${report.missedBy.map((m) => `<tr data-group="${esc(m.group)}"><th scope="row">${esc(m.group)}</th><td class="num">${m.situations}</td><td class="num"><strong>${m.missed}</strong></td></tr>`).join('')}</tbody></table></div>
      <div id="quality-chart" class="chart" style="height:300px" role="img" aria-label="Outcome of ${esc(chosen)} CTAs by ${label.toLowerCase()}"></div></div>
    <h3 id="missed-title">Missed situations (${report.missedListed}${report.missed.length < report.missedListed ? `, the newest ${report.missed.length}` : ''})</h3>
    ${report.missed.length === 0 ? '<p class="muted">None: every situation had a rule CTA before it.</p>' : `<table id="missed-situations" aria-labelledby="missed-title">
      <thead><tr><th scope="col">When</th><th scope="col">Account</th><th scope="col">Segment</th><th scope="col">CSM</th><th scope="col">What</th></tr></thead>
      <tbody>${report.missed.slice(0, 50).map((m) => `<tr data-account="${esc(m.accountId)}"><td>${esc(String(m.at).slice(0, 16).replace('T', ' '))}</td>
        <td>${accountLink(m.accountId, m.accountName)}</td><td>${esc(m.segment)}</td><td>${esc(m.csmId)}</td>
        <td>${esc({ ESCALATION: 'escalation', MANUAL: 'raised by a CSM', HEALTH_RED: 'health turned RED' }[m.kind] || m.kind)}: ${esc(m.detail)}</td></tr>`).join('')}</tbody></table>`}`;
  await library('echarts');
  const element = document.getElementById('quality-chart');
  if (!element || typeof echarts === 'undefined' || rows.length === 0) return;
  const groups = rows.map((f) => `${f.group} v${f.version}`);
  const other = (f) => Math.max(0, f.raised - f.actedOn - f.dismissed - f.clearedBySelf - f.stillOpen);
  echarts.init(element).setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 90, right: 16, top: 40, bottom: 24 },
    xAxis: { type: 'value', name: 'CTAs' }, yAxis: { type: 'category', data: groups },
    series: [['Acted on', (f) => f.actedOn, '#1e6b34'], ['Dismissed', (f) => f.dismissed, '#b3261e'], ['Cleared by itself', (f) => f.clearedBySelf, '#8a8f98'],
      ['Open', (f) => f.stillOpen, '#2f5bd3'], ['Closed otherwise', other, '#d9a400']]
      .map(([n, v, color]) => ({ name: n, type: 'bar', stack: 'all', data: rows.map(v), itemStyle: { color } })),
  });
}

async function sweep(name, active, form) {
  const button = document.getElementById('start-sweep');
  const box = document.getElementById('sweep-progress');
  const version = active.version.version;
  button.disabled = true;
  let job;
  try {
    job = await engine(`/api/v1/rulesets/${name}/versions/${version}/sweep`, { method: 'POST', what: 'starting a sweep', body: JSON.stringify({
      param: form.param.value, segment: form.segment.value, min: Number(form.min.value), max: Number(form.max.value), days: Number(form.days.value) }) });
  } catch (e) {
    button.disabled = false;
    box.innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
    return;
  }
  while (box.isConnected) {
    const p = job.progress || {};
    box.innerHTML = `<p><label for="sweep-progress-bar">Sweep ${esc(job.status.toLowerCase())}</label>
      <progress id="sweep-progress-bar" max="100" value="${p.percent || 0}">${p.percent || 0}%</progress>
      ${p.percent || 0}% · ${(p.eventsRead || 0).toLocaleString()} of ${(p.eventsTotal || 0).toLocaleString()} events
      ${p.etaSeconds != null ? `· about ${p.etaSeconds} s left` : ''}</p>`;
    if (job.status === 'DONE' || job.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 400));
    job = await engine(`/api/v1/backtests/${job.id}`);
  }
  if (button.isConnected) button.disabled = false;
  if (job.status === 'FAILED') { box.insertAdjacentHTML('beforeend', `<p class="error" role="alert">${esc(job.error)}</p>`); return; }
  showSweep(name, active, job);
}

function showSweep(name, active, job) {
  const r = job.result;
  const box = document.getElementById('sweep-result');
  if (!box) return;
  box.innerHTML = `<p id="sweep-summary"><strong>${esc(r.param)}</strong> for ${esc(r.segment)}: ${r.events.toLocaleString()} events read, ${r.eventsReplayed.toLocaleString()} replayed
      through ${r.values.length} values in ${r.seconds} s; ${r.accounts} accounts, ${r.csms} CSMs, ${r.weeks} weeks;
      ${r.missed} of ${r.situations} recorded situations were missed (no RISK CTA within ${r.missedWithinDays} days before).</p>
    <div id="sweep-chart" class="chart" style="height:320px" role="img" aria-label="CTAs per CSM per week against missed situations caught, per value"></div>
    <table id="sweep-values"><thead><tr><th scope="col">Value</th><th scope="col" class="num">CTAs opened</th><th scope="col" class="num">CTAs per CSM per week</th>
      <th scope="col" class="num">Missed situations caught</th><th scope="col" class="num">Situations warned</th><th scope="col">Draft</th></tr></thead>
      <tbody>${r.values.map((v) => `<tr data-value="${v.value}" class="${v.current ? 'current' : ''}"><th scope="row">${v.value}${v.current ? ' <span class="pill">current</span>' : ''}</th>
        <td class="num">${v.opened}</td><td class="num">${v.ctasPerCsmPerWeek}</td><td class="num"><strong>${v.caughtMissed}</strong> of ${r.missed}</td>
        <td class="num">${v.warned} of ${r.situations}</td>
        <td>${v.current ? '' : `<button type="button" class="secondary draft-from-value" data-value="${v.value}">Draft from this value</button>`}</td></tr>`).join('')}</tbody></table>`;
  box.querySelectorAll('button.draft-from-value').forEach((b) => b.addEventListener('click', async () => {
    const value = Number(b.dataset.value);
    const row = r.values.find((v) => v.value === value);
    const params = { [r.param]: Object.fromEntries((r.segment === 'ALL' ? SEGMENTS : [r.segment]).map((x) => [x, value])) };
    const created = await refusedAsReport(engine(`/api/v1/rulesets/${name}/versions`, { method: 'POST', what: 'drafting from a sweep', body: JSON.stringify({
      basedOn: job.version, params, comment: `${r.param} ${r.segment} ${r.current ?? '?'} → ${value}: sweep says ${row.ctasPerCsmPerWeek} CTAs/CSM/week, catches ${row.caughtMissed} of ${r.missed} missed` }) }), (p) => p);
    showDraft(name, created.version.version, created.validation, active.files, active.version.version);
    document.getElementById('draft-result').scrollIntoView();
  }));
  library('echarts').then(() => {
    const element = document.getElementById('sweep-chart');
    if (!element || typeof echarts === 'undefined') return;
    const current = r.values.find((v) => v.current);
    echarts.init(element).setOption({
      animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 56, right: 56, top: 40, bottom: 40 },
      xAxis: { type: 'category', name: r.param, nameLocation: 'middle', nameGap: 26, data: r.values.map((v) => String(v.value)) },
      yAxis: [{ type: 'value', name: 'CTAs / CSM / week' }, { type: 'value', name: 'missed caught', minInterval: 1 }],
      series: [
        { name: 'CTAs per CSM per week', type: 'line', data: r.values.map((v) => v.ctasPerCsmPerWeek), itemStyle: { color: '#2f5bd3' },
          markLine: current ? { symbol: 'none', label: { formatter: `current: ${current.value}` }, lineStyle: { color: '#555', type: 'dashed' },
            data: [{ xAxis: String(current.value) }] } : undefined },
        { name: 'Missed situations caught', type: 'line', yAxisIndex: 1, data: r.values.map((v) => v.caughtMissed), itemStyle: { color: '#b3261e' } },
      ],
    });
  });
}

function deltaBar(delta, rows) {
  const max = Math.max(1, ...rows.map((x) => Math.abs(x.delta)));
  const w = Math.round((Math.abs(delta) / max) * 120);
  return `<svg width="130" height="14" role="img" aria-label="${delta > 0 ? 'more' : 'fewer'} by ${Math.abs(delta)}"><rect x="0" y="2" width="${w}" height="10" fill="${delta > 0 ? '#b3261e' : '#1e6b34'}"></rect></svg>`;
}

// ---- account 360 --------------------------------------------------------------------------------

// Ticket priorities drawn in the colours of the CTA priorities they correspond to.
const TICKET_PILL = { urgent: 'CRITICAL', high: 'HIGH', normal: 'MEDIUM', low: 'LOW' };

async function account360(id) {
  main().innerHTML = `<section id="account" aria-labelledby="account-title"><h1 id="account-title">Account</h1><p class="muted">Loading…</p></section>`;
  const enc = encodeURIComponent(id);
  const [account, history, tickets, ctas, changes, told] = await Promise.all([
    api(`${ACCOUNTS}/api/v1/accounts/${enc}`),
    api(`${ACCOUNTS}/api/v1/accounts/${enc}/health/history`).catch(() => []),
    engine(`/api/v1/accounts/${enc}/tickets`).catch(() => []),
    engine(`/api/v1/ctas?accountId=${enc}`).catch(() => []),
    engine(`/api/v1/accounts/${enc}/cta-changes?limit=100`).catch(() => []),
    api(`${INBOX}/api/v1/accounts/${enc}/notifications?limit=30`).catch(() => []), library('echarts')]);
  const when = (t) => esc(String(t).slice(0, 16).replace('T', ' '));
  const desk = (t) => {
    const template = state.me.desks && t.source ? state.me.desks[t.source] : null;
    return template ? `<a href="${esc(template.replace('{id}', encodeURIComponent(t.ticketId)))}" target="_blank" rel="noopener noreferrer">${esc(t.ticketId)}</a>` : esc(t.ticketId);
  };
  const reasons = new Map(ctas.map((c) => [c.id, c.reason]));
  const open = tickets.filter((t) => !t.deleted && t.status !== 'solved' && t.status !== 'closed' && t.status !== 'SOLVED' && t.status !== 'CLOSED');
  const hours = (t) => Math.max(0, Math.round((Date.now() - Date.parse(t)) / 3600000));
  const health = account.health;
  document.getElementById('account').innerHTML = `
    <h1 id="account-title">${esc(account.name)} <span class="muted">${esc(account.id)}</span>
      ${health ? `<span class="pill ${esc(health.color)}">${esc(health.color.toLowerCase())} · ${health.score}</span>` : ''}</h1>
    <dl class="facts">
      <div><dt>Segment</dt><dd>${esc(account.segment)} (${Number(account.employees).toLocaleString('en-US')} employees)</dd></div>
      <div><dt>ARR</dt><dd>${money(account.arr)}</dd></div>
      <div><dt>Renewal</dt><dd>${esc(account.renewalDate || '–')}</dd></div>
      <div><dt>Lifecycle</dt><dd>${esc(account.lifecycleStage || '–')}</dd></div>
      <div><dt>Owner</dt><dd>${esc(account.csm ? account.csm.name : '–')}${account.csm ? ` <span class="muted">${esc(account.csm.team)}</span>` : ''}</dd></div>
    </dl>
    <div class="grid">
      <section class="card" aria-labelledby="scorecard-title"><h2 id="scorecard-title">Health scorecard</h2>
        ${health ? `<table id="scorecard"><thead><tr><th scope="col">Measure</th><th scope="col" class="num">Weight</th><th scope="col" class="num">Score</th></tr></thead>
          <tbody>${health.measures.map((m) => `<tr><th scope="row">${esc(m.name)}</th><td class="num">${m.weight} %</td><td class="num">${m.score}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">No scorecard yet.</p>'}
        <div id="health-chart" style="height:220px" role="img" aria-label="Health score over time"></div>
        <table class="sr-only-table" id="health-history"><caption class="muted">Health history</caption><thead><tr><th scope="col">When</th><th scope="col" class="num">Score</th><th scope="col">Colour</th></tr></thead>
          <tbody>${history.map((h) => `<tr><td>${esc(String(h.changedAt).slice(0, 16).replace('T', ' '))}</td><td class="num">${h.score}</td><td>${esc(h.color)}</td></tr>`).join('')}</tbody></table>
      </section>
      <section class="card" aria-labelledby="tickets-title"><h2 id="tickets-title">Open tickets (${open.length})</h2>
        <table id="account-tickets"><thead><tr><th scope="col">Ticket</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Age</th></tr></thead>
          <tbody>${open.length === 0 ? '<tr><td colspan="5" class="muted">No open tickets.</td></tr>' : open.map((t) => `<tr data-ticket-id="${esc(t.ticketId)}">
            <td>${desk(t)}</td><td>${esc(t.subject || '–')}</td><td>${esc(t.status)}${t.slaBreached ? ' <strong>SLA breached</strong>' : ''}</td>
            <td><span class="pill ${TICKET_PILL[String(t.priority).toLowerCase()] || 'LOW'}">${esc(t.priority)}</span></td><td>${age(hours(t.createdAt || t.updatedAt))}</td></tr>`).join('')}</tbody></table>
      </section>
    </div>
    <section class="card" aria-labelledby="timeline-title"><h2 id="timeline-title">CTAs</h2>
      <ol id="cta-timeline" class="timeline">${ctas.length === 0 ? '<li class="muted">No CTAs for this account.</li>' : ctas.map((c) => `<li data-cta-id="${esc(c.id)}">
        <strong>${esc(c.reason)}</strong> <span class="pill ${esc(c.priority)}">${esc(c.priority)}</span> ${esc(c.status)}${c.escalated ? ' · escalated' : ''}
        <br><span class="muted">opened ${esc(String(c.openedAt).slice(0, 16).replace('T', ' '))}${c.closedAt ? ` · closed ${esc(String(c.closedAt).slice(0, 16).replace('T', ' '))} (${esc(c.closeReason || '')})` : ''}
        · rule ${esc(c.rule)} · ${esc(c.ruleset)} v${c.rulesetVersion}</span>
        <br><span class="why">${explain(c.explanation)}</span></li>`).join('')}</ol>
    </section>
    <div class="grid">
      <section class="card" aria-labelledby="history-title"><h2 id="history-title">Every change</h2>
        <ol id="cta-history" class="timeline">${changes.length === 0 ? '<li class="muted">No changes recorded.</li>' : changes.map((h) => `<li data-cta-id="${esc(h.ctaId)}" data-kind="${esc(h.kind)}">
          <strong>${esc(h.kind.toLowerCase())}</strong> ${esc(h.reason)} <span class="pill ${esc(h.priority)}">${esc(h.priority)}</span>${h.escalated ? ' · escalated' : ''}
          <br><span class="muted">${when(h.at)} · ${h.actor ? `by ${esc(h.actor)}` : `rule ${esc(h.rule)} · ${esc(h.ruleset)} v${h.rulesetVersion}`}${h.ownerCsmId ? ` · owner ${esc(h.ownerCsmId)}` : ''}</span>
          ${h.actor ? '' : `<br><span class="why">${explain(h.explanation)}</span>`}</li>`).join('')}</ol>
      </section>
      <section class="card" aria-labelledby="told-title"><h2 id="told-title">Notifications sent</h2>
        <ol id="account-notifications" class="timeline">${told.length === 0 ? '<li class="muted">None yet.</li>' : told.map((n) => `<li data-event-id="${esc(n.eventId)}">
          <strong>${esc(n.kind.toLowerCase())}</strong> ${esc(reasons.get(n.ctaId) || '')} <span class="muted">${when(n.receivedAt)}</span>
          <br><span class="muted">${n.deliveries.length === 0 ? 'nobody to tell' : n.deliveries.map((d) => `${esc(d.channel.toLowerCase())} to ${esc(d.recipientId)} (${esc(d.status.toLowerCase())})`).join(' · ')}</span></li>`).join('')}</ol>
      </section>
    </div>`;
  healthChart(history);
}

/** Health score over time, drawn by ECharts (served from the echarts webjar, no CDN). */
function healthChart(history) {
  const element = document.getElementById('health-chart');
  if (!element || typeof echarts === 'undefined' || history.length === 0) return;
  // Each point in the colour the scorecard gave it then (the thresholds are account-service's to set).
  const colours = { RED: '#b3261e', YELLOW: '#b26a00', GREEN: '#1e6b34' };
  const points = [...history].sort((a, b) => String(a.changedAt).localeCompare(String(b.changedAt)))
    .map((h) => ({ value: [h.changedAt, h.score], itemStyle: { color: colours[h.color] || '#5f6b7a' } }));
  echarts.init(element).setOption({
    animation: false, grid: { left: 36, right: 12, top: 12, bottom: 28 },
    xAxis: { type: 'time' }, yAxis: { type: 'value', min: 0, max: 100 },
    tooltip: { trigger: 'axis' },
    series: [{ type: 'line', step: 'end', data: points, name: 'health', symbolSize: 8, lineStyle: { color: '#5f6b7a' } }],
  });
}

/** A change the session's end interrupted, made now that the person signed in again (once). */
async function finishInterrupted() {
  const raw = sessionStorage.getItem('beacon.pending');
  if (!raw) return;
  sessionStorage.removeItem('beacon.pending');
  const pending = JSON.parse(raw);
  const notice = document.createElement('p');
  notice.id = 'resumed';
  notice.setAttribute('role', 'status');
  try {
    await api(pending.path, { method: pending.method, body: pending.body || undefined, replay: true });
    notice.className = 'ok';
    notice.textContent = `Your session had ended; after signing in again, ${pending.what} is done.`;
  } catch (e) {
    notice.className = 'error';
    notice.textContent = `Your session had ended; ${pending.what} could not be finished: ${e.message}`;
  }
  document.querySelector('header.top').insertAdjacentElement('afterend', notice);
}

// ---- start --------------------------------------------------------------------------------------

async function start() {
  try {
    state.me = await api('/api/v1/me');
    if (!state.me.signedIn) { signInAgain(); return; }
  } catch (e) {
    if (e.status !== 401 && e.status !== 499) main().innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
    return;
  }
  document.getElementById('who').innerHTML = `${esc(state.me.name)} (${esc(state.me.roles.join(', '))}) · <a href="/sign-out">Sign out</a>`;
  sessionStorage.removeItem('beacon.signins');
  // Who the engine takes the person for: their CSM id (found by e-mail if the provider names them otherwise) and the teams they lead.
  // A CSM's screens need it before they are drawn; for anyone else it is fetched alongside the first screen.
  const work = has('csm', 'exec', 'admin') ? engine('/api/v1/me').catch(() => null) : Promise.resolve(null);
  state.work = { csmId: state.me.subject, leads: [] };
  if (has('csm')) state.work = (await work) || state.work;
  else work.then((w) => { if (w) state.work = w; });
  await finishInterrupted();
  const back = sessionStorage.getItem('beacon.return');
  sessionStorage.removeItem('beacon.return');
  window.addEventListener('hashchange', route);
  if (back && !location.hash) {
    location.hash = back; // the hashchange draws the screen, once
  } else {
    await route();
  }
}

// "Skip to content" moves the focus, not the location: a hash change would redraw the screen and lose
// what is being typed.
document.querySelector('a.skip').addEventListener('click', (e) => { e.preventDefault(); main().focus(); });

start();
