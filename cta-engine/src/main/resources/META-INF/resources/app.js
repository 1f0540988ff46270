// Beacon web UI: plain modules-free JavaScript, no external libraries, works offline.
// Signs in through the beacon_token cookie; the API answers 401 without it.
'use strict';

const state = { me: null, config: {}, live: null, refreshTimer: null, known: new Set() };
const main = () => document.getElementById('main');

const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const money = (v) => v == null ? '–' : Number(v).toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const age = (hours) => hours < 1 ? 'under an hour' : hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;

class HttpError extends Error {
  constructor(status, problem) { super(problem?.detail || problem?.title || `HTTP ${status}`); this.status = status; this.problem = problem; }
}

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: 'same-origin', ...options,
    headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...(options.headers || {}) } });
  if (response.status === 401) { signIn(); throw new HttpError(401); }
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new HttpError(response.status, body);
  return body;
}

function signIn() {
  if (state.config.signInUrl) {
    location.href = `${state.config.signInUrl}?next=${encodeURIComponent(location.href)}`;
    return;
  }
  main().innerHTML = `<h1>Sign in</h1>
    <form id="token-form" class="card"><label for="token">Paste a bearer token from your identity provider</label><br>
    <textarea id="token" rows="4" cols="80" required></textarea><br><button type="submit">Sign in</button></form>`;
  document.getElementById('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    document.cookie = `beacon_token=${document.getElementById('token').value.trim()}; path=/; SameSite=Strict`;
    location.reload();
  });
}

const has = (...roles) => state.me && state.me.roles.some((r) => roles.includes(r));

function home() {
  if (has('exec', 'admin')) return '#/dashboard';
  if (has('csm')) return '#/cockpit';
  if (has('rules-admin')) return '#/rules';
  return '#/dashboard';
}

