/** The server form's OAuth fields (what is saved, what is refused) and the history filters as SQL. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOAuthDraft, oauthDraftFrom } from '../../renderer/src/components/servers/oauth-draft.js';
import { filterSql, ftsQuery } from '../../electron/core/history/history-query.js';
import { searchMatch } from '../../electron/core/history/history-search.js';

describe('OAuth fields of the server form', () => {
  const empty = oauthDraftFrom(undefined);

  it('empty fields save no oauth settings and leave the stored secret alone', () => {
    assert.deepEqual(checkOAuthDraft(empty, false), { settings: undefined, clientSecret: undefined, privateKey: undefined, errors: {} });
  });

  it('a static client: trimmed ID, scopes split on spaces, port as a number, the secret to store', () => {
    const checked = checkOAuthDraft(
      { ...empty, clientId: ' app-1 ', clientSecret: 's3', scopes: ' read  write\n', redirectPort: '38123' },
      false,
    );
    assert.deepEqual(checked, {
      settings: { clientId: 'app-1', scopes: ['read', 'write'], redirectPort: 38123 },
      clientSecret: 's3',
      privateKey: undefined,
      errors: {},
    });
  });

  it('refuses ports outside 1024-65535 and non-numbers, with one message', () => {
    for (const port of ['80', '1023', '65536', '3000.5', 'abc', '-1']) {
      const checked = checkOAuthDraft({ ...empty, redirectPort: port }, false);
      assert.equal(checked.errors.redirectPort, 'The redirect port must be a whole number from 1024 to 65535.', port);
      assert.equal(checked.settings, undefined, port);
    }
    assert.deepEqual(checkOAuthDraft({ ...empty, redirectPort: '1024' }, false).settings, { redirectPort: 1024 });
  });

  it('client credentials need a client ID; a private key is taken in PEM form only, and removed when no longer signing with it', () => {
    assert.ok(checkOAuthDraft({ ...empty, signIn: 'client_secret_basic' }, false).errors.clientId);
    const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----';
    const jwt = checkOAuthDraft({ ...empty, clientId: 'robot', signIn: 'private_key_jwt', privateKey: `${pem}\n` }, false);
    assert.deepEqual(jwt.settings, { clientId: 'robot', grant: 'client_credentials', clientAuth: 'private_key_jwt' });
    assert.equal(jwt.privateKey, pem);
    assert.ok(
      checkOAuthDraft({ ...empty, clientId: 'robot', signIn: 'private_key_jwt', privateKey: 'not a key' }, false).errors.privateKey,
    );
    const editing = oauthDraftFrom(jwt.settings);
    assert.equal(editing.signIn, 'private_key_jwt');
    assert.equal(editing.privateKey, '', 'the key is never pre-filled');
    assert.equal(checkOAuthDraft(editing, true).privateKey, undefined, 'blank keeps the stored key');
    assert.equal(checkOAuthDraft({ ...editing, signIn: 'browser' }, true).privateKey, null);
  });

  it('a client metadata URL must be https with a path', () => {
    assert.ok(checkOAuthDraft({ ...empty, clientMetadataUrl: 'http://app.example/client.json' }, false).errors.clientMetadataUrl);
    assert.ok(checkOAuthDraft({ ...empty, clientMetadataUrl: 'https://app.example/' }, false).errors.clientMetadataUrl);
    assert.deepEqual(checkOAuthDraft({ ...empty, clientMetadataUrl: ' https://app.example/client.json ' }, false).settings, {
      clientMetadataUrl: 'https://app.example/client.json',
    });
  });

  it('enterprise-managed sign-in: needs both client IDs, the MCP client secret, the IdP issuer and an ID token (a JWT); hides the browser-only fields; secrets removed when switched off', () => {
    const missing = checkOAuthDraft({ ...empty, signIn: 'cross_app_access', redirectPort: '80' }, false);
    assert.deepEqual(
      Object.keys(missing.errors).sort(),
      ['clientId', 'idpClientId', 'idpIdToken', 'idpIssuer'],
      'the hidden port is not checked',
    );
    const complete = {
      ...empty,
      signIn: 'cross_app_access' as const,
      clientId: 'mcp-client',
      clientSecret: 'mcp-secret',
      idpIssuer: ' https://login.example.com ',
      idpClientId: 'idp-client',
      idpClientSecret: 'idp-secret',
      idpIdToken: ' eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln\n',
      clientMetadataUrl: 'https://app.example/client.json',
    };
    assert.ok(checkOAuthDraft({ ...complete, clientSecret: '' }, false).errors.clientSecret, 'the MCP client secret is required');
    assert.ok(checkOAuthDraft({ ...complete, idpIdToken: 'not a token' }, false).errors.idpIdToken);
    assert.ok(checkOAuthDraft({ ...complete, idpIssuer: 'login.example.com' }, false).errors.idpIssuer);
    assert.ok(checkOAuthDraft({ ...complete, idpTokenEndpoint: 'ftp://x' }, false).errors.idpTokenEndpoint);
    const checked = checkOAuthDraft(complete, false);
    assert.deepEqual(checked, {
      settings: { clientId: 'mcp-client', grant: 'cross_app_access', idp: { issuer: 'https://login.example.com', clientId: 'idp-client' } },
      clientSecret: 'mcp-secret',
      privateKey: undefined,
      idpClientSecret: 'idp-secret',
      idpIdToken: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln',
      errors: {},
    });
    // Editing: nothing secret is pre-filled, blanks keep what is stored; leaving the mode removes the IdP secrets.
    const editing = oauthDraftFrom(checked.settings);
    assert.equal(editing.signIn, 'cross_app_access');
    assert.equal(editing.idpIssuer, 'https://login.example.com');
    assert.deepEqual([editing.clientSecret, editing.idpClientSecret, editing.idpIdToken], ['', '', '']);
    const kept = checkOAuthDraft(editing, true, true);
    assert.deepEqual(kept.errors, {});
    assert.equal(kept.idpIdToken, undefined);
    assert.equal(kept.idpClientSecret, undefined);
    const switched = checkOAuthDraft({ ...editing, signIn: 'browser' }, true, true);
    assert.equal(switched.idpIdToken, null);
    assert.equal(switched.idpClientSecret, null);
    assert.equal(switched.settings?.grant, undefined);
  });

  it('a secret without a client ID is refused', () => {
    assert.ok(checkOAuthDraft({ ...empty, clientSecret: 'orphan' }, false).errors.clientSecret);
  });

  it('editing: blank secret keeps the stored one; removing the client ID removes its secret', () => {
    const draft = oauthDraftFrom({ clientId: 'app-1', scopes: ['read'] });
    assert.equal(draft.clientSecret, '', 'the secret is never pre-filled');
    assert.equal(checkOAuthDraft(draft, true).clientSecret, undefined);
    assert.equal(checkOAuthDraft({ ...draft, clientId: '' }, true).clientSecret, null);
  });
});

describe('History filters as SQL', () => {
  it('turns typed text into quoted whole words (a typed trailing * keeps a prefix), so FTS5 syntax is searched for, never run', () => {
    assert.equal(ftsQuery('weather Zürich'), '"weather" "Zürich"');
    assert.equal(ftsQuery('zür*'), '"zür"*');
    assert.equal(ftsQuery('a" OR b* NEAR(c)'), '"a" "OR" "b"* "NEAR" "c"');
    assert.equal(ftsQuery('  -- !! '), undefined, 'no word: no text filter');
    assert.equal(ftsQuery(undefined), undefined);
  });

  it('puts every filter in bound parameters, with the search join only when there is text', () => {
    const plain = filterSql({ serverName: "x' OR 1=1 --", outcome: 'sent' }, { before: 10 });
    assert.equal(plain.from, 'history h');
    assert.equal(plain.where, 'h.server = ? AND h.outcome = ? AND h.seq < ?');
    assert.deepEqual(plain.params, ["x' OR 1=1 --", 'sent', 10]);
    // Schema v3: the words and the filters' tokens in one MATCH, the column conditions kept.
    const search = filterSql({ text: 'news', kind: 'toolCall', app: 'claude' }, { upTo: 5 });
    assert.match(search.from, /^history_search f CROSS JOIN history h/, 'the search index is the outer loop');
    assert.equal(search.where, 'f.history_search MATCH ? AND h.kind = ? AND h.app = ? AND f.rowid <= ?');
    assert.deepEqual(search.params, [searchMatch('"news"', { kind: 'toolCall', app: 'claude' }), 'toolCall', 'claude', 5]);
    // A migrated v2 file until its entries are in the new index: v2's words-only index.
    const legacy = filterSql({ text: 'news', kind: 'toolCall', app: 'claude' }, { upTo: 5, index: 'legacy' });
    assert.match(legacy.from, /^history_fts f CROSS JOIN history h/, 'the search index is the outer loop');
    assert.equal(legacy.where, 'f.history_fts MATCH ? AND h.kind = ? AND h.app = ? AND f.rowid <= ?');
    assert.deepEqual(legacy.params, ['"news"', 'toolCall', 'claude', 5]);
    const tool = filterSql({ tool: 'write_file', serverName: 'notes' });
    assert.equal(tool.where, 'h.server = ? AND h.tool = ?');
    assert.equal(filterSql({}).where, '1');
  });
});
