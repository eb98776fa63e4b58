// Sweep view (#/sweep/{id}?filters): counts, actions, and the cells table, paged, sorted and filtered on the server.
'use strict';
PG.views.sweep = {
  mount(root, [sweepId], query) {
    const { el, fmt } = PG;
    const PAGE = 50;
    const FILTERS = ['task', 'model', 'method', 'tier', 'seed', 'status'];
    const COLS = [ // [label, sort name or null, class]
      ['Task', 'task'], ['Model', 'model'], ['Method', 'method'], ['Tier', 'tier'], ['Seed', 'seed', 'num'], ['Status', 'status'],
      ['Attempts', 'attempts', 'num'], ['Worker', 'worker'], ['Duration', 'duration', 'num'], ['Metric', 'score', 'num'], ['Failure reason', null]];
    const state = {
      sort: query.get('sort') || 'order', desc: query.get('desc') === '1', page: Math.max(0, +query.get('page') || 0),
      q: query.get('q') || '', f: Object.fromEntries(FILTERS.map(k => [k, query.get(k) || ''])),
    };
    const enc = encodeURIComponent(sweepId);

    const title = el('h1', {}, sweepId);
    const summary = el('div', { id: 'summary', class: 'summary' });
    const flash = el('span', { class: 'flash', role: 'status' });
    const actions = el('div', { class: 'actions' },
      PG.actionButton('Cancel sweep', 'cancel', async () => {
        if (!confirm(`Cancel sweep ${sweepId}? Pending cells are dropped and running ones stopped.`)) return '';
        const s = await PG.api(`sweeps/${enc}/cancel`, { method: 'POST' });
        return `Cancelled: ${s.cancelled} cells.`;
      }, flash),
      PG.actionButton('Rerun failed', 'rerun', async () => {
        const r = await PG.api(`sweeps/${enc}/retry?failed=true`, { method: 'POST' });
        return `Queued again: ${r.failed} failed cells.`;
      }, flash),
      flash);
    const selects = Object.fromEntries(FILTERS.map(k => [k, el('select', { id: 'filter-' + k, 'aria-label': k, dataset: { filter: k } })]));
    const text = el('input', { id: 'filter-q', type: 'search', placeholder: 'search id, method, worker, error', value: state.q });
    const head = el('tr', {}, COLS.map(([label, sort, cls]) => el('th', {
      class: [cls, sort ? 'sortable' : ''].join(' '), dataset: sort ? { sort } : {}, tabindex: sort ? 0 : null,
      'aria-sort': 'none', onclick: () => sort && setSort(sort), onkeydown: e => sort && e.key === 'Enter' && setSort(sort),
    }, label)));
    const tbody = el('tbody');
    const pager = el('div', { class: 'pager' });
    const info = el('span', { id: 'matched', class: 'muted' });
    const prev = el('button', { type: 'button', id: 'prev', onclick: () => go(state.page - 1) }, '‹ Prev');
    const next = el('button', { type: 'button', id: 'next', onclick: () => go(state.page + 1) }, 'Next ›');
    pager.append(prev, info, next);
    root.append(el('p', { class: 'crumbs' }, el('a', { href: '#/' }, 'Sweeps'), ' / ', sweepId), title, summary, actions,
      el('div', { class: 'filters' }, Object.entries(selects).map(([k, s]) => el('label', {}, k, s)), el('label', { class: 'grow' }, 'text', text)),
      el('div', { class: 'table-wrap' }, el('table', { id: 'cells', class: 'grid-table cells' }, el('thead', {}, head), tbody)), pager);

    for (const [k, s] of Object.entries(selects)) s.addEventListener('change', () => { state.f[k] = s.value; go(0); });
    let typing = 0;
    text.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => { state.q = text.value.trim(); go(0); }, 300); });
    tbody.addEventListener('click', e => {
      const tr = e.target.closest('tr[data-cell-id]');
      if (tr && !e.target.closest('a')) location.hash = '#/cell/' + encodeURIComponent(tr.dataset.cellId);
    });

    function setSort(sort) {
      state.desc = state.sort === sort ? !state.desc : sort === 'score' || sort === 'duration';
      state.sort = sort;
      go(0);
    }
    function go(page) {
      state.page = Math.max(0, page);
      const q = new URLSearchParams();
      if (state.sort !== 'order') q.set('sort', state.sort);
      if (state.desc) q.set('desc', '1');
      if (state.page) q.set('page', state.page);
      if (state.q) q.set('q', state.q);
      for (const k of FILTERS) if (state.f[k]) q.set(k, state.f[k]);
      PG.setQuery(q);
      PG.refreshNow();
    }
    function cellsQuery() {
      const q = new URLSearchParams({ offset: state.page * PAGE, limit: PAGE, sort: state.sort, desc: state.desc });
      for (const k of FILTERS) if (state.f[k]) q.set(k, state.f[k]);
      if (state.q) q.set('q', state.q);
      return q;
    }
    function fillFacets(facets) {
      for (const k of FILTERS) {
        // Status facet values are enum names; the rows and the query use them lower-case (the API reads either).
        const values = ((facets && facets[k]) || []).map(v => (k === 'status' ? String(v).toLowerCase() : String(v)));
        PG.swap(selects[k], values.join('\n') + '|' + state.f[k], () => [el('option', { value: '' }, 'all'),
          ...values.map(v => el('option', { value: v, selected: v === state.f[k] }, v)),
          state.f[k] && !values.includes(state.f[k]) ? el('option', { value: state.f[k], selected: true }, state.f[k]) : null].filter(Boolean));
      }
    }
    function row(c) {
      const sp = c.spec;
      return el('tr', { dataset: { cellId: c.cellId, status: c.status }, class: 'row-' + c.status, title: c.cellId },
        el('td', {}, sp.task), el('td', {}, sp.model), el('td', { class: 'mono' }, sp.method),
        el('td', {}, sp.budgetPercent === null || sp.budgetPercent === undefined ? 'explicit' : fmt.pct(sp.budgetPercent)),
        el('td', { class: 'num' }, sp.seed),
        el('td', {}, el('span', { class: 'pill s-' + c.status }, c.status), c.waiting ? el('div', { class: 'sub warn' }, c.waiting) : null),
        el('td', { class: 'num' }, c.attempts + (c.run > 1 ? ` (run ${c.run})` : '') + (c.interruptions ? ` ⟲${c.interruptions}` : '')),
        el('td', { class: 'mono' }, c.worker || '—'),
        el('td', { class: 'num' }, c.seconds ? fmt.duration(c.seconds) : '—'),
        el('td', { class: 'num', title: c.metric || '' }, c.score === null || c.score === undefined ? '—' : fmt.score(c.score)),
        el('td', { class: 'reason' }, c.error || ''));
    }

    return {
      async refresh() {
        const [s, page] = await Promise.all([PG.api(`sweeps/${enc}`), PG.api(`sweeps/${enc}/cells?${cellsQuery()}`)]);
        title.textContent = s.name || s.sweepId;
        document.title = `${s.name || s.sweepId} · PeftGrid`;
        const eta = s.pending + s.running === 0 ? 'complete' : s.etaSeconds === null || s.etaSeconds === undefined ? 'ETA after the first cell' : 'ETA ' + fmt.duration(s.etaSeconds);
        PG.swap(summary, JSON.stringify(s), () => [PG.statusBar(s), PG.statusCounts(s),
          el('div', { class: 'meta' },
            el('span', { id: 'eta' }, eta), ' · ', `${fmt.duration(s.computeSeconds)} compute spent`,
            s.remainingComputeSeconds !== null && s.remainingComputeSeconds !== undefined ? ` · ${fmt.duration(s.remainingComputeSeconds)} to go` : '',
            ` · ${s.workers} live worker${s.workers === 1 ? '' : 's'} · submitted ${fmt.date(s.submittedAtUtc)}`,
            s.isCancelled ? el('b', { class: 'warn' }, ' · cancelled') : '',
            s.boards && s.boards.length ? el('span', {}, ' · leaderboards: ', s.boards.map(b => el('a', { href: '#/board/' + encodeURIComponent(b), class: 'board-link' }, b + ' '))) : '')]);
        fillFacets(page.facets);
        head.querySelectorAll('th[data-sort]').forEach(th => {
          const on = th.dataset.sort === state.sort;
          th.classList.toggle('sorted', on);
          th.setAttribute('aria-sort', on ? (state.desc ? 'descending' : 'ascending') : 'none');
        });
        PG.swap(tbody, JSON.stringify(page.rows), () => page.rows.length ? page.rows.map(row)
          : el('tr', { class: 'empty' }, el('td', { colspan: COLS.length }, 'No cells match.')));
        const from = page.matched ? page.offset + 1 : 0, to = page.offset + page.rows.length;
        info.textContent = `${fmt.int(from)}–${fmt.int(to)} of ${fmt.int(page.matched)}` + (page.matched !== page.total ? ` (filtered from ${fmt.int(page.total)})` : '');
        info.dataset.matched = page.matched;
        prev.disabled = state.page === 0;
        next.disabled = to >= page.matched;
      },
      error(e) { if (e.status === 404) summary.replaceChildren(PG.errorBox(e)); },
    };
  },
};
