// Receipt Ranger page: plain JS, no build step, nothing from other hosts. Every piece of data is
// put on the page with textContent (never innerHTML), so names and receipt text stay text.
'use strict';
(function () {
  const MAX_FILES = 20;
  const MAX_BYTES = 10 * 1024 * 1024;
  const STAGES = ['RECEIVED', 'QUEUED', 'EXTRACTING', 'EXTRACTED', 'WRITING', 'WRITTEN'];
  const LABELS = {
    RECEIVED: 'received', QUEUED: 'queued', EXTRACTING: 'extracting', EXTRACTED: 'extracted', REVIEW: 'waiting for your review', WRITING: 'writing',
    WRITTEN: 'written', DUPLICATE: 'already in the sheet', NOT_A_RECEIPT: 'not a receipt', EXCLUDED: 'excluded', FAILED: 'failed'
  };
  const TERMINAL = new Set(['WRITTEN', 'DUPLICATE', 'NOT_A_RECEIPT', 'EXCLUDED', 'FAILED']);
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'type' || k === 'alt' || k === 'src' || k === 'scope' || k === 'role') node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) if (c != null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  // ---- theme ---------------------------------------------------------------------------------
  function applyTheme(theme) {
    document.documentElement.setAttribute('data-theme', theme);
    const b = $('theme');
    b.textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
    b.setAttribute('aria-pressed', String(theme === 'light'));
  }
  let theme = 'dark';
  try { theme = localStorage.getItem('rr-theme') || 'dark'; } catch (e) { /* private mode */ }
  applyTheme(theme);
  $('theme').addEventListener('click', () => {
    theme = theme === 'dark' ? 'light' : 'dark';
    try { localStorage.setItem('rr-theme', theme); } catch (e) { /* ignore */ }
    applyTheme(theme);
  });

  // ---- selection -----------------------------------------------------------------------------
  let selection = [];
  let nextId = 1;

  function sniff(b) {
    const a = (i, s) => [...s].every((ch, j) => b[i + j] === ch.charCodeAt(0));
    if (b[0] === 0xFF && b[1] === 0xD8 && b[2] === 0xFF) return 'JPEG';
    if (b[0] === 0x89 && a(1, 'PNG')) return 'PNG';
    if (a(0, 'GIF8')) return 'GIF';
    if (a(0, 'RIFF') && a(8, 'WEBP')) return 'WEBP';
    if ((a(0, 'II') && b[2] === 42 && b[3] === 0) || (a(0, 'MM') && b[2] === 0 && b[3] === 42)) return 'TIFF';
    if (a(0, 'BM')) return 'BMP';
    if (a(4, 'ftyp')) return 'HEIC';
    if (a(0, '%PDF-')) return 'PDF';
    return null;
  }

  async function describe(file) {
    const head = new Uint8Array(await file.slice(0, 32).arrayBuffer());
    let key = file.name + '|' + file.size + '|' + file.lastModified;
    if (window.crypto && crypto.subtle && file.size <= MAX_BYTES) {
      const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
      key = [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join('');
    }
    return { kind: sniff(head), key };
  }

  async function add(files) {
    for (const file of files) {
      const entry = { id: nextId++, file, url: null, kind: null, key: null };
      selection.push(entry);
      try { Object.assign(entry, await describe(file)); } catch (e) { entry.kind = null; }
      if (['JPEG', 'PNG', 'GIF', 'WEBP', 'BMP'].includes(entry.kind)) entry.url = URL.createObjectURL(file);
    }
    render();
  }

  function remove(id) {
    const entry = selection.find((e) => e.id === id);
    if (entry && entry.url) URL.revokeObjectURL(entry.url);
    selection = selection.filter((e) => e.id !== id);
    render();
  }

  // What will happen to each file, computed from the list as it is now (the tiles match it 1:1).
  function plan() {
    const seen = new Map();
    return selection.map((e, i) => {
      let skip = null, dupOf = null;
      if (i >= MAX_FILES) skip = 'a batch holds at most ' + MAX_FILES + ' files';
      else if (e.file.size > MAX_BYTES) skip = 'larger than 10 MiB';
      else if (e.file.size === 0) skip = 'the file is empty';
      else if (!e.kind) skip = 'not an image we read';
      else if (seen.has(e.key)) dupOf = seen.get(e.key);
      else seen.set(e.key, e.file.name);
      return { entry: e, skip, dupOf };
    });
  }

  function render() {
    const items = plan();
    $('selection').hidden = items.length === 0;
    const tiles = $('tiles');
    tiles.replaceChildren(...items.map(({ entry, skip, dupOf }) => {
      const preview = entry.url ? el('img', { src: entry.url, alt: 'Preview of ' + entry.file.name })
        : el('div', { class: 'placeholder', 'aria-hidden': 'true', text: entry.kind || '?' });
      const note = skip ? el('span', { class: 'note', text: 'Will be skipped: ' + skip })
        : dupOf ? el('span', { class: 'note', text: 'Duplicate of ' + dupOf + ': processed once' }) : null;
      const button = el('button', { type: 'button', text: 'Remove', 'aria-label': 'Remove ' + entry.file.name });
      button.addEventListener('click', () => remove(entry.id));
      return el('li', { class: 'tile' + (skip ? ' skip-tile' : dupOf ? ' dup' : ''), 'data-file': entry.file.name },
        preview, el('span', { class: 'name', text: entry.file.name }), note, button);
    }));
    const skipped = items.filter((i) => i.skip).length;
    const dups = items.filter((i) => i.dupOf).length;
    const n = items.filter((i) => !i.skip && !i.dupOf).length;
    const notes = [];
    if (dups) notes.push(dups + ' exact duplicate file(s) will only be processed once.');
    if (skipped) notes.push(skipped + ' file(s) cannot be processed and will be skipped.');
    if (items.length && !n) notes.push('None of the selected files can be processed.');
    $('notes').textContent = notes.join(' ');
    const process = $('process');
    process.textContent = 'Process ' + n + (n === 1 ? ' receipt' : ' receipts');
    process.disabled = n === 0 || busy;
  }

  $('files').addEventListener('change', (ev) => { add([...ev.target.files]); ev.target.value = ''; });
  $('camera').addEventListener('change', (ev) => { add([...ev.target.files]); ev.target.value = ''; });
  $('clear').addEventListener('click', () => {
    selection.forEach((e) => e.url && URL.revokeObjectURL(e.url));
    selection = [];
    render();
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (ev) => { ev.preventDefault(); drop.classList.remove('over'); add([...ev.dataTransfer.files]); });
  $('exclusion').addEventListener('input', () => { $('exclusion-count').textContent = String($('exclusion').value.length); });

  // ---- processing ----------------------------------------------------------------------------
  let busy = false;
  let batch = null;       // { batchId, progress, accepted: [...], receipts: Map(receiptId -> view), done }
  let socket = null;
  let retry = 0;

  $('process').addEventListener('click', async () => {
    const items = plan().filter((i) => !i.skip);
    if (!items.length) return;
    const form = new FormData();
    items.forEach((i) => form.append('files', i.entry.file, i.entry.file.name));
    const criteria = $('exclusion').value.trim();
    if (criteria) form.append('exclusionCriteria', criteria);
    // Review before writing is the owner's setting (history.js saves it to /api/settings): the sink holds
    // every receipt of theirs at REVIEW, so the upload need not say so.
    try { form.append('timeZone', Intl.DateTimeFormat().resolvedOptions().timeZone); } catch (e) { /* UTC then */ }
    busy = true; render();
    $('upload-error').hidden = true;
    try {
      const response = await fetch('/api/batches', { method: 'POST', body: form, credentials: 'same-origin' });
      const body = await response.json().catch(() => ({}));
      if (response.status !== 202) {
        showError(body.detail || ('The upload failed (' + response.status + ').'), body.rejected);
        return;
      }
      start(body);
    } catch (e) {
      showError('The upload did not reach the server. Check the connection and try again.');
    } finally {
      busy = false; render();
    }
  });

  function showError(text, rejected) {
    const box = $('upload-error');
    box.textContent = text;
    box.hidden = false;
    if (rejected) renderRejected(rejected);
  }

  function renderRejected(rejected) {
    $('progress-section').hidden = false;
    $('rejected').replaceChildren(...(rejected || []).map((r) =>
      el('li', {}, el('span', { class: 'file', text: r.fileName }), el('span', { text: 'skipped (' + r.status + '): ' + r.error }))));
  }

  function start(result) {
    $('progress-section').dataset.batch = result.batchId;
    batch = { batchId: result.batchId, progress: result.progress, accepted: result.accepted, receipts: new Map(), done: false };
    result.accepted.forEach((a) => { if (!a.duplicateOf) batch.receipts.set(a.receiptId, { receiptId: a.receiptId, fileName: a.fileName, stage: 'RECEIVED', detail: 'stored' }); });
    selection.forEach((e) => e.url && URL.revokeObjectURL(e.url));
    selection = [];
    render();
    renderRejected(result.rejected);
    $('results-section').hidden = true;
    renderProgress();
    retry = 0;
    connect();
  }

  function connect() {
    if (!batch || batch.done) return;
    const current = batch;
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + current.progress);
    socket = ws;
    $('connection').textContent = 'Connecting for live progress…';
    ws.onopen = () => { retry = 0; $('connection').textContent = 'Live progress connected.'; };
    ws.onmessage = (ev) => {
      if (current !== batch) return;
      let m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === 'snapshot') {
        (m.receipts || []).forEach((r) => current.receipts.set(r.receiptId, r));
        current.totals = m.totals;
      } else if (m.type === 'status') {
        const next = Object.assign({}, current.receipts.get(m.receiptId) || {});
        for (const [k, v] of Object.entries(m)) if (v != null) next[k] = v;
        current.receipts.set(m.receiptId, next);
      } else if (m.type === 'complete') {
        current.done = true;
        current.totals = m.totals;
        $('connection').textContent = 'All receipts are done.';
        ws.close(1000);
        renderResults();
      } else if (m.type === 'error') {
        current.done = true;
        $('connection').textContent = m.detail || 'This batch is unknown.';
      }
      renderProgress();
      // Results grow as extractions arrive; the complete message only makes them final.
      if (!current.done && [...current.receipts.values()].some((r) => r.outcome || TERMINAL.has(r.stage))) renderResults();
    };
    ws.onclose = () => {
      if (current !== batch || current.done) return;
      // Reconnect by itself, with a growing pause; the next snapshot brings the view up to date.
      const wait = Math.min(10000, 500 * Math.pow(2, retry++));
      $('connection').textContent = 'Connection lost; reconnecting in ' + Math.round(wait / 1000) + ' s…';
      setTimeout(connect, wait);
    };
  }

  function stageOf(receiptId) {
    const r = batch.receipts.get(receiptId);
    return r ? r : { stage: 'RECEIVED', detail: '' };
  }

  function renderProgress() {
    $('progress-section').hidden = false;
    $('progress').replaceChildren(...batch.accepted.map((a) => {
      const r = stageOf(a.receiptId);
      const stage = r.stage || 'RECEIVED';
      const step = STAGES.indexOf(stage);
      const label = TERMINAL.has(stage) || step < 0 ? LABELS[stage] || stage : LABELS[stage] + ' (' + (step + 1) + ' of ' + STAGES.length + ')';
      const detail = a.duplicateOf ? 'Duplicate of ' + a.duplicateOf + ': processed once.' : (r.reason || r.detail || '');
      return el('li', { 'data-receipt': a.receiptId },
        el('span', { class: 'file', text: a.fileName }),
        el('span', { class: 'stage', 'data-stage': stage, text: label }),
        detail ? el('span', { class: 'detail', text: detail }) : null);
    }));
  }

  function money(r) {
    if (!r || r.total == null) return '';
    const currency = r.currency && r.currency !== 'USD' ? r.currency + ' ' : '$';
    return currency + Number(r.total).toFixed(2);
  }

  function renderResults() {
    $('results-section').hidden = false;
    const receipts = [...batch.receipts.values()];
    $('results').tBodies[0].replaceChildren(...receipts.map((r) => {
      const f = r.receipt || {};
      return el('tr', {},
        el('td', { text: r.fileName || '' }),
        el('td', { class: 'num', text: money(r.receipt) }),
        el('td', { text: f.date || '' }),
        el('td', { text: f.vendor || '' }),
        el('td', { text: (f.categories || []).join(', ') }),
        el('td', { text: r.outcome === 'EXCLUDED' || r.stage === 'EXCLUDED' ? 'Yes' : 'No' }),
        el('td', { text: (LABELS[r.stage] || r.stage || '') + (r.reason ? ': ' + r.reason : '') }));
    }));
    const totals = batch.totals || { byCategory: [] };
    const rows = (totals.byCategory || []).map((c) => el('tr', {}, el('td', { text: c.category }), el('td', { class: 'num', text: String(c.count) }), el('td', { class: 'num', text: '$' + c.total })));
    rows.push(el('tr', {}, el('th', { scope: 'row', text: 'All' }), el('td', { class: 'num', text: String(totals.count || 0) }), el('td', { class: 'num', text: '$' + (totals.total || '0.00') })));
    $('totals').tBodies[0].replaceChildren(...rows);
    $('cards').replaceChildren(...receipts.map((r, i) => {
      const f = r.receipt || {};
      const facts = [['File', r.fileName], ['Outcome', (LABELS[r.stage] || r.stage) + (r.reason ? ': ' + r.reason : '')]];
      if (r.receipt) {
        facts.push(['Total', money(f)], ['Date', f.date || 'unknown'], ['Category', (f.categories || []).join(', ')],
          ['Paid with', (f.paymentMethods || []).join(', ') + (f.cardLast4 ? ' ending ' + f.cardLast4 : '')]);
        if (f.subtotal != null) facts.push(['Subtotal', f.subtotal]);
        if (f.tax != null) facts.push(['Tax', f.tax]);
        if (f.tip != null) facts.push(['Tip', f.tip]);
      }
      const dl = el('dl');
      facts.forEach(([k, v]) => dl.append(el('dt', { text: k }), el('dd', { text: v == null ? '' : String(v) })));
      return el('article', { class: 'card' }, el('h4', { text: 'Receipt ' + (i + 1) + ': ' + (f.vendor || r.fileName || '') }), dl);
    }));
    const base = '/api/batches/' + encodeURIComponent(batch.batchId) + '/export?format=';
    $('download-tsv').href = base + 'tsv';
    $('download-csv').href = base + 'csv';
    $('download-json').href = base + 'json';
    $('download-tsv').download = 'receipts.tsv';
    $('download-csv').download = 'receipts.csv';
    $('download-json').download = 'receipts.json';
  }

  // The server builds the TSV (formula-like cells neutralised, CONTRACT §4); the page only copies it.
  $('copy-tsv').addEventListener('click', async () => {
    if (!batch) return;
    const status = $('copy-status');
    try {
      const text = await (await fetch('/api/batches/' + encodeURIComponent(batch.batchId) + '/export?format=tsv')).text();
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
      } else {
        const area = el('textarea', { value: text, 'aria-hidden': 'true' });
        area.className = 'visually-hidden';
        document.body.append(area);
        area.select();
        document.execCommand('copy');
        area.remove();
      }
      status.textContent = 'Copied. Paste it into a spreadsheet.';
    } catch (e) {
      status.textContent = 'Could not copy: use Download TSV instead.';
    }
  });

  render();
})();
