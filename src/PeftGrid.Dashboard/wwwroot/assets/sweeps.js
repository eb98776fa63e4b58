// Sweeps view (#/): every sweep with its progress by status, ETA and compute, and a row per budget tier under it.
'use strict';
PG.views.sweeps = {
  mount(root) {
    const { el, fmt } = PG;
    const tbody = el('tbody');
    const empty = el('p', { class: 'muted', hidden: true }, 'No sweeps yet. Submit one with ', el('code', {}, 'peftgrid sweep submit'), '.');
    root.append(
      el('h1', {}, 'Sweeps'),
      el('table', { id: 'sweeps', class: 'grid-table' },
        el('thead', {}, el('tr', {},
          el('th', {}, 'Sweep'), el('th', {}, 'Submitted'), el('th', { class: 'wide' }, 'Cells'),
          el('th', { class: 'num' }, 'ETA'), el('th', { class: 'num', title: 'wall time of every attempt so far' }, 'Compute spent'),
          el('th', { class: 'num', title: 'pending and running cells × mean cell time' }, 'Compute to go'))),
        tbody),
      empty);

    const eta = s => (s.isCancelled ? 'cancelled' : s.pending + s.running === 0 ? 'done'
      : s.etaSeconds === null || s.etaSeconds === undefined ? 'after 1st cell' : fmt.duration(s.etaSeconds));

    function rows(list) {
      return list.flatMap(s => {
        const main = el('tr', { class: 'sweep-row', dataset: { sweepId: s.sweepId } },
          el('td', {}, el('a', { href: '#/sweep/' + encodeURIComponent(s.sweepId) }, s.name || s.sweepId),
            el('div', { class: 'sub mono' }, s.sweepId),
            (s.boards || []).map(b => el('a', { class: 'sub board-link', href: '#/board/' + encodeURIComponent(b), title: 'leaderboard' }, '▦ ' + b + ' '))),
          el('td', {}, fmt.date(s.submittedAtUtc)),
          el('td', {}, PG.statusBar(s), PG.statusCounts(s),
            s.waiting && s.waiting.length ? el('div', { class: 'warn' }, s.waiting.map(w => `waiting: ${w.cells} cells: ${w.reason}`).join('; ')) : null),
          el('td', { class: 'num eta' }, eta(s)),
          el('td', { class: 'num' }, fmt.duration(s.computeSeconds)),
          el('td', { class: 'num' }, s.remainingComputeSeconds === null || s.remainingComputeSeconds === undefined || s.pending + s.running === 0 ? '—' : fmt.duration(s.remainingComputeSeconds)));
        const tiers = (s.tiers || []).map(t => el('tr', { class: 'tier-row', dataset: { sweepId: s.sweepId, tier: t.label } },
          el('td', { class: 'tier-label' }, 'tier ', el('b', {}, t.label)),
          el('td', {}),
          el('td', {}, PG.statusBar(t), PG.statusCounts(t)),
          el('td', {}), el('td', {}), el('td', {})));
        return [main, ...tiers];
      });
    }

    return {
      async refresh() {
        const list = await PG.api('sweeps');
        list.sort((a, b) => Date.parse(b.submittedAtUtc) - Date.parse(a.submittedAtUtc));
        empty.hidden = list.length > 0;
        PG.swap(tbody, JSON.stringify(list), () => rows(list));
      },
    };
  },
};
