// PeftGrid dashboard: router, API access, polling and the small DOM helpers every view uses.
// Views register in PG.views: { mount(root, params, query) -> { refresh(): Promise, unmount?() } }.
'use strict';
const PG = (() => {
  const POLL_MS = 2000;
  const TOKEN_KEY = 'peftgrid.token';
  const STATUSES = ['succeeded', 'diverged', 'failed', 'cancelled', 'running', 'pending'];
  const views = {};
  let config = { readOnly: true, version: '' };
  let current = null; // { name, view, timer, busy }

  /** Element builder: el('td', { class: 'x', dataset: { id } , onclick }, child, 'text', ...). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  /** GET or POST a JSON API route (relative to the page, so the path base is kept); throws Error(message) on non-2xx. */
  async function api(path, options = {}) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    const res = await fetch('api/' + path, { method: options.method || 'GET', headers, cache: 'no-store' });
    const text = await res.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = null; }
    if (!res.ok) {
      const err = new Error((body && body.error) || `${res.status} ${res.statusText}`);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  const num = v => (typeof v === 'number' ? v : v === null || v === undefined ? NaN : Number(v));
  const fmt = {
    int: v => (Number.isFinite(num(v)) ? Math.round(num(v)).toLocaleString('en-US') : '—'),
    score: v => (Number.isFinite(num(v)) ? (Math.abs(num(v)) <= 1 ? (100 * num(v)).toFixed(2) : num(v).toFixed(2)) : '—'),
    pct: v => (Number.isFinite(num(v)) ? (num(v) < 0.01 ? num(v).toPrecision(2) : +num(v).toFixed(3)) + '%' : '—'),
    duration(s) {
      s = num(s);
      if (!Number.isFinite(s)) return '—';
      if (s < 1) return (s * 1000).toFixed(0) + ' ms';
      if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
      const m = Math.floor(s / 60), h = Math.floor(m / 60), d = Math.floor(h / 24);
      if (d) return `${d} d ${h % 24} h`;
      if (h) return `${h} h ${m % 60} min`;
      return `${m} min ${Math.round(s % 60)} s`;
    },
    ago(iso) {
      if (!iso) return '—';
      const s = (Date.now() - Date.parse(iso)) / 1000;
      return s < 2 ? 'now' : fmt.duration(Math.max(0, s)) + ' ago';
    },
    date: iso => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—'),
  };

  /** Stacked status bar for an object with pending/running/succeeded/failed/diverged/cancelled/total counts. */
  function statusBar(c) {
    const total = Math.max(1, c.total || 0);
    const bar = el('div', { class: 'bar', role: 'img', 'aria-label': STATUSES.map(s => `${c[s] || 0} ${s}`).join(', ') });
    for (const s of STATUSES) {
      if (c[s]) bar.append(el('span', { class: 'seg s-' + s, style: `width:${(100 * c[s]) / total}%`, title: `${c[s]} ${s}` }));
    }
    return bar;
  }

  /** Counts as badges; each has data-status and data-count for tests and scripts. */
  function statusCounts(c) {
    const done = (c.succeeded || 0) + (c.diverged || 0) + (c.failed || 0) + (c.cancelled || 0);
    return el('span', { class: 'counts' },
      el('span', { class: 'count done', dataset: { status: 'done', count: done } }, `${fmt.int(done)} / ${fmt.int(c.total)} done`),
      STATUSES.filter(s => c[s]).map(s => el('span', { class: 'count s-' + s, dataset: { status: s, count: c[s] } }, `${fmt.int(c[s])} ${s}`)));
  }

  /** Replaces a node's children only when the rendered key changed (no flicker on identical polls). */
  function swap(node, key, build) {
    if (node.dataset.key === key) return false;
    node.dataset.key = key;
    node.replaceChildren(...[build()].flat());
    return true;
  }

  function parseHash() {
    const h = location.hash.replace(/^#\/?/, '');
    const [path, qs] = h.split('?');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    return { parts, query: new URLSearchParams(qs || '') };
  }

  /** Rewrites the current hash's query without remounting the view (view state: filters, page, tab). */
  function setQuery(query) {
    const base = location.hash.split('?')[0] || '#/';
    const qs = query.toString();
    history.replaceState(null, '', base + (qs ? '?' + qs : ''));
  }

  function route() {
    if (current) {
      clearTimeout(current.timer);
      current.view.unmount && current.view.unmount();
      current = null;
    }
    const { parts, query } = parseHash();
    const name = { sweep: 'sweep', cell: 'cell', board: 'board', workers: 'workers' }[parts[0]] || 'sweeps';
    document.querySelectorAll('#nav a').forEach(a =>
      a.classList.toggle('active', a.dataset.nav === name || (a.dataset.nav === 'sweeps' && (name === 'sweep' || name === 'cell'))));
    const root = document.getElementById('view');
    root.replaceChildren();
    root.dataset.view = name;
    const view = views[name].mount(root, parts.slice(1), query);
    current = { name, view, timer: 0, busy: false, again: false };
    tick(current);
  }

  async function tick(c) {
    if (c !== current) return;
    clearTimeout(c.timer);
    if (c.busy) { c.again = true; return; } // a request is in flight: refresh again as soon as it ends (e.g. a filter changed)
    if (!document.hidden) {
      c.busy = true;
      const conn = document.getElementById('conn');
      try {
        await c.view.refresh();
        conn.textContent = 'live';
        conn.className = 'conn ok';
        conn.title = 'updated ' + new Date().toLocaleTimeString();
      } catch (e) {
        conn.textContent = e.status === 404 ? 'not found' : 'offline';
        conn.className = 'conn bad';
        conn.title = e.message;
        if (c.view.error) c.view.error(e);
      } finally {
        c.busy = false;
      }
    }
    if (c !== current) return;
    if (c.again) { c.again = false; return tick(c); }
    c.timer = setTimeout(() => tick(c), POLL_MS);
  }

  /** Refresh the visible view now (after an action or a filter change). */
  const refreshNow = () => current && tick(current);

  function setupAuth() {
    const input = document.getElementById('token');
    const mode = document.getElementById('mode');
    input.value = sessionStorage.getItem(TOKEN_KEY) || '';
    input.addEventListener('change', () => {
      const v = input.value.trim();
      if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY);
    });
    mode.textContent = config.readOnly ? 'read-only' : 'actions enabled';
    mode.className = 'mode ' + (config.readOnly ? 'ro' : 'rw');
    mode.title = config.readOnly
      ? 'No token is configured on the server (PeftGrid__Dashboard__Token or TokenFile): cancel and rerun are disabled.'
      : 'Cancel and rerun need the server token, entered here.';
    input.hidden = config.readOnly;
  }

  /** A button for a mutating action: disabled with a tooltip when read-only; runs act() and shows the outcome in `out`. */
  function actionButton(label, id, act, out) {
    const b = el('button', { id, type: 'button', class: 'action' }, label);
    if (config.readOnly) {
      b.disabled = true;
      b.title = 'Read-only dashboard: the server has no token configured (PeftGrid__Dashboard__Token).';
      return b;
    }
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        out.textContent = await act();
        out.className = 'flash ok';
      } catch (e) {
        out.textContent = e.status === 401 ? 'Not allowed: enter the dashboard token (top right).' : e.message;
        out.className = 'flash bad';
      } finally {
        b.disabled = false;
        refreshNow();
      }
    });
    return b;
  }

  /** Message shown in a view when its data cannot be loaded. */
  const errorBox = e => el('p', { class: 'error', role: 'alert' }, e.message);

  async function start() {
    try { config = await api('config'); } catch { /* offline at start: read-only until reload */ }
    setupAuth();
    window.addEventListener('hashchange', route);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) refreshNow(); });
    route();
  }

  document.addEventListener('DOMContentLoaded', start);
  return { views, el, api, fmt, num, statusBar, statusCounts, swap, setQuery, refreshNow, actionButton, errorBox, STATUSES, get config() { return config; } };
})();
