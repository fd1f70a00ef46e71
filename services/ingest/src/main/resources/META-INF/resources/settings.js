// Bring your own key, bring your own sheet (CONTRACT §3, /api/settings): the caller's model key
// (tested with one call by the ingest before it is saved, stored encrypted, shown only as a hint)
// and their spreadsheet (the sink opens it and says "connected" or exactly what to do). The key
// typed here leaves the page only in the PUT and is cleared from the field at once; the page never
// receives it back. Plain JS, textContent only, never innerHTML.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);

  const { call, when } = window.RangerApi;

  function say(id, text, problem) {
    const node = $(id);
    node.textContent = text;
    node.classList.toggle('problem', !!problem);
  }

  function renderKey(key, storage) {
    const current = $('key-current');
    if (!storage) {
      current.textContent = 'This deployment cannot store model keys (the operator has not set RANGER_KEY_ENCRYPTION_KEYS): your receipts are read as the operator decided.';
    } else if (key) {
      current.textContent = 'Your key ' + key.keyHint + ' for ' + key.model + ' at ' + key.baseUrl + ', saved ' + when(key.savedAt)
        + '. Your receipts are read with it. Save another to replace it.';
    } else {
      current.textContent = 'No key saved: your receipts are read with the deployment\'s key if the operator allows it, or offline.';
    }
    $('key-form').querySelectorAll('input, button').forEach((n) => { n.disabled = !storage; });
    $('key-save').textContent = key ? 'Test and replace the key' : 'Test and save the key';
    $('key-delete').hidden = !key;
    $('key-delete').disabled = false;
  }

  function renderSheet(sheet, serviceAccount) {
    const current = $('sheet-current');
    if (sheet) {
      const link = document.createElement('a');
      link.href = sheet.url;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      link.textContent = sheet.title || sheet.spreadsheetId;
      current.replaceChildren(document.createTextNode('Connected: '), link,
        document.createTextNode(' (since ' + when(sheet.connectedAt) + '). Your receipts are written there.'));
    } else {
      current.textContent = 'No spreadsheet connected: your receipts go to the operator\'s sheet, if any.';
    }
    $('sheet-share').textContent = serviceAccount
      ? 'First share the spreadsheet with ' + serviceAccount + ' as Editor, then paste its address here.'
      : 'This deployment has no Google service account, so it cannot write to your own spreadsheet.';
    $('sheet-form').querySelectorAll('input, button').forEach((n) => { n.disabled = !serviceAccount; });
    $('sheet-disconnect').hidden = !sheet;
    $('sheet-disconnect').disabled = false;
  }

  async function load() {
    const r = await call('GET', '/api/settings');
    if (r.status !== 200) {
      say('key-status', r.body.detail || ('Could not load your settings (' + r.status + ').'), true);
      return;
    }
    renderKey(r.body.modelKey, r.body.keyStorage);
    renderSheet(r.body.spreadsheet, r.body.serviceAccount);
  }

  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const request = { apiKey: $('key-secret').value, baseUrl: $('key-base-url').value.trim() || null, model: $('key-model').value.trim() || null };
    // The clear key is not kept on the page, whatever the answer.
    $('key-secret').value = '';
    $('key-save').disabled = true;
    say('key-status', 'Testing the key with one small call…');
    try {
      const r = await call('PUT', '/api/settings/model-key', request);
      if (r.status === 200) {
        say('key-status', 'The key works and is saved.');
      } else {
        say('key-status', r.body.detail || ('The key was not saved (' + r.status + ').'), true);
      }
    } catch (e) {
      say('key-status', 'The request did not reach the server. Try again.', true);
    }
    $('key-save').disabled = false;
    await load();
  });

  $('key-delete').addEventListener('click', async () => {
    $('key-delete').disabled = true;
    const r = await call('DELETE', '/api/settings/model-key');
    say('key-status', r.status === 204 ? 'Your key is deleted.' : (r.body.detail || ('Could not delete it (' + r.status + ').')), r.status !== 204);
    await load();
  });

  $('sheet-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('sheet-connect').disabled = true;
    say('sheet-status', 'Opening the spreadsheet…');
    try {
      const r = await call('PUT', '/api/settings/spreadsheet', { spreadsheet: $('sheet-input').value.trim() });
      if (r.status === 200) {
        say('sheet-status', 'Connected to ' + (r.body.title || r.body.spreadsheetId) + '.');
        $('sheet-input').value = '';
      } else {
        // The sink's own sentence: "…share it with …@….iam.gserviceaccount.com as Editor…".
        say('sheet-status', r.body.detail || ('The spreadsheet was not connected (' + r.status + ').'), true);
      }
    } catch (e) {
      say('sheet-status', 'The request did not reach the server. Try again.', true);
    }
    $('sheet-connect').disabled = false;
    await load();
  });

  $('sheet-disconnect').addEventListener('click', async () => {
    $('sheet-disconnect').disabled = true;
    const r = await call('DELETE', '/api/settings/spreadsheet');
    say('sheet-status', r.status === 204 ? 'Disconnected.' : (r.body.detail || ('Could not disconnect it (' + r.status + ').')), r.status !== 204);
    await load();
  });

  // Only once the caller is known (account.js shows the section): a refused caller has no settings.
  const section = $('account-section');
  if (!section.hidden) load();
  else new MutationObserver((_, watcher) => { if (!section.hidden) { watcher.disconnect(); load(); } })
    .observe(section, { attributes: true, attributeFilter: ['hidden'] });
})();
