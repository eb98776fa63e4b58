// SVG plots: scales, ticks, axes, the training curve (loss + dev metric on a second axis) and the score-vs-% parameters
// scatter (log x). Plain SVG elements, so tests can count path points and circle.marker elements.
'use strict';
PG.plot = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 640, H = 300, M = { l: 64, r: 60, t: 14, b: 40 };

  function s(tag, attrs, ...children) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) e.setAttribute(k, v);
    for (const c of children) if (c) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }

  function extent(values, pad = 0.05) {
    const v = values.filter(Number.isFinite);
    if (!v.length) return [0, 1];
    let lo = Math.min(...v), hi = Math.max(...v);
    if (lo === hi) { lo -= Math.abs(lo) * 0.1 || 0.5; hi += Math.abs(hi) * 0.1 || 0.5; }
    const p = (hi - lo) * pad;
    return [lo - p, hi + p];
  }

  const linear = (d, r) => Object.assign(x => r[0] + ((x - d[0]) / (d[1] - d[0])) * (r[1] - r[0]), { domain: d });
  const log10 = (d, r) => Object.assign(x => r[0] + ((Math.log10(x) - Math.log10(d[0])) / (Math.log10(d[1]) - Math.log10(d[0]))) * (r[1] - r[0]), { domain: d, log: true });

  function niceTicks([lo, hi], n = 5) {
    const step0 = (hi - lo) / n, mag = 10 ** Math.floor(Math.log10(step0));
    const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(x => x >= step0) || step0;
    const out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toPrecision(12));
    return out;
  }
  const logTicks = ([lo, hi]) => {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) { const t = m * 10 ** e; if (t >= lo && t <= hi) out.push(+t.toPrecision(6)); }
    }
    return out;
  };
  const tickText = t => (Math.abs(t) >= 1000 ? t.toExponential(0) : String(+t.toPrecision(4)));

  /** Axes with grid lines: x at the bottom, y on the left (and y2 on the right when given). */
  function axes(g, x, y, labels, y2) {
    const xt = x.log ? logTicks(x.domain) : niceTicks(x.domain, 6);
    for (const t of xt) {
      g.append(s('line', { class: 'grid', x1: x(t), x2: x(t), y1: M.t, y2: H - M.b }));
      g.append(s('text', { class: 'tick', x: x(t), y: H - M.b + 16, 'text-anchor': 'middle' }, tickText(t) + (labels.xSuffix || '')));
    }
    for (const t of niceTicks(y.domain)) {
      g.append(s('line', { class: 'grid', x1: M.l, x2: W - M.r, y1: y(t), y2: y(t) }));
      g.append(s('text', { class: 'tick', x: M.l - 6, y: y(t) + 4, 'text-anchor': 'end' }, labels.yFormat ? labels.yFormat(t) : tickText(t)));
    }
    if (y2) {
      for (const t of niceTicks(y2.domain)) {
        g.append(s('text', { class: 'tick y2', x: W - M.r + 6, y: y2(t) + 4 }, labels.y2Format ? labels.y2Format(t) : tickText(t)));
      }
      g.append(s('text', { class: 'label y2', transform: `translate(${W - 12},${(M.t + H - M.b) / 2}) rotate(90)`, 'text-anchor': 'middle' }, labels.y2));
    }
    g.append(s('rect', { class: 'frame', x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b }));
    g.append(s('text', { class: 'label', x: (M.l + W - M.r) / 2, y: H - 6, 'text-anchor': 'middle' }, labels.x));
    g.append(s('text', { class: 'label', transform: `translate(14,${(M.t + H - M.b) / 2}) rotate(-90)`, 'text-anchor': 'middle' }, labels.y));
  }

  const svgRoot = (id, cls) => s('svg', { id, class: 'plot ' + (cls || ''), viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'xMidYMid meet' });

  /**
   * Draws a training curve into `svg` (replacing its content): a path.loss-line of the loss points (x = step) and
   * circle.eval-point per dev-metric evaluation, on the right axis (an eval `loss` shares the left axis); x spans at least
   * `totalSteps` (the whole run, for a live curve).
   */
  function curve(svg, loss, evals, totalSteps) {
    svg.replaceChildren();
    const steps = loss.map(p => p.step).concat(evals.map(p => p.step), [totalSteps || 0]);
    const x = linear([0, Math.max(1, ...steps.filter(Number.isFinite))], [M.l, W - M.r]);
    const evalLoss = evals.filter(p => p.name === 'loss'), evalMetric = evals.filter(p => p.name !== 'loss');
    const y = linear(extent(loss.map(p => PG.num(p.value)).concat(evalLoss.map(p => PG.num(p.value)))), [H - M.b, M.t]);
    const metricName = evalMetric.length ? evalMetric[0].name : null;
    const y2 = metricName ? linear(extent(evalMetric.map(p => PG.num(p.value)), 0.15), [H - M.b, M.t]) : null;
    axes(svg, x, y, { x: 'optimizer step', y: 'training loss', y2: metricName ? 'dev ' + metricName : '' }, y2);
    const pts = loss.filter(p => Number.isFinite(PG.num(p.value)));
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.step).toFixed(1)},${y(PG.num(p.value)).toFixed(1)}`).join('');
    svg.append(s('path', { class: 'loss-line', d: d || null, 'data-points': pts.length }));
    for (const p of evalLoss) {
      svg.append(s('rect', { class: 'eval-loss', x: x(p.step) - 4, y: y(PG.num(p.value)) - 4, width: 8, height: 8 },
        s('title', {}, `dev loss ${PG.num(p.value).toFixed(4)} at step ${p.step} (epoch ${p.epoch})`)));
    }
    for (const p of evalMetric.filter(p => Number.isFinite(PG.num(p.value)))) {
      svg.append(s('circle', { class: 'eval-point', cx: x(p.step), cy: y2(PG.num(p.value)), r: 5, 'data-name': p.name },
        s('title', {}, `dev ${p.name} ${PG.fmt.score(p.value)} at step ${p.step} (epoch ${p.epoch})`)));
    }
    svg.dataset.points = pts.length;
    svg.dataset.evals = evalMetric.length;
  }

  /**
   * Score vs % parameters (log x), like the paper's Figures 2 and 4. `points`: [{ x, y, err, label, title, cls, color, series, data }];
   * each becomes a circle.marker (plus an error bar); `front`: points of the Pareto front, joined by a polyline.pareto.
   */
  function scatter(svg, points, front, labels, onHover) {
    svg.replaceChildren();
    const xs = points.map(p => p.x).filter(v => v > 0);
    const lo = xs.length ? Math.min(...xs) : 0.01, hi = xs.length ? Math.max(...xs) : 100;
    const x = log10([lo / 1.6, hi * 1.6], [M.l, W - M.r]);
    const y = linear(extent(points.flatMap(p => [p.y - (p.err || 0), p.y + (p.err || 0)]), 0.1), [H - M.b, M.t]);
    axes(svg, x, y, { x: labels.x, y: labels.y, xSuffix: '%', yFormat: labels.yFormat });
    const f = front.filter(p => p.x > 0 && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    if (f.length > 1) svg.append(s('polyline', { class: 'pareto', points: f.map(p => `${x(p.x)},${y(p.y)}`).join(' ') }));
    // Points of one series (e.g. a method across budget tiers) joined by a thin line of its colour.
    const series = new Map();
    for (const p of points) if (p.series && p.x > 0 && Number.isFinite(p.y)) series.set(p.series, [...(series.get(p.series) || []), p]);
    for (const [name, ps] of series) {
      if (ps.length < 2) continue;
      ps.sort((a, b) => a.x - b.x);
      svg.append(s('polyline', { class: 'series', stroke: ps[0].color, 'data-series': name, points: ps.map(p => `${x(p.x)},${y(p.y)}`).join(' ') }));
    }
    const drawn = points.filter(p => p.x > 0 && Number.isFinite(p.y));
    // Error bars first, then the markers in the given order (later ones on top), so no bar covers a marker.
    for (const p of drawn) {
      if (p.err > 0) svg.append(s('line', { class: 'errbar', x1: x(p.x), x2: x(p.x), y1: y(p.y - p.err), y2: y(p.y + p.err), stroke: p.color }));
    }
    for (const p of drawn) {
      const c = s('circle', { class: 'marker ' + (p.cls || ''), cx: x(p.x), cy: y(p.y), r: 6, fill: p.color, 'data-method': p.label }, s('title', {}, p.title));
      Object.assign(c.dataset, p.data || {});
      if (onHover) {
        c.addEventListener('mouseenter', ev => onHover(p, ev));
        c.addEventListener('mouseleave', () => onHover(null));
      }
      svg.append(c);
    }
  }

  // Tableau 10: distinguishable categorical colours.
  const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  /** Colour of the i-th series; past the palette, a hue from the golden angle. */
  const color = i => (i < PALETTE.length ? PALETTE[i] : `hsl(${(i * 137.5) % 360} 55% 45%)`);

  return { s, svgRoot, curve, scatter, color };
})();
