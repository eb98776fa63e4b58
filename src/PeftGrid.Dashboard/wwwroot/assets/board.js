// Leaderboard view (#/board/{task|model}?tier=label): a tab per budget tier with mean ± std over seeds and Pareto
// markers, and the score-vs-% parameters plot of every tier (log x), the selected tier's markers highlighted.
'use strict';
PG.views.board = {
  mount(root, [key], query) {
    const { el, fmt } = PG;
    // Mean ± sample std over seeds; one seed has no spread to show (the CLI prints just the score there too).
    const meanStd = r => (r.seeds > 1 ? `${fmt.score(r.mean)} ± ${fmt.score(r.std)}` : fmt.score(r.mean));
    const family = m => m.split('[')[0]; // lora-attn[r=2,alpha=4] -> lora-attn: one colour per method across tiers
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
    const list = el('ul', { id: 'boards' });
    root.append(el('div', { class: 'row' }, title, picker), meta, key ? tabs : list,
      el('div', { class: 'cols', hidden: !key },
        el('section', { class: 'board-table' }, el('table', { id: 'board', class: 'grid-table' }, el('thead', {}, el('tr', {},
          el('th', { class: 'num' }, '#'), el('th', {}, 'Method'), el('th', { class: 'num' }, 'Mean ± std'), el('th', { class: 'num' }, 'Seeds'),
          el('th', { class: 'num', title: 'paper-convention count as % of the model (hover a cell for the counts)' }, '% params'),
          el('th', { class: 'num' }, 'Train time'), el('th', { title: 'on the Pareto front of score vs % parameters (all tiers)' }, 'Pareto'))), tbody)),
        el('section', { class: 'plot-box' }, svg, legend)));

    const hover = (p, ev) => {
      if (!p) { tip.hidden = true; return; }
      tip.replaceChildren(el('b', {}, p.row.method), el('div', { class: 'mono' }, p.row.resolvedMethod),
        el('div', {}, `tier ${tierLabel(p.row.tier)} · ${view.metric} ${meanStd(p.row)} (${p.row.seeds} seed${p.row.seeds === 1 ? '' : 's'})`),
        el('div', {}, `${fmt.pct(p.row.percent)} of the model · ${fmt.int(p.row.paperCount)} params · rank ${p.row.rank}${p.row.pareto ? ' · Pareto' : ''}`));
      tip.hidden = false;
      tip.style.left = Math.min(ev.clientX + 14, innerWidth - tip.offsetWidth - 8) + 'px';
      tip.style.top = ev.clientY + 14 + 'px';
    };

    let colors = new Map();
    const colorOf = f => colors.get(f) || PG.plot.color(0);
    const wrapAtCommas = m => m.replace(/,/g, ',\u200b'); // lets lora-attn[r=49,alpha=98] wrap inside its brackets

    function render() {
      const tiers = view.tiers;
      colors = new Map([...new Set(tiers.flatMap(t => t.rows.map(r => family(r.method))))].sort().map((f, i) => [f, PG.plot.color(i)]));
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
        el('td', { class: 'method' }, el('span', { class: 'swatch', style: `background:${colorOf(family(r.method))}` }), el('span', { class: 'mono', title: `${r.resolvedMethod}\ntraining profile ${r.profile}` }, wrapAtCommas(r.method))),
        el('td', { class: 'num' }, meanStd(r), r.diverged ? el('div', { class: 'sub warn' }, `${r.diverged} diverged`) : null),
        el('td', { class: 'num' }, r.seeds),
        el('td', { class: 'num', title: `paper count ${fmt.int(r.paperCount)} · trainable ${fmt.int(r.trainableCount)}` }, fmt.pct(r.percent)),
        el('td', { class: 'num' }, fmt.duration(r.trainSeconds)),
        el('td', { class: 'pareto-mark' }, r.pareto ? '★' : ''))) : [el('tr', { class: 'empty' }, el('td', { colspan: 7 }, 'No finished cells in this tier yet.'))]));
      const all = tiers.flatMap(t => t.rows.map(r => ({ r, label: tierLabel(t.tier) })));
      const points = all.filter(({ r }) => r.seeds > 0).map(({ r, label }) => ({
        x: r.percent, y: PG.num(r.mean), err: PG.num(r.std) || 0, label: r.method, color: colorOf(family(r.method)), row: r,
        series: family(r.method), cls: label === selected ? 'current' : 'other', data: { tier: label, family: family(r.method) },
        title: `${r.method} · tier ${label} · ${meanStd(r)} · ${fmt.pct(r.percent)} params`,
      })).sort((a, b) => (a.cls === 'current') - (b.cls === 'current')); // the selected tier's markers on top
      const front = (view.pareto || []).map(r => ({ x: r.percent, y: PG.num(r.mean) }));
      PG.plot.scatter(svg, points, front, { x: 'parameters (% of the model, log scale)', y: view.metric, yFormat: v => fmt.score(v) }, hover);
      const families = [...new Set(all.map(({ r }) => family(r.method)))].sort();
      legend.replaceChildren(...families.map(m => el('span', { class: 'legend-item' }, el('span', { class: 'swatch', style: `background:${colorOf(m)}` }), m)),
        el('span', { class: 'legend-item' }, el('span', { class: 'key pareto' }), 'Pareto front'));
    }

    return {
      async refresh() {
        const boards = await PG.api('boards');
        PG.swap(picker, JSON.stringify(boards) + key, () => [el('option', { value: '' }, 'choose a leaderboard…'),
          ...boards.map(b => el('option', { value: b.key, selected: b.key === key }, `${b.task} · ${b.model}`))]);
        if (!key) {
          meta.textContent = boards.length ? `${boards.length} leaderboards:` : 'No leaderboards yet: they appear when a cell finishes.';
          PG.swap(list, JSON.stringify(boards), () => boards.map(b => el('li', {}, el('a', { href: '#/board/' + encodeURIComponent(b.key) }, `${b.task} · ${b.model}`))));
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
