// The ops view: the pipeline over the last hour, the model's and Google Sheets' health, and the
// dead letters with a Replay button, from the ingest's /api/ops endpoints (CONTRACT §8). Shown only
// to operators (the summary answers 403 to anyone else). Plain JS, textContent only, no innerHTML.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const STAGES = ['RECEIVED', 'QUEUED', 'EXTRACTING', 'EXTRACTED', 'WRITING', 'WRITTEN', 'DUPLICATE', 'NOT_A_RECEIPT', 'EXCLUDED', 'FAILED'];
  const REFRESH_MS = 15000;
  let timer = null;
  let shown = [];

  function cell(text, cls) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    if (cls) td.className = cls;
    return td;
  }

  const { when } = window.RangerApi;

  function state(node, status, words) {
    const s = document.createElement('span');
    const key = status === 'UP' ? 'up' : status === 'DOWN' ? 'down' : 'unknown';
    s.className = 'ops-state-' + key;
    s.textContent = key === 'up' ? 'working' : key === 'down' ? 'down' : 'unknown';
    node.replaceChildren(s, document.createTextNode(words ? ' — ' + words : ''));
  }

  function renderSummary(summary) {
    const body = $('ops-stages').tBodies[0];
    body.replaceChildren(...STAGES.map((stage) => {
      const tr = document.createElement('tr');
      tr.dataset.stage = stage;
      tr.append(cell(stage), cell((summary.lastHour || {})[stage] || 0, 'num'));
      return tr;
    }));
    const m = summary.model || {};
    const failed = m.failedLastHour || 0;
    const last = m.lastFailure && m.lastFailure.detail ? ' Last failure (' + when(m.lastFailure.at) + '): ' + m.lastFailure.detail : '';
    state($('ops-model'), failed > 0 && (m.extractedLastHour || 0) === 0 ? 'DOWN' : 'UP',
      (m.extractedLastHour || 0) + ' read, ' + failed + ' failed in the last hour.' + last);
    const sh = summary.sheets || {};
    state($('ops-sheets'), sh.status, (sh.writtenLastHour || 0) + ' written, ' + (sh.failedLastHour || 0)
      + ' failed in the last hour.' + (sh.problem ? ' ' + sh.problem : ''));
    const lag = summary.consumerLag || {};
    const dlq = summary.deadLetters || {};
    $('ops-kafka').textContent = 'Waiting: ' + Object.entries(lag).map(([g, n]) => g + ' ' + n).join(', ')
      + '. In dead-letter topics: ' + Object.entries(dlq).map(([t, n]) => t + ' ' + n).join(', ') + '.';
    $('ops-updated').textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
  }

  function renderDeadLetters(list) {
    shown = list;
    const body = $('ops-dlq').tBodies[0];
    if (!list.length) {
      const tr = document.createElement('tr');
      const td = cell('No dead letters.', 'muted');
      td.colSpan = 5;
      tr.append(td);
      body.replaceChildren(tr);
    } else {
      body.replaceChildren(...list.map((d) => {
        const tr = document.createElement('tr');
        tr.dataset.id = d.id;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'ghost';
        button.textContent = 'Replay';
        button.setAttribute('aria-label', 'Replay ' + (d.receiptId || d.id));
        button.addEventListener('click', () => replay({ ids: [d.id] }));
        const action = document.createElement('td');
        action.append(button);
        tr.append(cell(when(d.at)), cell(d.receiptId || '(none)'), cell(d.service), cell(d.reason), action);
        return tr;
      }));
    }
    $('ops-replay-all').disabled = list.length === 0;
  }

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw Object.assign(new Error('HTTP ' + r.status), { status: r.status });
    return r.json();
  }

  async function refresh() {
    try {
      const [summary, dlq] = await Promise.all([getJson('/api/ops/summary'), getJson('/api/ops/dead-letters')]);
      renderSummary(summary);
      renderDeadLetters(dlq.deadLetters || []);
    } catch (e) {
      $('ops-updated').textContent = 'Could not load the figures (' + e.message + '); retrying.';
    }
  }

  async function replay(selection) {
    const status = $('ops-replay-status');
    status.textContent = 'Replaying…';
    try {
      const r = await fetch('/api/ops/dead-letters/replay', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(selection)
      });
      const body = await r.json();
      if (!r.ok) {
        status.textContent = body.detail || ('Replay refused (HTTP ' + r.status + ').');
        return;
      }
      const skipped = (body.skipped || []).map((s) => (s.receiptId || s.id) + ': ' + s.why);
      status.textContent = 'Replayed ' + (body.replayed || []).length + '.'
        + (skipped.length ? ' Skipped ' + skipped.length + ' — ' + skipped.join('; ') + '.' : '');
    } catch (e) {
      status.textContent = 'Replay failed: ' + e.message + '.';
    }
    refresh();
  }

  $('ops-replay-all').addEventListener('click', () => {
    if (shown.length) replay({ ids: shown.map((d) => d.id) });
  });

  $('ops').addEventListener('toggle', () => {
    clearInterval(timer);
    if ($('ops').open) {
      refresh();
      timer = setInterval(refresh, REFRESH_MS);
    }
  });

  // Shown to operators only: the summary says who is one.
  fetch('/api/ops/summary', { headers: { Accept: 'application/json' } })
    .then((r) => { if (r.ok) $('ops-section').hidden = false; })
    .catch(() => { /* not reachable: stay hidden */ });
})();
