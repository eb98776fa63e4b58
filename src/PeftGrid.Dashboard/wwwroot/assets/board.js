// Leaderboard view (#/board/{task|model}?tier=label): a tab per budget tier with mean ± std over seeds and Pareto
// markers, and the score-vs-% parameters plot of every tier (log x), the selected tier's markers highlighted.
'use strict';
PG.views.board = {
  mount(root, [key], query) {
    const { el, fmt } = PG;
    const tierLabel = t => (t === null || t === undefined ? 'explicit' : +(+t).toFixed(4) + '%');
    const picker = el('select', { id: 'board-picker', 'aria-label': 'leaderboard', onchange: () => { location.hash = '#/board/' + encodeURIComponent(picker.value); } });
    const title = el('h1', {}, key ? key.replace('|', ' · ') : 'Leaderboards');
    const meta = el('p', { id: 'board-meta', class: 'muted' });
    const tabs = el('div', { id: 'tiers', class: 'tabs', role: 'tablist' });
    const tbody = el('tbody');
    const svg = PG.plot.svgRoot('board-plot', 'scatter');
    const legend = el('div', { id: 'plot-legend', class: 'legend' });
    const tip = document.getElementById('tooltip');
    let selected = query.get('tier');
    let view = null;
    root.append(el('div', { class: 'row' }, title, picker), meta, tabs,
      el('div', { class: 'cols' },
        el('section', { class: 'grow' }, el('table', { id: 'board', class: 'grid-table' }, el('thead', {}, el('tr', {},
          el('th', { class: 'num' }, '#'), el('th', {}, 'Method'), el('th', { class: 'num' }, 'Mean ± std'), el('th', { class: 'num' }, 'Seeds'),
          el('th', { class: 'num' }, '% params'), el('th', { class: 'num' }, 'Paper count'), el('th', { class: 'num' }, 'Trainable'),
          el('th', { class: 'num' }, 'Train time'), el('th', { title: 'on the Pareto front of score vs % parameters (all tiers)' }, 'Pareto'))), tbody)),
        el('section', { class: 'plot-box' }, svg, legend)));

    const hover = (p, ev) => {
      if (!p) { tip.hidden = true; return; }
      tip.replaceChildren(el('b', {}, p.row.method), el('div', { class: 'mono' }, p.row.resolvedMethod),
        el('div', {}, `tier ${tierLabel(p.row.tier)} · ${view.metric} ${fmt.score(p.row.mean)} ± ${fmt.score(p.row.std)} (${p.row.seeds} seeds)`),
        el('div', {}, `${fmt.pct(p.row.percent)} of the model · ${fmt.int(p.row.paperCount)} params · rank ${p.row.rank}${p.row.pareto ? ' · Pareto' : ''}`));
      tip.hidden = false;
      tip.style.left = Math.min(ev.clientX + 14, innerWidth - tip.offsetWidth - 8) + 'px';
      tip.style.top = ev.clientY + 14 + 'px';
    };

    function render() {
      const tiers = view.tiers;
      if (!tiers.some(t => tierLabel(t.tier) === selected)) selected = tiers.length ? tierLabel(tiers[0].tier) : null;
      tabs.replaceChildren(...tiers.map(t => {
        const label = tierLabel(t.tier);
        return el('button', { type: 'button', role: 'tab', class: 'tab' + (label === selected ? ' active' : ''), 'aria-selected': label === selected,
          dataset: { tier: label }, onclick: () => { selected = label; PG.setQuery(new URLSearchParams({ tier: label })); render(); } },
        label, el('span', { class: 'tab-count' }, t.rows.length));
      }));
      const tier = tiers.find(t => tierLabel(t.tier) === selected);
      const rows = tier ? tier.rows : [];
      tbody.replaceChildren(...(rows.length ? rows.map(r => el('tr', { dataset: { method: r.method, pareto: r.pareto }, class: r.pareto ? 'pareto-row' : '' },
        el('td', { class: 'num' }, r.rank || '—'),
        el('td', {}, el('span', { class: 'swatch', style: `background:${PG.plot.color(r.method)}` }), el('span', { class: 'mono', title: r.resolvedMethod }, r.method),
          r.profile ? el('div', { class: 'sub mono' }, r.profile) : null),
        el('td', { class: 'num' }, `${fmt.score(r.mean)} ± ${fmt.score(r.std)}`, r.diverged ? el('div', { class: 'sub warn' }, `${r.diverged} diverged`) : null),
        el('td', { class: 'num' }, r.seeds), el('td', { class: 'num' }, fmt.pct(r.percent)), el('td', { class: 'num' }, fmt.int(r.paperCount)),
        el('td', { class: 'num' }, fmt.int(r.trainableCount)), el('td', { class: 'num' }, fmt.duration(r.trainSeconds)),
        el('td', { class: 'pareto-mark' }, r.pareto ? '★' : ''))) : [el('tr', { class: 'empty' }, el('td', { colspan: 9 }, 'No finished cells in this tier yet.'))]));
      const all = tiers.flatMap(t => t.rows.map(r => ({ r, label: tierLabel(t.tier) })));
      const points = all.filter(({ r }) => r.seeds > 0).map(({ r, label }) => ({
        x: r.percent, y: PG.num(r.mean), err: PG.num(r.std) || 0, label: r.method, color: PG.plot.color(r.method), row: r,
        cls: label === selected ? 'current' : 'other', data: { tier: label },
        title: `${r.method} · tier ${label} · ${fmt.score(r.mean)} ± ${fmt.score(r.std)} · ${fmt.pct(r.percent)} params`,
      }));
      const front = (view.pareto || []).map(r => ({ x: r.percent, y: PG.num(r.mean) }));
      PG.plot.scatter(svg, points, front, { x: 'parameters (% of the model, log scale)', y: view.metric, yFormat: v => fmt.score(v) }, hover);
      const methods = [...new Set(all.map(({ r }) => r.method))];
      legend.replaceChildren(...methods.map(m => el('span', { class: 'legend-item' }, el('span', { class: 'swatch', style: `background:${PG.plot.color(m)}` }), m)),
        el('span', { class: 'legend-item' }, el('span', { class: 'key pareto' }), 'Pareto front'));
    }

    return {
      async refresh() {
        const boards = await PG.api('boards');
        PG.swap(picker, JSON.stringify(boards) + key, () => [el('option', { value: '' }, 'choose a leaderboard…'),
          ...boards.map(b => el('option', { value: b.key, selected: b.key === key }, `${b.task} · ${b.model}`))]);
        if (!key) {
          meta.textContent = boards.length ? `${boards.length} leaderboards.` : 'No leaderboards yet: they appear when a cell finishes.';
          if (boards.length === 1) location.hash = '#/board/' + encodeURIComponent(boards[0].key);
          return;
        }
        const v = await PG.api('boards/' + encodeURIComponent(key));
        const changed = JSON.stringify(v) !== JSON.stringify(view);
        view = v;
        meta.textContent = `${v.cells} cells · ranked by ${v.metric} (mean ± std over seeds) · ★ = Pareto front of score vs % parameters`;
        if (changed) render();
      },
    };
  },
};
