// Cell view (#/cell/{id}): spec, budget, status, the training curve (fetched incrementally with curve?from=N while the
// cell runs) and the result JSON.
'use strict';
PG.views.cell = {
  mount(root, [cellId]) {
    const { el, fmt } = PG;
    const enc = encodeURIComponent(cellId);
    const crumbs = el('p', { class: 'crumbs' }, el('a', { href: '#/' }, 'Sweeps'), ' / cell');
    const head = el('div', { id: 'cell-head' });
    const spec = el('dl', { id: 'spec', class: 'kv' });
    const budget = el('dl', { id: 'budget', class: 'kv' });
    const svg = PG.plot.svgRoot('curve', 'curve');
    const curveInfo = el('p', { id: 'curve-info', class: 'muted' }, 'No curve yet.');
    const resultPre = el('pre', { id: 'result-json', class: 'json' });
    const result = el('details', { id: 'result', open: true }, el('summary', {}, 'Result JSON'), resultPre);
    const history = el('div', { id: 'history' });
    const title = el('h1', {}, 'cell ', el('span', { class: 'mono' }, cellId));
    const devLossKey = el('span', { hidden: true }, el('span', { class: 'key evalloss' }), 'dev loss');
    root.append(crumbs, title, head,
      el('div', { class: 'cols' },
        el('section', { class: 'side' }, el('h2', {}, 'Spec'), spec, el('h2', {}, 'Budget'), budget),
        el('section', { class: 'grow' }, el('h2', {}, 'Training curve'), svg,
          el('p', { class: 'legend' }, el('span', { class: 'key loss' }), 'training loss per logging step ',
            el('span', { class: 'key eval' }), 'dev metric per evaluation (right axis) ', devLossKey),
          curveInfo)),
      history, result);

    const curve = { run: -1, attempt: -1, points: [], total: 0, live: true };
    let lastStatus = null;

    const tier = sp => (sp.budgetPercent === null || sp.budgetPercent === undefined ? 'explicit sizes' : fmt.pct(sp.budgetPercent));
    const kv = pairs => pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]);

    async function loadCurve() {
      const v = await PG.api(`cells/${enc}/curve?from=${curve.points.length}`);
      if (v.run !== curve.run || v.attempt !== curve.attempt || v.total < curve.points.length) {
        // A new run or attempt restarts the curve: fetch it from 0 next time round unless this answer already is from 0.
        const fresh = curve.points.length === 0;
        Object.assign(curve, { run: v.run, attempt: v.attempt, points: [] });
        if (!fresh) return loadCurve();
      }
      curve.points.push(...v.points);
      curve.total = v.total;
      curve.live = v.live;
      const loss = curve.points.filter(p => p.kind === 'loss'), evals = curve.points.filter(p => p.kind === 'evaluation');
      devLossKey.hidden = !evals.some(p => p.name === 'loss');
      // While it runs, the x axis spans the whole run (total steps), so the line visibly grows towards the right.
      PG.plot.curve(svg, loss, evals, v.live && v.progress ? v.progress.totalSteps : 0);
      const pr = v.progress;
      curveInfo.textContent = v.run === 0 ? 'No curve reported for this cell.'
        : `${v.live ? 'live' : 'final'} curve of run ${v.run}, attempt ${v.attempt}: ${loss.length} loss points, ${evals.length} evaluation point${evals.length === 1 ? '' : 's'}` +
          (pr ? ` · step ${fmt.int(pr.step)} / ${fmt.int(pr.totalSteps)}, loss ${PG.num(pr.loss).toFixed(4)}, ${fmt.int(pr.examplesPerSecond)} examples/s` : '') +
          (v.worker ? ` · ${v.worker}` : '') + (v.updatedAtUtc ? ` · updated ${fmt.ago(v.updatedAtUtc)}` : '');
      curveInfo.dataset.live = v.live;
    }

    return {
      async refresh() {
        const d = await PG.api(`cells/${enc}`);
        const c = d.cell, sp = d.spec || c.spec;
        document.title = `${sp.method} · ${sp.task} · PeftGrid`;
        PG.swap(title, JSON.stringify(sp), () => [sp.method, el('span', { class: 'sub' }, ` · ${sp.task} · ${sp.model} · ${tier(sp)} · seed ${sp.seed} · `),
          el('span', { class: 'sub mono' }, cellId)]);
        PG.swap(head, JSON.stringify(c), () => el('div', { class: 'summary' },
          el('span', { id: 'cell-status', class: 'pill s-' + c.status, dataset: { status: c.status } }, c.status),
          ` attempts ${c.attempts}`, c.run > 1 ? ` · run ${c.run}` : '', c.interruptions ? ` · ${c.interruptions} interruptions` : '',
          c.worker ? ` · worker ${c.worker}` : '', c.seconds ? ` · ${fmt.duration(c.seconds)}` : '',
          c.startedAtUtc ? ` · started ${fmt.date(c.startedAtUtc)}` : '', c.finishedAtUtc ? ` · finished ${fmt.date(c.finishedAtUtc)}` : '',
          c.score !== null && c.score !== undefined ? el('b', {}, ` · ${c.metric || 'score'} ${fmt.score(c.score)}`) : '',
          c.waiting ? el('div', { class: 'warn' }, 'waiting: ' + c.waiting) : '',
          c.error ? el('div', { id: 'cell-error', class: 'reason' }, c.error) : ''));
        PG.swap(spec, JSON.stringify(sp), () => kv([['task', sp.task], ['model', sp.model], ['method', el('code', {}, sp.method)],
            ['budget tier', tier(sp)], ['seed', sp.seed],
            ['profile', el('code', {}, Object.entries(sp.profile || {}).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`).join(' · '))],
            ['data', sp.data]]));
        const b = d.budget;
        PG.swap(budget, JSON.stringify(b), () => kv(b ? [['paper count', fmt.int(b.paperCount)], ['trainable', fmt.int(b.trainableCount)], ['model total', fmt.int(b.totalCount)], ['% of model', fmt.pct(b.percent)]]
          : [['budget', 'not solved yet']]));
        PG.swap(resultPre, JSON.stringify(d.result), () => d.result ? JSON.stringify(d.result, null, 2) : 'No result yet.');
        PG.swap(history, JSON.stringify(d.history || []), () => (d.history && d.history.length
          ? el('details', {}, el('summary', {}, `Run history (${d.history.length})`), el('pre', { class: 'json small' }, JSON.stringify(d.history, null, 2))) : []));
        // Poll the curve while the cell runs; once more after it finished (the accepted result's curve), then stop.
        if (c.status === 'running' || curve.live || lastStatus !== c.status) await loadCurve();
        lastStatus = c.status;
      },
    };
  },
};