async function route() {
  const hash = location.hash || home();
  document.querySelectorAll('nav a').forEach((a) => {
    a.hidden = !has(...a.dataset.role.split(' '));
    if (a.getAttribute('href') === hash) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  stopLive();
  try {
    if (hash === '#/dashboard') await dashboard();
    else if (hash === '#/cockpit') await cockpit();
    else if (hash === '#/rules') await rules();
    else location.hash = home();
  } catch (e) {
    if (e.status !== 401) main().innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
  }
}

// ---- live updates -------------------------------------------------------------------------------

function startLive(onChange) {
  const source = new EventSource('/api/v1/live', { withCredentials: true });
  state.live = source;
  const dot = () => document.getElementById('live');
  source.onopen = () => { if (dot()) dot().innerHTML = '<span class="live-dot"></span>Live'; };
  source.onerror = () => { if (dot()) dot().innerHTML = '<span class="live-dot off"></span>Reconnecting…'; };
  source.onmessage = (message) => {
    const change = JSON.parse(message.data);
    if (change.kind === 'SUBSCRIBED') return;
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(() => onChange(change), 250);
  };
}

function stopLive() {
  if (state.live) { state.live.close(); state.live = null; }
}

// ---- executive dashboard ------------------------------------------------------------------------

async function dashboard() {
  const first = !document.getElementById('dashboard');
  if (first) {
    main().innerHTML = `<section id="dashboard" aria-labelledby="dash-title">
      <h1 id="dash-title">Executive dashboard <span id="live" class="status muted"></span></h1><div id="dash-body"><p class="muted">Loading…</p></div></section>`;
    startLive(() => renderDashboard());
  }
  await renderDashboard();
}

async function renderDashboard() {
  const d = await api('/api/v1/dashboard');
  const body = document.getElementById('dash-body');
  if (!body) return;
  const weeks = d.weeks;
  const now = weeks[weeks.length - 1] || { ctasOpened: 0, ctasClosed: 0, escalations: 0 };
  const before = weeks[weeks.length - 2] || { ctasOpened: 0, ctasClosed: 0, escalations: 0 };
  const delta = (a, b) => a === b ? 'same as last week' : `${a > b ? '+' : ''}${a - b} vs last week`;
  const worst = [...d.segments].sort((a, b) => b.openEscalations - a.openEscalations)[0];
  body.innerHTML = `
    <div class="grid">
      <div class="card"><h2>Open escalations</h2><div class="big" id="open-escalations">${d.openEscalations}</div>
        <div class="muted">${d.byAge.map((b) => `${b.count} ${esc(b.label)}`).join(' · ')}</div></div>
      <div class="card"><h2>ARR at risk</h2><div class="big" id="arr-at-risk">${money(d.arrAtRisk)}</div>
        <div class="muted">accounts with an open escalation</div></div>
      <div class="card" id="this-week"><h2>This week</h2>
        <div>${now.escalations} escalated <span class="muted">(${delta(now.escalations, before.escalations)})</span></div>
        <div>${now.ctasOpened} CTAs opened <span class="muted">(${delta(now.ctasOpened, before.ctasOpened)})</span></div>
        <div>${now.ctasClosed} CTAs closed <span class="muted">(${delta(now.ctasClosed, before.ctasClosed)})</span></div>
        ${worst && worst.openEscalations > 0 ? `<div class="muted">Most escalations: ${esc(worst.segment)} (${worst.openEscalations})</div>` : ''}</div>
    </div>
    <table id="segments"><caption>By segment</caption>
      <thead><tr><th scope="col">Segment</th><th scope="col" class="num">Accounts</th><th scope="col">Health</th>
      <th scope="col" class="num">Open CTAs</th><th scope="col" class="num">Escalations</th><th scope="col" class="num">ARR at risk</th></tr></thead>
      <tbody>${d.segments.map((s) => `<tr data-segment="${esc(s.segment)}"><th scope="row">${esc(s.segment)}</th><td class="num">${s.accounts}</td>
        <td>${['RED', 'YELLOW', 'GREEN'].map((c) => `<span class="pill ${c}" title="${c.toLowerCase()}">${c.toLowerCase()} ${s.health[c] || 0}</span>`).join(' ')}</td>
        <td class="num">${s.openCtas}</td><td class="num">${s.openEscalations}</td><td class="num">${money(s.arrAtRisk)}</td></tr>`).join('')}</tbody>
    </table>
    <div class="card" style="margin:16px 0"><h2>Weekly trend</h2>${trendChart(weeks)}</div>
    <table id="escalations"><caption>Open escalations, newest first</caption>
      <thead><tr><th scope="col">Account</th><th scope="col">Segment</th><th scope="col" class="num">ARR at risk</th><th scope="col">CSM</th>
      <th scope="col">Reason</th><th scope="col">Age</th><th scope="col">Why</th></tr></thead>
      <tbody>${d.escalations.length === 0 ? '<tr><td colspan="7" class="muted">No open escalations.</td></tr>' : d.escalations.map((e) => `
        <tr data-cta-id="${esc(e.ctaId)}" data-account-id="${esc(e.accountId)}" class="${state.known.size && !state.known.has(e.ctaId) ? 'new' : ''}">
        <td><strong>${esc(e.accountName || e.accountId)}</strong><br><span class="muted">${esc(e.accountId)}</span>
          ${e.healthColor ? `<span class="pill ${esc(e.healthColor)}">${esc(e.healthColor.toLowerCase())}</span>` : ''}</td>
        <td>${esc(e.segment)}</td><td class="num">${money(e.arr)}</td><td>${esc(e.csmId)}<br><span class="muted">${esc(e.csmTeam)}</span></td>
        <td><span class="pill ${esc(e.priority)}">${esc(e.priority)}</span> ${esc(e.reason)}</td><td>${age(e.ageHours)}</td>
        <td class="why">${explain(e.explanation)}<br>rule ${esc(e.rule)} · v${e.rulesetVersion}</td></tr>`).join('')}</tbody>
    </table>`;
  state.known = new Set(d.escalations.map((e) => e.ctaId));
}

function explain(explanation) {
  return Object.entries(explanation || {}).map(([k, v]) => `${esc(k)}: ${esc(Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : v)}`).join(' · ');
}

function trendChart(weeks) {
  const series = [['ctasOpened', 'opened', 'CTAs opened'], ['ctasClosed', 'closed', 'CTAs closed'], ['escalations', 'escalations', 'Escalations']];
  const max = Math.max(1, ...weeks.flatMap((w) => series.map(([k]) => w[k])));
  const width = 640, height = 160, group = width / weeks.length, bar = (group - 12) / series.length;
  const bars = weeks.map((w, i) => series.map(([k, cls, label], j) => {
    const h = Math.round((w[k] / max) * (height - 20));
    return `<rect class="${cls}" x="${i * group + 6 + j * bar}" y="${height - h}" width="${bar - 2}" height="${h}"><title>${label}, week of ${w.weekOf}: ${w[k]}</title></rect>`;
  }).join('') + `<text x="${i * group + group / 2}" y="${height + 14}" text-anchor="middle">${w.weekOf.slice(5)}</text>`).join('');
  const table = `<table class="sr-only-table"><caption class="muted">Weekly figures</caption><thead><tr><th scope="col">Week of</th>${series.map(([, , l]) => `<th scope="col" class="num">${l}</th>`).join('')}</tr></thead>
    <tbody>${weeks.map((w) => `<tr><th scope="row">${w.weekOf}</th>${series.map(([k]) => `<td class="num">${w[k]}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  return `<div class="legend">${series.map(([, cls, label]) => `<span><i class="${cls}" style="background:var(--${cls === 'opened' ? 'accent' : cls === 'closed' ? 'green' : 'red'})"></i>${label}</span>`).join('')}</div>
    <svg class="bars" role="img" aria-label="CTAs opened, closed and escalations per week, last ${weeks.length} weeks" viewBox="0 0 ${width} ${height + 20}" width="100%" height="${height + 20}">${bars}</svg>
    <details><summary>Show as a table</summary>${table}</details>`;
}

// ---- CSM cockpit --------------------------------------------------------------------------------

const PRIORITY = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

async function cockpit() {
  if (!document.getElementById('cockpit')) {
    main().innerHTML = `<section id="cockpit" aria-labelledby="cockpit-title">
      <h1 id="cockpit-title">My CTAs <span id="live" class="status muted"></span></h1>
      <div id="cockpit-body"><p class="muted">Loading…</p></div></section>`;
    startLive(() => renderCockpit());
  }
  await renderCockpit();
}

async function renderCockpit() {
  const all = await api('/api/v1/ctas');
  const open = all.filter((c) => c.status !== 'CLOSED' && c.status !== 'SNOOZED')
    .sort((a, b) => (PRIORITY[a.priority] - PRIORITY[b.priority]) || String(a.dueAt).localeCompare(String(b.dueAt)));
  const parked = all.filter((c) => c.status === 'SNOOZED' || c.status === 'CLOSED');
  const tomorrow = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  const body = document.getElementById('cockpit-body');
  if (!body) return;
  body.innerHTML = `<table id="my-ctas"><caption>${open.length} open, by priority and due date</caption>
    <thead><tr><th scope="col">Account</th><th scope="col">CTA</th><th scope="col">Due</th><th scope="col">Why</th><th scope="col">Act</th></tr></thead>
    <tbody>${open.length === 0 ? '<tr><td colspan="5" class="muted">Nothing open. Well done.</td></tr>' : open.map((c) => `
      <tr data-cta-id="${esc(c.id)}"><td>${esc(c.accountId)}</td>
      <td><span class="pill ${esc(c.priority)}">${esc(c.priority)}</span> ${esc(c.reason)}${c.escalated ? ' <strong>escalated</strong>' : ''}</td>
      <td>${esc(String(c.dueAt).slice(0, 10))}</td><td class="why">${explain(c.explanation)}</td>
      <td><form class="snooze" data-id="${esc(c.id)}"><label>Snooze until <input type="date" name="until" value="${tomorrow}" required></label>
        <button type="submit">Snooze</button></form>
        <form class="close" data-id="${esc(c.id)}"><label>Close as <select name="reason"><option value="DONE">done</option><option value="NOT_RELEVANT">not relevant</option></select></label>
        <button type="submit" class="secondary">Close</button></form></td></tr>`).join('')}</tbody></table>
    <table id="parked" style="margin-top:16px"><caption>Snoozed and closed</caption>
    <thead><tr><th scope="col">Account</th><th scope="col">CTA</th><th scope="col">Status</th><th scope="col">Act</th></tr></thead>
    <tbody>${parked.map((c) => `<tr data-cta-id="${esc(c.id)}"><td>${esc(c.accountId)}</td><td>${esc(c.reason)}</td>
      <td>${esc(c.status)}${c.snoozedUntil ? ` until ${esc(String(c.snoozedUntil).slice(0, 10))}` : ''}${c.closeReason ? ` (${esc(c.closeReason)})` : ''}</td>
      <td><button class="secondary reopen" data-id="${esc(c.id)}">Reopen</button></td></tr>`).join('')}</tbody></table>`;
  body.querySelectorAll('form.snooze').forEach((f) => f.addEventListener('submit', (e) => act(e, f,
    () => api(`/api/v1/ctas/${f.dataset.id}/snooze`, { method: 'POST', body: JSON.stringify({ until: `${f.until.value}T08:00:00Z` }) }))));
  body.querySelectorAll('form.close').forEach((f) => f.addEventListener('submit', (e) => act(e, f,
    () => api(`/api/v1/ctas/${f.dataset.id}/close`, { method: 'POST', body: JSON.stringify({ reason: f.reason.value }) }))));
  body.querySelectorAll('button.reopen').forEach((b) => b.addEventListener('click', (e) => act(e, b,
    () => api(`/api/v1/ctas/${b.dataset.id}/reopen`, { method: 'POST', body: '{}' }))));
}

async function act(event, element, call) {
  event.preventDefault();
  try {
    await call();
    await renderCockpit();
  } catch (e) {
    element.insertAdjacentHTML('beforeend', `<span class="error" role="alert"> ${esc(e.message)}</span>`);
  }
}

// ---- rules console (next: versions, diff, drafts, backtests) ------------------------------------

async function rules() {
  const rulesets = await api('/api/v1/rulesets');
  main().innerHTML = `<section aria-labelledby="rules-title"><h1 id="rules-title">Rules</h1>
    <table id="rulesets"><caption>Rulesets</caption><thead><tr><th scope="col">Name</th><th scope="col" class="num">Active</th>
    <th scope="col" class="num">Served here</th><th scope="col" class="num">Versions</th></tr></thead>
    <tbody>${rulesets.map((r) => `<tr><th scope="row">${esc(r.name)}</th><td class="num">v${r.activeVersion}</td><td class="num">v${r.servingVersion}</td><td class="num">${r.versions}</td></tr>`).join('')}</tbody></table></section>`;
}

// ---- start --------------------------------------------------------------------------------------

async function start() {
  state.config = await fetch('/api/v1/ui-config').then((r) => r.json()).catch(() => ({}));
  try {
    state.me = await api('/api/v1/me');
  } catch (e) {
    if (e.status !== 401) main().innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
    return;
  }
  const out = state.config.signInUrl ? ` · <a href="${esc(state.config.signInUrl.replace(/\/sign-in$/, '/sign-out'))}?next=${encodeURIComponent(location.origin + '/')}">Sign out</a>` : '';
  document.getElementById('who').innerHTML = `${esc(state.me.subject)} (${esc(state.me.roles.join(', '))})${out}`;
  window.addEventListener('hashchange', route);
  await route();
}

start();
