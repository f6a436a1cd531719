// dsim explore: the page's controls re-run the scenario through the
// server's knob table; the figures (gonum/plot's SVG) get the value of each
// line under the pointer and labels on their shaded windows. No library, no
// build step: the page works offline.
(function () {
  'use strict';
  const body = document.body;
  if (!body.classList.contains('page')) return;

  const name = body.dataset.scenario;
  const $ = (sel, el) => (el || document).querySelector(sel);
  const $$ = (sel, el) => Array.from((el || document).querySelectorAll(sel));
  const knobs = $$('.knob[data-widget]');
  const statusEl = $('#status');
  const progressEl = $('#progress');
  const pinBtn = $('#pin');

  let current = body.dataset.query; // the query of the run shown
  let inflight = false;
  let pending = null; // a query to send when the one in flight answers
  let timer = null;
  let reset = false; // the next answer resets every control (a new preset)
  let pinned = null; // {query, html}
  let retries = 0;
  let latest = null; // the query the controls last asked for

  // The text a control gives its knob.
  function valueOf(k) {
    const el = $('#k-' + k.dataset.flag);
    if (k.dataset.widget === 'switch') return el.checked ? 'on' : 'off';
    return el.value.trim();
  }

  // The query of what the controls say: the preset, the seed and every
  // knob that differs from the preset (an empty box keeps the preset's).
  function query(withKnobs) {
    const p = new URLSearchParams();
    const preset = $('#k-preset').value;
    if (preset) p.set('preset', preset);
    p.set('seed', $('#k-seed').value.trim());
    if (withKnobs) {
      for (const k of knobs) {
        const v = valueOf(k);
        if (v !== '' && v !== k.dataset.base) p.set(k.dataset.flag, v);
      }
    }
    return p.toString();
  }

  function schedule(q, delay) {
    clearTimeout(timer);
    timer = setTimeout(() => send(q), delay === undefined ? 120 : delay);
  }

  function changed() {
    retries = 0;
    latest = query(true);
    schedule(latest);
  }

  function send(q) {
    if (inflight) {
      pending = q;
      return;
    }
    inflight = true;
    fetch('/api/run/' + encodeURIComponent(name) + '?' + q)
      .then((r) => r.json())
      .then((a) => answer(a, q))
      .catch((err) => say('the explorer cannot be reached (' + err.message + ')', true))
      .finally(() => {
        inflight = false;
        if (pending !== null) {
          const p = pending;
          pending = null;
          send(p);
        }
      });
  }

  function say(text, bad) {
    statusEl.textContent = text || '';
    statusEl.classList.toggle('bad', !!bad);
  }

  function clearErrors() {
    $$('.err').forEach((e) => { e.textContent = ''; });
    $$('.knob.bad').forEach((k) => k.classList.remove('bad'));
    $('#general').textContent = '';
  }

  function answer(a, q) {
    clearErrors();
    if (a.status === 'invalid') {
      for (const [flag, msg] of Object.entries(a.errors || {})) {
        const e = $('#e-' + CSS.escape(flag));
        if (e) {
          e.textContent = msg;
          e.parentElement.classList.add('bad');
        } else {
          (a.general = a.general || []).push(msg);
        }
      }
      for (const msg of a.general || []) {
        const p = document.createElement('p');
        p.textContent = msg;
        $('#general').append(p);
      }
      progressEl.hidden = true;
      // Say why here too: the control may be scrolled out of sight.
      const msgs = Object.values(a.errors || {});
      const first = msgs[0] || (a.general || [])[0] || 'a value is refused';
      const more = msgs.length + (a.general || []).length - 1;
      say('not run: ' + first + (more > 0 ? ' (and ' + more + ' more, beside their controls)' : '') +
        '; the results below are of the last run', true);
      $('#current').classList.add('stale');
      return;
    }
    current = a.query;
    address();
    // An answer to an older query (a slider still moving, under load)
    // shows its run but leaves the controls to the newer one.
    if (a.values && (reset || (pending === null && (latest === null || q === latest)))) apply(a, reset);
    reset = false;
    if (a.status === 'running') {
      showProgress(a.progress);
      if (pending === null) pending = q; // poll: the server waits a moment each time
      return;
    }
    progressEl.hidden = true;
    if (a.status === 'busy') {
      say(a.message, true);
      if (retries++ < 10 && pending === null) schedule(q, 1000);
      return;
    }
    if (a.status === 'failed') {
      say(a.message, true);
      $('#current').classList.add('stale');
      return;
    }
    say('');
    showRun($('#current'), a.view, pinned ? 'now: ' + describe(a.query) : '');
    if (pinned) compare();
  }

  // apply sets the controls to the run's values and marks those that
  // differ from the preset.
  function apply(a, all) {
    for (const k of knobs) {
      const flag = k.dataset.flag;
      if (!(flag in a.values)) continue;
      k.dataset.base = a.base[flag];
      const el = $('#k-' + CSS.escape(flag));
      const v = a.values[flag];
      if (all || document.activeElement !== el) {
        if (k.dataset.widget === 'switch') el.checked = v === 'on';
        else el.value = v;
      }
      const r = $('#r-' + CSS.escape(flag));
      const pos = a.positions ? a.positions[flag] : -1;
      if (r && pos >= 0 && document.activeElement !== r) r.value = pos;
      k.classList.toggle('changed', v !== a.base[flag]);
      // A knob this configuration ignores is greyed out, with the reason
      // beneath it and as its tooltip; it can still be set.
      const why = (a.ignored || {})[flag] || '';
      k.classList.toggle('ignored', why !== '');
      if (why) k.title = 'no effect: ' + why;
      else k.removeAttribute('title');
      const note = $('#n-' + CSS.escape(flag));
      if (note) note.textContent = why ? 'no effect: ' + why : '';
    }
  }

  function showProgress(p) {
    progressEl.hidden = false;
    $('#current').classList.add('stale');
    $('.fill', progressEl).style.width = (100 * (p.share || 0)).toFixed(1) + '%';
    $('.text', progressEl).textContent = p.text;
  }

  // address puts the run (and the pinned one) in the page's address, so
  // that a link reproduces it.
  function address() {
    let url = '/s/' + encodeURIComponent(name) + '?' + current;
    if (pinned) url += '&pin=' + encodeURIComponent(pinned.query);
    history.replaceState(null, '', url);
    $('#link').href = url;
  }

  function describe(q) {
    const p = new URLSearchParams(q);
    const parts = [];
    for (const [k, v] of p) parts.push(k + '=' + v);
    return parts.join(' ');
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // showRun draws a run's view: verdict, summary (HTML the server escaped)
  // and figures (gonum/plot's SVG).
  function showRun(box, v, label) {
    box.classList.remove('stale');
    box.textContent = '';
    if (label) box.append(el('div', 'runlabel', label));
    const verdict = el('div', 'verdict');
    verdict.dataset.outcome = v.outcome;
    verdict.append(el('b', 'outcome', v.outcome), ' ', el('span', 'sentence', v.verdict));
    const summary = el('div', 'summary');
    summary.innerHTML = v.summary;
    box.append(verdict, summary, figuresOf(v.figures), el('p', 'wall', v.wall));
    decorate(box);
  }

  function figuresOf(figs) {
    const wrap = el('div', 'figures');
    for (const f of figs || []) {
      const fig = el('figure', 'figure');
      fig.dataset.name = f.name;
      fig.dataset.frame = f.frame || '';
      fig.innerHTML = f.svg;
      wrap.append(fig);
    }
    return wrap;
  }

  // ---- figures: labelled windows and the value under the pointer ----

  const SVGNS = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  function num(x) {
    if (!isFinite(x)) return String(x);
    const a = Math.abs(x);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toPrecision(3);
    return String(Number(x.toPrecision(4)));
  }

  function decorate(box) {
    for (const fig of $$('figure.figure', box)) {
      $$('.ov', fig).forEach((e) => e.remove());
      let fr;
      try { fr = JSON.parse(fig.dataset.frame || 'null'); } catch (e) { fr = null; }
      const svg = $('svg', fig);
      if (!fr || !svg) continue;
      labelSpans(svg, fr);
      hover(fig, svg, fr);
    }
  }

  function labelSpans(svg, fr) {
    const g = svgEl('g', { class: 'ov spans' });
    for (const s of fr.Spans || []) {
      if (!s.label || s.right <= s.left) continue;
      const mid = (s.left + s.right) / 2;
      g.append(svgEl('line', { x1: s.left, x2: s.right, y1: fr.T + 2, y2: fr.T + 2, class: 'spanbar' }));
      const t = svgEl('text', { x: mid, y: fr.T + 11, 'text-anchor': 'middle', class: 'spanlabel' });
      t.textContent = s.label + ' ' + s.from + '–' + s.to;
      const title = svgEl('title');
      title.textContent = s.label + ': from ' + s.from + ' to ' + s.to;
      t.append(title);
      g.append(t);
    }
    svg.append(g);
  }

  // nearest is the index of the point of pts nearest x (pts sorted by x).
  function nearest(pts, x) {
    let lo = 0, hi = pts.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (pts[mid][0] < x) lo = mid; else hi = mid;
    }
    return Math.abs(pts[lo][0] - x) <= Math.abs(pts[hi][0] - x) ? lo : hi;
  }

  function hover(fig, svg, fr) {
    const lines = (fr.Lines || []).filter((l) => l.points && l.points.length);
    if (!lines.length) return;
    const g = svgEl('g', { class: 'ov hover', visibility: 'hidden' });
    const guide = svgEl('line', { y1: fr.T, y2: fr.B, class: 'guide' });
    g.append(guide);
    const dots = lines.map((l) => {
      const c = svgEl('circle', { r: 3.2, fill: l.color, class: 'dot' });
      g.append(c);
      return c;
    });
    svg.append(g);
    const tip = el('div', 'ov tip');
    tip.hidden = true;
    fig.append(tip);
    const reach = (fr.R - fr.L) / 25; // a line further than this from the pointer is not read
    function move(ev) {
      const m = svg.getScreenCTM();
      if (!m) return;
      const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
      if (pt.x < fr.L || pt.x > fr.R || pt.y < fr.T - 4 || pt.y > fr.B + 4) return leave();
      g.setAttribute('visibility', 'visible');
      guide.setAttribute('x1', pt.x);
      guide.setAttribute('x2', pt.x);
      tip.textContent = '';
      let head = null;
      lines.forEach((l, i) => {
        const p = l.points[nearest(l.points, pt.x)];
        const near = Math.abs(p[0] - pt.x) <= reach;
        dots[i].setAttribute('visibility', near ? 'visible' : 'hidden');
        if (!near) return;
        dots[i].setAttribute('cx', p[0]);
        dots[i].setAttribute('cy', p[1]);
        if (head === null) {
          head = el('div', 'tiphead', (fr.XLabel || 'x') + ': ' + num(p[2]));
          tip.append(head);
        }
        const row = el('div', 'tiprow');
        const sw = el('span', 'swatch');
        sw.style.background = l.color;
        row.append(sw, (l.name || 'value') + ': ' + num(p[3]));
        tip.append(row);
      });
      tip.hidden = head === null;
      const box = fig.getBoundingClientRect();
      const x = ev.clientX - box.left, y = ev.clientY - box.top;
      tip.style.left = (x + 14 + tip.offsetWidth > box.width ? x - 14 - tip.offsetWidth : x + 14) + 'px';
      tip.style.top = Math.max(0, y - tip.offsetHeight - 8) + 'px';
    }
    function leave() {
      g.setAttribute('visibility', 'hidden');
      tip.hidden = true;
    }
    svg.addEventListener('pointermove', move);
    svg.addEventListener('pointerleave', leave);
  }

  // ---- pinning and comparing ----

  function pin() {
    if (pinned) {
      pinned = null;
      $('#pinned').hidden = true;
      $('#runs').classList.remove('two');
      $('#comparison').hidden = true;
      pinBtn.textContent = 'Pin this run';
      const lab = $('.runlabel', $('#current'));
      if (lab) lab.remove();
      address();
      return;
    }
    const cur = $('#current');
    if (!$('.verdict', cur)) return;
    pinned = { query: current };
    showPinned(cur.innerHTML);
  }

  function showPinned(html) {
    const box = $('#pinned');
    box.innerHTML = html;
    $$('.runlabel', box).forEach((e) => e.remove());
    box.prepend(el('div', 'runlabel', 'pinned: ' + describe(pinned.query)));
    decorate(box);
    box.hidden = false;
    $('#runs').classList.add('two');
    pinBtn.textContent = 'Unpin';
    const cur = $('#current');
    $$('.runlabel', cur).forEach((e) => e.remove());
    cur.prepend(el('div', 'runlabel', 'now: ' + describe(current)));
    address();
    compare();
  }

  let compareTimer = null;
  function compare() {
    if (body.dataset.compare !== 'true' || !pinned) return;
    clearTimeout(compareTimer);
    const want = pinned.query + '|' + current;
    const url = '/api/compare/' + encodeURIComponent(name) + '?a=' + encodeURIComponent(pinned.query) + '&b=' + encodeURIComponent(current);
    fetch(url).then((r) => r.json()).then((c) => {
      if (!pinned || want !== pinned.query + '|' + current) return;
      const box = $('#comparison');
      if (c.status === 'running' || c.status === 'busy') {
        compareTimer = setTimeout(compare, 500);
        return;
      }
      box.hidden = false;
      box.textContent = '';
      box.append(el('h3', '', 'pinned and now, side by side'));
      if (c.status !== 'done') {
        box.append(el('p', 'bad', c.message || c.status));
        return;
      }
      const t = el('div', 'summary');
      t.innerHTML = c.comparison.table || '';
      box.append(t, figuresOf(c.comparison.figures));
      decorate(box);
    }).catch(() => {});
  }

  // A pinned run in the address is fetched on load.
  function loadPinned(q) {
    fetch('/api/run/' + encodeURIComponent(name) + '?' + q).then((r) => r.json()).then((a) => {
      if (a.status === 'running' || a.status === 'busy') {
        setTimeout(() => loadPinned(q), 500);
        return;
      }
      if (a.status !== 'done') {
        say('the pinned run: ' + (a.message || (a.general || []).join('; ') || a.status), true);
        return;
      }
      pinned = { query: a.query };
      const tmp = el('div');
      showRun(tmp, a.view, '');
      showPinned(tmp.innerHTML);
    }).catch(() => {});
  }

  // ---- wiring ----

  for (const k of knobs) {
    const flag = k.dataset.flag;
    const input = $('#k-' + CSS.escape(flag));
    const range = $('#r-' + CSS.escape(flag));
    if (range) {
      const ladder = JSON.parse(range.dataset.ladder);
      range.addEventListener('input', () => {
        input.value = ladder[Number(range.value)];
        k.classList.toggle('changed', input.value !== k.dataset.base);
        changed();
      });
    }
    input.addEventListener('change', changed);
    if (input.tagName === 'INPUT' && input.type === 'text') {
      input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') {
          ev.preventDefault();
          changed();
        }
      });
    }
  }
  $('#controls').addEventListener('submit', (ev) => {
    ev.preventDefault();
    changed();
  });
  $('#k-preset').addEventListener('change', () => {
    reset = true;
    retries = 0;
    const sel = $('#k-preset');
    $('#about').textContent = sel.value ? sel.options[sel.selectedIndex].dataset.about || '' : '';
    latest = query(false);
    schedule(latest, 0);
  });
  $('#k-seed').addEventListener('change', changed);
  $('#reseed').addEventListener('click', () => {
    const s = $('#k-seed');
    try { s.value = (BigInt(s.value.trim() || '0') + 1n) % (1n << 64n); } catch (e) { s.value = '1'; }
    changed();
  });
  pinBtn.addEventListener('click', pin);

  const done = $('#done');
  if (done) {
    done.addEventListener('click', () => {
      fetch('/done', { method: 'POST', headers: { 'X-Dsim': 'done' } }).finally(() => {
        document.body.textContent = '';
        document.body.append(el('p', 'ended', 'Done: the notebook cell keeps this run below.'));
      });
    });
    setInterval(() => fetch('/api/alive').catch(() => {}), 20000);
  }

  decorate($('#current'));
  if (body.dataset.running === 'true') send(current);
  if (body.dataset.pin) loadPinned(body.dataset.pin);
})();
