// "Your receipts": the owner's ledger with the original's filters, sorting, paging, thumbnails, a link
// to each row in Google Sheets, charts drawn here as SVG (no library, no CDN), corrections, deletion
// with confirmation, undo of the last change, the receipts waiting for review, and re-reading a receipt
// from its stored image (the new values beside the old ones, the owner keeps either; receipts that were
// not written are read again and written). Every value goes on the page with textContent or as an SVG
// attribute, never as markup.
'use strict';
(function () {
  const CATEGORIES = ['Food & Restaurants', 'Groceries', 'Transportation', 'Travel', 'Lodging', 'Utilities', 'Housing & Rent',
    'Health & Medical', 'Insurance', 'Entertainment & Recreation', 'Clothing & Shoes', 'Electronics & Gadgets', 'Home & Garden',
    'Office & Supplies', 'Education', 'Gifts & Donations', 'Subscriptions & Memberships', 'Fees & Services', 'Taxes', 'Childcare',
    'Pet Care', 'Personal Care', 'Other'];
  const PAGE = 25;
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const section = $('history-section');
  if (!section) return;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('data-') || k.startsWith('aria-') || ['type', 'alt', 'src', 'href', 'scope', 'role', 'target', 'rel', 'for'].includes(k)) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) if (c != null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text != null) node.textContent = text;
    return node;
  }

  // Currency as stored: "EUR 12.50", or the bare amount when the receipt named none.
  function money(amount, currency) {
    if (amount == null) return '';
    return (currency ? currency + ' ' : '') + amount;
  }

  let offset = 0;
  let total = 0;
  let sort = 'date';
  let order = 'desc';
  let lastUndo = null;

  const category = $('h-category');
  category.append(el('option', { value: '', text: 'Any category' }), ...CATEGORIES.map((c) => el('option', { value: c, text: c })));

  function filters() {
    const q = new URLSearchParams();
    const month = $('h-month').value.trim();
    if (month) q.set('month', month);
    for (const [id, name] of [['h-vendor', 'vendor'], ['h-min', 'minAmount'], ['h-max', 'maxAmount'], ['h-category', 'category']]) {
      const v = $(id).value.trim();
      if (v) q.set(name, v);
    }
    return q;
  }

  function say(text, isError) {
    const box = $('h-message');
    box.textContent = text || '';
    box.className = isError ? 'alert error' : 'muted small';
    box.hidden = !text;
  }

  async function load() {
    const q = filters();
    const downloads = new URLSearchParams(q);
    for (const f of ['tsv', 'csv', 'json']) {
      downloads.set('format', f);
      $('h-download-' + f).href = '/api/receipts?' + downloads.toString();
      $('h-download-' + f).download = 'receipts.' + f;
    }
    q.set('sort', sort); q.set('order', order); q.set('offset', String(offset)); q.set('limit', String(PAGE));
    const response = await fetch('/api/receipts?' + q.toString(), { credentials: 'same-origin' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) { say(body.detail || ('The receipts could not be loaded (' + response.status + ').'), true); return; }
    total = Number(response.headers.get('X-Total-Count') || body.length);
    renderTable(body);
    await loadCharts(filters());
    await loadReview();
    await loadUnwritten();
  }

  function renderTable(rows) {
    $('h-table').tBodies[0].replaceChildren(...rows.flatMap((r) => [].concat(row(r))));
    const from = total === 0 ? 0 : offset + 1;
    $('h-page').textContent = from + '–' + Math.min(total, offset + PAGE) + ' of ' + total;
    $('h-prev').disabled = offset === 0;
    $('h-next').disabled = offset + PAGE >= total;
    section.dataset.count = String(total);
  }

  function row(r) {
    const thumb = el('img', { src: '/api/receipts/' + encodeURIComponent(r.receiptId) + '/image', alt: 'Receipt ' + (r.fileName || r.receiptId), class: 'thumb' });
    thumb.loading = 'lazy';
    thumb.addEventListener('error', () => thumb.replaceWith(el('span', { class: 'placeholder thumb', 'aria-hidden': 'true', text: '—' })));
    const place = r.tab ? r.tab + (r.row ? ', row ' + r.row : '') : '';
    const where = r.sheetUrl ? el('a', { href: r.sheetUrl, target: '_blank', rel: 'noopener noreferrer', text: place }) : el('span', { text: place });
    const edit = el('button', { type: 'button', class: 'small-button', text: 'Edit', 'aria-label': 'Edit ' + (r.vendor || r.receiptId) });
    const del = el('button', { type: 'button', class: 'small-button', text: 'Delete', 'aria-label': 'Delete ' + (r.vendor || r.receiptId) });
    const again = el('button', { type: 'button', class: 'small-button', text: 'Re-read', 'aria-label': 'Re-read ' + (r.vendor || r.receiptId) });
    const tr = el('tr', { 'data-receipt': r.receiptId },
      el('td', {}, thumb),
      el('td', { class: 'num', 'data-field': 'amount', text: money(r.amount, r.currency) }),
      el('td', { 'data-field': 'date', text: r.date || '' }),
      el('td', { 'data-field': 'vendor', text: r.vendor || '' }),
      el('td', { 'data-field': 'category', text: (r.categories || []).join(', ') }),
      el('td', { 'data-field': 'outcome', text: (r.detail || r.state || '') + (r.corrections ? ' (corrected)' : '') }),
      el('td', { 'data-field': 'place' }, where),
      el('td', { class: 'actions' }, edit, del, again));
    edit.addEventListener('click', () => editRow(tr, r));
    del.addEventListener('click', () => confirmDelete(tr, r));
    again.addEventListener('click', () => reread(r.receiptId, again));
    if (!r.reread) return tr;
    return [tr, offerRow(r)];
  }

  // ---- re-read -----------------------------------------------------------------------------------
  // A written receipt's re-read: the new values beside the old ones; the owner keeps either.
  function offerRow(r) {
    const o = r.reread;
    const show = (f) => [money(f.amount, r.currency), f.date || 'no date', f.vendor || 'no vendor', (f.categories || []).join(', ')].join(' · ');
    const keepNew = el('button', { type: 'button', class: 'small-button', text: 'Keep the new values', 'data-keep': 'new' });
    const keepOld = el('button', { type: 'button', class: 'small-button ghost', text: 'Keep the old values', 'data-keep': 'old' });
    const cell = el('td', { colSpan: 8, class: 'editor' },
      el('p', { class: 'small', text: o.detail }),
      el('p', { class: 'small', 'data-values': 'old' }, el('strong', { text: 'Now: ' }), show(o.before || {})),
      el('p', { class: 'small', 'data-values': 'new' }, el('strong', { text: 'Read again: ' }), show(o.after || {})),
      keepNew, keepOld);
    const path = '/api/receipts/' + encodeURIComponent(r.receiptId) + '/reread/';
    keepNew.addEventListener('click', async () => { keepNew.disabled = true; if (await send('POST', path + 'keep', { rereadId: o.correctionId })) await load(); keepNew.disabled = false; });
    keepOld.addEventListener('click', async () => { keepOld.disabled = true; if (await send('POST', path + 'dismiss', { rereadId: o.correctionId })) await load(); keepOld.disabled = false; });
    return el('tr', { class: 'edit-row', 'data-reread': r.receiptId }, cell);
  }

  // Asks for one receipt to be read again; follows it until the sink settled it.
  async function reread(receiptId, button) {
    if (button) button.disabled = true;
    say('Reading it again…');
    let response;
    try {
      response = await fetch('/api/receipts/' + encodeURIComponent(receiptId) + '/reread', { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ timeZone: zone() }) });
    } catch (e) {
      say('The request did not reach the server. Check the connection and try again.', true);
      if (button) button.disabled = false;
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (response.status === 202) {
      say(answer.detail);
      await follow(receiptId, answer.rereadId);
    } else if (response.ok) {
      say(settled(answer));
    } else {
      say(answer.detail || ('The receipt could not be read again (' + response.status + ').'), true);
    }
    if (button) button.disabled = false;
    await load();
  }

  function settled(answer) {
    if (answer.outcome === 'APPLIED') return 'Read again: ' + (answer.receipt && answer.receipt.detail ? answer.receipt.detail : 'done') + '.';
    return answer.detail;
  }

  // Polls the receipt until its re-read is in the history and it is no longer being written (at most
  // 2 minutes): the history entry and the receipt, or null while it is still being read.
  async function settle(receiptId, rereadId) {
    for (let i = 0; i < 80; i++) {
      await new Promise((done) => setTimeout(done, 1500));
      const response = await fetch('/api/receipts/' + encodeURIComponent(receiptId), { credentials: 'same-origin' });
      if (!response.ok) continue;
      const d = await response.json().catch(() => null);
      const h = d && (d.history || []).find((c) => c.correctionId === rereadId);
      if (h && d.receipt.state !== 'PENDING') return { entry: h, receipt: d.receipt };
    }
    return null;
  }

  async function follow(receiptId, rereadId) {
    const done = await settle(receiptId, rereadId);
    if (!done) say('The receipt is still being read; it shows here once the model has read it.');
    else say(done.entry.outcome === 'APPLIED' ? 'Read again: ' + (done.receipt.detail || 'done') + '.' : done.entry.detail);
  }

  const ENDED = { WRITTEN: 'written', FAILED: 'could not be read', EXCLUDED: 'excluded', NOT_A_RECEIPT: 'not a receipt',
    DUPLICATE: 'duplicate', REVIEW: 'waiting for your review' };

  // A batch's FAILED receipts read again: each followed until it ends, then one sentence for all of them.
  async function rereadBatch(batchId, button) {
    button.disabled = true;
    say('Reading them again…');
    let response;
    try {
      response = await fetch('/api/receipts/reread', { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ batchId, timeZone: zone() }) });
    } catch (e) {
      say('The request did not reach the server. Check the connection and try again.', true);
      button.disabled = false;
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(answer.detail || ('The receipts could not be read again (' + response.status + ').'), true);
      button.disabled = false;
      return;
    }
    const rereads = answer.rereads || [];
    say('Reading ' + rereads.length + ' again; they show above once read.');
    const ended = await Promise.all(rereads.map((r) => settle(r.receiptId, r.rereadId)));
    const counts = new Map();
    for (const e of ended) {
      const label = !e ? 'still being read' : e.entry.outcome === 'APPLIED' ? (ENDED[e.receipt.state] || e.receipt.state) : 'not read again';
      counts.set(label, (counts.get(label) || 0) + 1);
    }
    const skipped = (answer.skipped || []).map((s) => s.why);
    say('Read again: ' + [...counts].map(([label, n]) => n + ' ' + label).join(', ') + '.' + (skipped.length ? ' Skipped: ' + skipped.join(' ') : ''));
    await load();
  }

  // Receipts with no row: could not be read, excluded, not a receipt — each can be read again;
  // a batch's FAILED ones all at once.
  async function loadUnwritten() {
    const response = await fetch('/api/receipts?state=FAILED,EXCLUDED,NOT_A_RECEIPT&sort=recorded&order=desc&limit=100', { credentials: 'same-origin' });
    const list = response.ok ? await response.json() : [];
    const box = $('h-unwritten');
    box.hidden = list.length === 0;
    const failedByBatch = new Map();
    for (const r of list) if (r.state === 'FAILED' && r.batchId) failedByBatch.set(r.batchId, (failedByBatch.get(r.batchId) || 0) + 1);
    const items = list.map((r) => {
      const again = el('button', { type: 'button', class: 'small-button', text: 'Re-read', 'aria-label': 'Re-read ' + (r.fileName || r.receiptId) });
      again.addEventListener('click', () => reread(r.receiptId, again));
      return el('li', { 'data-receipt': r.receiptId, 'data-state': r.state }, el('span', { text: [r.fileName || r.receiptId,
        { FAILED: 'could not be read', EXCLUDED: 'excluded', NOT_A_RECEIPT: 'not a receipt' }[r.state] || r.state, r.detail || ''].filter(Boolean).join(' · ') }), again);
    });
    for (const [batchId, count] of failedByBatch) {
      if (count < 2) continue;
      const all = el('button', { type: 'button', class: 'small-button', text: 'Re-read all ' + count + ' that could not be read', 'data-batch': batchId });
      all.addEventListener('click', () => rereadBatch(batchId, all));
      items.push(el('li', { 'data-batch': batchId }, all));
    }
    $('h-unwritten-list').replaceChildren(...items);
  }

  function field(label, input) {
    const id = 'h-edit-' + label.toLowerCase();
    input.id = id;
    return el('label', { for: id, class: 'small' }, label + ' ', input);
  }

  function editRow(tr, r) {
    const amount = el('input', { type: 'text', value: r.amount || '' });
    amount.inputMode = 'decimal';
    const date = el('input', { type: 'date', value: r.date || '' });
    const vendor = el('input', { type: 'text', value: r.vendor || '' });
    const cat = el('select', {}, ...CATEGORIES.map((c) => el('option', { value: c, text: c })));
    cat.value = (r.categories || [])[0] || 'Other';
    const save = el('button', { type: 'button', id: 'h-save', text: 'Save' });
    const cancel = el('button', { type: 'button', class: 'ghost', text: 'Cancel' });
    const cell = el('td', { colSpan: 8, class: 'editor' }, field('Amount', amount), field('Date', date), field('Vendor', vendor),
      field('Category', cat), save, cancel);
    const form = el('tr', { class: 'edit-row', 'data-editing': r.receiptId }, cell);
    tr.after(form);
    amount.focus();
    cancel.addEventListener('click', () => form.remove());
    save.addEventListener('click', async () => {
      const change = { timeZone: zone() };
      if (amount.value.trim() !== (r.amount || '')) change.amount = amount.value.trim();
      if (date.value !== (r.date || '')) change.date = date.value;
      if (vendor.value.trim() !== (r.vendor || '')) change.vendor = vendor.value.trim();
      if (cat.value !== ((r.categories || [])[0] || '')) change.categories = [cat.value];
      save.disabled = true;
      const ok = await send('POST', '/api/receipts/' + encodeURIComponent(r.receiptId) + '/corrections', change);
      save.disabled = false;
      if (ok) { form.remove(); await load(); }
    });
  }

  function confirmDelete(tr, r) {
    const yes = el('button', { type: 'button', id: 'h-confirm-delete', text: 'Delete it' });
    const no = el('button', { type: 'button', class: 'ghost', text: 'Keep it' });
    const form = el('tr', { class: 'edit-row' }, el('td', { colSpan: 8 },
      el('span', { text: 'Delete ' + (r.vendor || 'this receipt') + ' (' + money(r.amount, r.currency) + ')? Its row leaves the sheet and its image is deleted. ' }), yes, no));
    tr.after(form);
    no.focus();
    no.addEventListener('click', () => form.remove());
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      const ok = await send('DELETE', '/api/receipts/' + encodeURIComponent(r.receiptId));
      if (ok) { form.remove(); await load(); }
    });
  }

  // Sends a change; shows the sink's sentence; offers undo for a correction or deletion.
  async function send(method, url, body, accepted) {
    say('Saving…');
    let response;
    try {
      response = await fetch(url, { method, credentials: 'same-origin', headers: body ? { 'Content-Type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined });
    } catch (e) {
      say('The change did not reach the server. Check the connection and try again.', true);
      return false;
    }
    const answer = await response.json().catch(() => ({}));
    if (response.status === 200 || response.status === 202) {
      say(response.status === 202 ? (accepted || answer.detail) : 'Done: ' + answer.detail + '.');
      const id = answer.receipt && answer.receipt.receiptId;
      showUndo(id && answer.receipt.lastChange ? { receiptId: id, correctionId: answer.receipt.lastChange.correctionId } : null);
      return true;
    }
    say(answer.detail || ('The change failed (' + response.status + ').'), true);
    return false;
  }

  function showUndo(change) {
    lastUndo = change;
    $('h-undo').hidden = !change;
  }

  $('h-undo').addEventListener('click', async () => {
    if (!lastUndo) return;
    const target = lastUndo;
    showUndo(null);
    if (await send('POST', '/api/receipts/' + encodeURIComponent(target.receiptId) + '/undo', { correctionId: target.correctionId })) {
      showUndo(null);
      await load();
    }
  });

  function zone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return 'UTC'; }
  }

  // ---- charts ------------------------------------------------------------------------------------
  // One chart per currency: amounts in different currencies are never added together.
  const COLOURS = ['#DC2626', '#2563EB', '#16A34A', '#CA8A04', '#9333EA', '#0891B2', '#EA580C', '#DB2777', '#4B5563', '#65A30D'];

  async function loadCharts(q) {
    const response = await fetch('/api/receipts/totals?' + q.toString(), { credentials: 'same-origin' });
    const totals = response.ok ? await response.json() : [];
    const byCurrency = new Map();
    for (const t of totals) {
      const key = t.currency || '';
      if (!byCurrency.has(key)) byCurrency.set(key, []);
      byCurrency.get(key).push(t);
    }
    const charts = $('h-charts');
    charts.replaceChildren();
    for (const [currency, list] of byCurrency) {
      const label = currency || 'no currency';
      charts.append(el('h3', { text: 'Spending per month (' + label + ')' }), monthChart(currency, list),
        el('h3', { text: 'Spending per category (' + label + ')' }), categoryChart(currency, list));
    }
    charts.hidden = byCurrency.size === 0;
  }

  function cents(text) { return Math.round(Number(text) * 100); }
  function fromCents(c) { return (c / 100).toFixed(2); }

  // Stacked bars: one bar per month, one segment per category.
  function monthChart(currency, list) {
    const months = [...new Set(list.map((t) => t.month))].sort();
    const cats = [...new Set(list.map((t) => t.category))];
    const sums = months.map((m) => list.filter((t) => t.month === m).reduce((s, t) => s + cents(t.total), 0));
    const max = Math.max(1, ...sums);
    const w = 640, h = 240, left = 70, bottom = 40, barW = Math.min(60, (w - left) / Math.max(1, months.length) - 10);
    const chart = svg('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'img', class: 'chart', 'data-chart': 'months', 'data-currency': currency,
      'aria-label': 'Spending per month' + (currency ? ' in ' + currency : '') });
    chart.append(svg('line', { x1: left, y1: h - bottom, x2: w, y2: h - bottom, class: 'axis' }));
    chart.append(svg('text', { x: left - 6, y: 14, 'text-anchor': 'end', class: 'tick' }, fromCents(max)));
    months.forEach((m, i) => {
      const x = left + 10 + i * (barW + 10);
      let y = h - bottom;
      const bar = svg('g', { class: 'bar', 'data-month': m, 'data-total': fromCents(sums[i]) });
      for (const t of list.filter((t) => t.month === m)) {
        const height = (cents(t.total) / max) * (h - bottom - 20);
        y -= height;
        const rect = svg('rect', { x, y, width: barW, height: Math.max(height, 0.5), fill: COLOURS[cats.indexOf(t.category) % COLOURS.length],
          'data-category': t.category, 'data-total': t.total });
        rect.append(svg('title', {}, m + ' · ' + t.category + ': ' + money(t.total, currency)));
        bar.append(rect);
      }
      bar.append(svg('text', { x: x + barW / 2, y: h - bottom + 16, 'text-anchor': 'middle', class: 'tick' }, m));
      bar.append(svg('text', { x: x + barW / 2, y: Math.max(12, y - 4), 'text-anchor': 'middle', class: 'value' }, fromCents(sums[i])));
      chart.append(bar);
    });
    const legend = el('ul', { class: 'legend' }, ...cats.map((c, i) => {
      const swatch = svg('svg', { width: 12, height: 12, 'aria-hidden': 'true' });
      swatch.append(svg('rect', { width: 12, height: 12, fill: COLOURS[i % COLOURS.length] }));
      return el('li', {}, swatch, ' ' + c);
    }));
    return el('figure', { class: 'chart-box' }, chart, legend);
  }

  // Horizontal bars: one per category, over the months shown.
  function categoryChart(currency, list) {
    const sums = new Map();
    for (const t of list) sums.set(t.category, (sums.get(t.category) || 0) + cents(t.total));
    const cats = [...sums.entries()].sort((a, b) => b[1] - a[1]);
    const max = Math.max(1, ...cats.map((c) => c[1]));
    const w = 640, rowH = 26, left = 200, h = cats.length * rowH + 10;
    const chart = svg('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'img', class: 'chart', 'data-chart': 'categories', 'data-currency': currency,
      'aria-label': 'Spending per category' + (currency ? ' in ' + currency : '') });
    cats.forEach(([c, sum], i) => {
      const y = 5 + i * rowH;
      const width = (sum / max) * (w - left - 90);
      const bar = svg('g', { class: 'bar', 'data-category': c, 'data-total': fromCents(sum) });
      bar.append(svg('text', { x: left - 8, y: y + 16, 'text-anchor': 'end', class: 'tick' }, c));
      bar.append(svg('rect', { x: left, y, width: Math.max(width, 0.5), height: rowH - 8, fill: COLOURS[i % COLOURS.length] }));
      bar.append(svg('text', { x: left + width + 6, y: y + 14, class: 'value' }, money(fromCents(sum), currency)));
      chart.append(bar);
    });
    return el('figure', { class: 'chart-box' }, chart);
  }

  // ---- review ------------------------------------------------------------------------------------
  async function loadReview() {
    const response = await fetch('/api/receipts?state=REVIEW', { credentials: 'same-origin' });
    const held = response.ok ? await response.json() : [];
    const box = $('h-review');
    box.hidden = held.length === 0;
    $('h-review-list').replaceChildren(...held.map((r) => {
      const accept = el('button', { type: 'button', text: 'Accept', 'aria-label': 'Accept ' + (r.vendor || r.receiptId) });
      const discard = el('button', { type: 'button', class: 'ghost', text: 'Discard', 'aria-label': 'Discard ' + (r.vendor || r.receiptId) });
      accept.addEventListener('click', async () => { if (await send('POST', '/api/receipts/' + encodeURIComponent(r.receiptId) + '/accept', { timeZone: zone() })) await load(); });
      discard.addEventListener('click', async () => { if (await send('POST', '/api/receipts/' + encodeURIComponent(r.receiptId) + '/discard')) await load(); });
      return el('li', { 'data-receipt': r.receiptId }, el('span', { text: [money(r.amount, r.currency), r.date || 'no date', r.vendor || '',
        (r.categories || []).join(', ')].join(' · ') }), accept, discard);
    }));
  }

  $('h-accept-all').addEventListener('click', async () => {
    const ids = [...document.querySelectorAll('#h-review-list li')].map((li) => li.dataset.receipt);
    const sent = [];
    for (const id of ids) {
      if (!await send('POST', '/api/receipts/' + encodeURIComponent(id) + '/accept', { timeZone: zone() })) break;
      sent.push(id);
    }
    await load();
    await written(sent);
  });

  // Accepted receipts the sink had not written yet when it answered (202): followed until each is
  // written (or refused), then the table is loaded again, so none is missing from it (at most 2 minutes).
  async function written(ids) {
    let waiting = ids;
    for (let i = 0; i < 80 && waiting.length; i++) {
      const still = [];
      for (const id of waiting) {
        const r = await fetch('/api/receipts/' + encodeURIComponent(id), { credentials: 'same-origin' });
        const d = r.ok ? await r.json().catch(() => null) : null;
        if (d && (['REVIEW', 'PENDING'].includes(d.receipt.state) || (d.pending != null))) still.push(id);
      }
      if (still.length < waiting.length) await load();
      waiting = still;
      if (waiting.length) await new Promise((done) => setTimeout(done, 1500));
    }
  }

  // ---- wiring ------------------------------------------------------------------------------------
  $('h-filters').addEventListener('submit', (ev) => { ev.preventDefault(); offset = 0; load(); });
  $('h-prev').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
  $('h-next').addEventListener('click', () => { offset += PAGE; load(); });
  for (const th of document.querySelectorAll('#h-table th[data-sort]')) {
    const button = el('button', { type: 'button', class: 'sort', text: th.textContent });
    th.replaceChildren(button);
    button.addEventListener('click', () => {
      const by = th.dataset.sort;
      order = sort === by && order === 'asc' ? 'desc' : 'asc';
      sort = by;
      for (const other of document.querySelectorAll('#h-table th[data-sort]')) other.setAttribute('aria-sort', other === th ? (order === 'asc' ? 'ascending' : 'descending') : 'none');
      offset = 0;
      load();
    });
  }
  // Review before writing: the owner's setting (GET/PUT /api/settings), off until they turn it on; it
  // holds every receipt of theirs, whichever browser, device or producer sent it.
  const review = $('review');
  if (review) {
    review.disabled = true;
    fetch('/api/settings', { credentials: 'same-origin' }).then((r) => (r.ok ? r.json() : null)).then((s) => {
      if (s) { review.checked = s.review === true; review.disabled = false; review.dataset.loaded = 'true'; }
    }).catch(() => { /* the setting stays unchangeable until the page is reloaded */ });
    review.addEventListener('change', async () => {
      const wanted = review.checked;
      review.disabled = true;
      try {
        const r = await fetch('/api/settings/review', { method: 'PUT', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ review: wanted }) });
        const body = await r.json().catch(() => ({}));
        review.checked = r.ok ? body.review === true : !wanted;
        review.dataset.saved = String(review.checked);
      } catch (e) {
        review.checked = !wanted;
      }
      review.disabled = false;
    });
  }
  $('h-open').addEventListener('click', () => { section.hidden = false; $('h-open').setAttribute('aria-expanded', 'true'); load(); });
})();
