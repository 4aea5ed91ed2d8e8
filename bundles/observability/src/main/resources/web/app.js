// The web view of a running flow: draws /dataflow once, then reads /status every second.
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const BOX_W = 210, BOX_H = 54, GAP_X = 40, GAP_Y = 26;
  const rates = {};   // step id -> the text element showing its items per second
  const totals = {};  // step id -> the text element showing its items so far

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function short(id, flow) {
    const s = id.startsWith(flow + '.') ? id.substring(flow.length + 1) : id;
    return s.length > 30 ? '…' + s.substring(s.length - 29) : s;
  }

  // Columns by longest path from the inputs; rows in plan order.
  function draw(plan) {
    document.getElementById('flow').textContent = 'flow ' + plan.flow;
    const writer = {};
    plan.steps.forEach(s => s.downs.forEach(d => { writer[d] = s.id; }));
    const depth = {};
    plan.steps.forEach(s => {
      let d = 0;
      s.ups.forEach(u => { if (writer[u] !== undefined) d = Math.max(d, depth[writer[u]] + 1); });
      depth[s.id] = d;
    });
    const rows = {};
    const pos = {};
    plan.steps.forEach(s => {
      const c = depth[s.id];
      const r = rows[c] = (rows[c] || 0) + 1;
      pos[s.id] = {x: 10 + c * (BOX_W + GAP_X), y: 10 + (r - 1) * (BOX_H + GAP_Y)};
    });
    const svg = document.getElementById('graph');
    const cols = Math.max(...Object.values(depth)) + 1;
    const maxRows = Math.max(...Object.values(rows));
    svg.setAttribute('height', 20 + maxRows * (BOX_H + GAP_Y));
    svg.setAttribute('viewBox', '0 0 ' + (20 + cols * (BOX_W + GAP_X)) + ' ' + (20 + maxRows * (BOX_H + GAP_Y)));
    const defs = el('defs', {}, svg);
    const marker = el('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto'}, defs);
    el('path', {d: 'M0,0 L10,5 L0,10 z', fill: '#888'}, marker);
    plan.steps.forEach(s => s.ups.forEach(u => {
      const from = pos[writer[u]], to = pos[s.id];
      if (!from) return;
      el('path', {class: 'edge', d: 'M' + (from.x + BOX_W) + ',' + (from.y + BOX_H / 2) + ' L' + to.x + ',' + (to.y + BOX_H / 2)}, svg);
    }));
    plan.steps.forEach(s => {
      const p = pos[s.id];
      const g = el('g', {class: 'step', 'data-step': s.id, transform: 'translate(' + p.x + ',' + p.y + ')'}, svg);
      el('rect', {width: BOX_W, height: BOX_H}, g);
      el('text', {x: 8, y: 16}, g).textContent = short(s.id, plan.flow);
      el('text', {x: 8, y: 32, fill: '#666'}, g).textContent = s.kind;
      rates[s.id] = el('text', {x: 8, y: 48, class: 'rate'}, g);
      rates[s.id].textContent = '– items/s';
      totals[s.id] = el('text', {x: BOX_W - 8, y: 48, 'text-anchor': 'end', fill: '#666'}, g);
    });
  }

  function fill(table, rows) {
    const body = document.querySelector('#' + table + ' tbody');
    body.replaceChildren(...rows.map(cells => {
      const tr = document.createElement('tr');
      cells.forEach(c => { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); });
      return tr;
    }));
  }

  function show(st) {
    const state = document.getElementById('state');
    state.className = 'state ' + st.state;
    state.textContent = st.state === 'running' ? 'running'
      : st.state === 'swapping' ? 'swapping: ' + (st.swap || 'a bundle it uses is being updated')
      : st.state === 'failed' ? 'FAILED: ' + (st.failure || 'the flow failed')
      : st.state === 'stopped' ? 'the flow was stopped' : 'the flow has ended';
    // The last swap's outcome stays in view once the run is back (the state line shows a swap in progress).
    document.getElementById('swap').textContent = st.swap && st.state !== 'swapping' ? 'last swap: ' + st.swap : '';
    document.getElementById('summary').textContent = 'epoch ' + st.epoch + ' · up ' + st.uptimeSeconds + ' s · '
      + st.workerCount + ' worker(s) on process ' + st.process + ' · lag ' + st.lag;
    st.steps.forEach(s => {
      if (!rates[s.id]) return;
      const rate = s.inPerSecond > 0 || s.outPerSecond === 0 ? s.inPerSecond : s.outPerSecond;
      rates[s.id].textContent = rate + ' items/s';
      totals[s.id].textContent = Math.max(s.itemsIn, s.itemsOut) + ' items';
    });
    fill('workers', st.workers.map(w => [w.worker, w.epoch, w.frontier === 9223372036854775807 ? 'done' : w.frontier, w.inbox, w.backpressureSeconds]));
    fill('lags', st.lags.map(l => [l.step, l.partition, l.worker, l.lag]));
  }

  function gone() {
    const state = document.getElementById('state');
    if (state.classList.contains('ended') || state.classList.contains('failed') || state.classList.contains('stopped')) return;
    state.className = 'state gone';
    state.textContent = 'the flow\'s process no longer answers: it has ended or stopped';
  }

  async function tick() {
    try {
      const r = await fetch('status', {cache: 'no-store'});
      if (r.ok) show(await r.json()); else gone();
    } catch (e) {
      gone();
    }
  }

  fetch('dataflow', {cache: 'no-store'}).then(r => r.json()).then(plan => {
    draw(plan);
    tick();
    setInterval(tick, 1000);
  }).catch(gone);
})();
