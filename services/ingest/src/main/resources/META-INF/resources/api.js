// What the page's parts share to talk to the ingest: one JSON call (same-origin cookie, JSON in and
// out, a problem+json body read as an object, 204 as {}) and one way to show a time. Loaded before
// the others (index.html: deferred scripts run in order). Plain JS, no DOM here.
'use strict';
window.RangerApi = Object.freeze({
  async call(method, url, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const answer = response.status === 204 ? {} : await response.json().catch(() => ({}));
    return { status: response.status, body: answer };
  },

  when(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString();
  },
});
