// Who is signed in, signing out, and personal API tokens (CONTRACT §3, "Who is calling"). The page
// itself is behind the sign-in: a visitor without a session never gets here (the ingest redirects
// them to the identity provider). Plain JS, textContent only, never innerHTML.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);

  const { call, when } = window.RangerApi;

  function refused(text) {
    const box = $('account-refused');
    box.textContent = text;
    box.hidden = false;
  }

  // A session that ended while the page was open: the API answers 401, the page offers to sign in again.
  function sessionEnded() {
    const again = document.createElement('a');
    again.href = '/';
    again.textContent = 'Sign in again';
    $('who').replaceChildren(document.createTextNode('Your session has ended. '), again);
  }

  async function loadMe() {
    let me;
    try {
      me = await call('GET', '/api/me');
    } catch (e) {
      $('who').textContent = 'Not connected to the server.';
      return;
    }
    if (me.status === 401) {
      sessionEnded();
      return;
    }
    if (me.status !== 200) {
      refused(me.body.detail || ('You cannot use this deployment (' + me.status + ').'));
      return;
    }
    const who = me.body;
    $('who').dataset.owner = who.owner;
    $('who').textContent = who.signInRequired ? 'Signed in as ' + who.owner : 'Local run, no sign-in';
    $('sign-out').hidden = !who.signOut;
    if (who.signOut) $('sign-out').href = who.signOut;
    $('account-section').hidden = false;
    // A personal token cannot make tokens (403): only a signed-in page or the local run can.
    $('token-form').hidden = who.via === 'token';
    await loadTokens();
  }

  async function loadTokens() {
    const r = await call('GET', '/api/tokens');
    if (r.status === 401) { sessionEnded(); return; }
    if (r.status !== 200) { $('token-status').textContent = r.body.detail || ('Could not list tokens (' + r.status + ').'); return; }
    renderTokens(r.body);
  }

  function renderTokens(list) {
    const body = $('tokens').tBodies[0];
    if (!list.length) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = 3;
      td.className = 'muted';
      td.textContent = 'No tokens.';
      tr.append(td);
      body.replaceChildren(tr);
      return;
    }
    body.replaceChildren(...list.map((t) => {
      const tr = document.createElement('tr');
      tr.dataset.id = t.id;
      const name = document.createElement('td');
      name.textContent = t.name;
      const created = document.createElement('td');
      created.textContent = when(t.createdAt);
      const action = document.createElement('td');
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.className = 'ghost small-button';
      revoke.textContent = 'Revoke';
      revoke.setAttribute('aria-label', 'Revoke the token ' + t.name);
      revoke.addEventListener('click', () => revokeToken(t));
      action.append(revoke);
      tr.append(name, created, action);
      return tr;
    }));
  }

  async function revokeToken(t) {
    const r = await call('DELETE', '/api/tokens/' + encodeURIComponent(t.id));
    if (r.status === 401) { sessionEnded(); return; }
    $('token-status').textContent = r.status === 204 ? 'Revoked "' + t.name + '"; it no longer works.'
      : (r.body.detail || ('Could not revoke it (' + r.status + ').'));
    await loadTokens();
  }

  $('token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('token-create').disabled = true;
    try {
      const r = await call('POST', '/api/tokens', { name: $('token-name').value });
      if (r.status === 401) { sessionEnded(); return; }
      if (r.status !== 201) {
        $('token-new').hidden = true;
        $('token-status').textContent = r.body.detail || ('Could not create a token (' + r.status + ').');
        return;
      }
      // The one time the secret exists on the page; it is not kept anywhere else.
      $('token-secret').textContent = r.body.token;
      $('token-new').hidden = false;
      $('token-name').value = '';
      $('token-status').textContent = 'Created "' + r.body.name + '".';
      await loadTokens();
    } catch (e) {
      $('token-status').textContent = 'The request did not reach the server. Try again.';
    } finally {
      $('token-create').disabled = false;
    }
  });

  loadMe();
})();
