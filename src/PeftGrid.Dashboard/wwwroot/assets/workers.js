// Workers view (#/workers): every registered worker, its current cell, speed, heartbeat and lease expiries.
'use strict';
PG.views.workers = {
  mount(root) {
    const { el, fmt } = PG;
    const tbody = el('tbody');
    const meta = el('p', { id: 'workers-meta', class: 'muted' });
    root.append(el('h1', {}, 'Workers'), meta,
      el('table', { id: 'workers', class: 'grid-table' },
        el('thead', {}, el('tr', {},
          el('th', {}, 'Worker'), el('th', {}, 'Silo'), el('th', {}, 'Device'), el('th', {}, 'Current cell'),
          el('th', { class: 'num' }, 'Examples/s'), el('th', { class: 'num' }, 'Last heartbeat'), el('th', { class: 'num' }, 'Completed'),
          el('th', { class: 'num', title: 'leases it lost by missing heartbeats' }, 'Lease expiries'), el('th', {}, 'Note'))),
        tbody));

    return {
      async refresh() {
        const list = await PG.api('workers');
        const live = list.filter(w => w.live).length;
        meta.textContent = `${live} live of ${list.length} registered workers.`;
        meta.dataset.live = live;
        // Relative times change every poll: rebuild the rows (50 rows at most in practice, no flicker with one replace).
        tbody.replaceChildren(...(list.length ? list.map(w => el('tr', { dataset: { workerId: w.workerId, live: w.live }, class: w.live ? '' : 'dead' },
          el('td', { class: 'mono' }, el('span', { class: 'dot ' + (w.live ? 'on' : 'off'), title: w.live ? 'live' : 'not heard from for a minute' }), w.workerId),
          el('td', {}, w.silo), el('td', {}, w.device),
          el('td', { class: 'mono' }, w.currentCell ? el('a', { href: '#/cell/' + encodeURIComponent(w.currentCell) }, w.currentCell) : el('span', { class: 'muted' }, 'idle'),
            w.running && w.running.length > 1 ? el('span', { class: 'sub' }, ` +${w.running.length - 1} leased`) : null),
          el('td', { class: 'num' }, w.examplesPerSecond ? fmt.int(w.examplesPerSecond) : '—'),
          el('td', { class: 'num', title: w.lastHeartbeatUtc || w.lastSeenUtc || '' }, fmt.ago(w.lastHeartbeatUtc || w.lastSeenUtc)),
          el('td', { class: 'num' }, fmt.int(w.completed ?? w.accepted)),
          el('td', { class: 'num' + (w.leaseExpiries ? ' warn' : '') }, fmt.int(w.leaseExpiries)),
          el('td', { class: 'warn' }, w.unavailable || '')))
          : [el('tr', { class: 'empty' }, el('td', { colspan: 9 }, 'No workers registered.'))]));
      },
    };
  },
};
