/** Gateway names stay within the spec's tool-name rules, never collide, and never change for a given server. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayName, serverPrefix } from '../../electron/core/gateway/names.js';

const VALID = /^[A-Za-z0-9_.-]{1,128}$/;

describe('gateway names', () => {
  it('keeps a valid server name as the prefix', () => {
    assert.equal(gatewayName('github', 'create_issue'), 'github__create_issue');
  });
  it('sanitises other names, with a hash so similar names never collide, and is stable', () => {
    const spaced = gatewayName('My server', 'echo');
    const underscored = gatewayName('My_server', 'echo');
    assert.match(spaced, VALID);
    assert.notEqual(spaced, underscored);
    assert.equal(gatewayName('My server', 'echo'), spaced, 'same input, same name');
    assert.match(gatewayName('Ünïcødé ✨', 'do it!'), VALID);
    assert.match(serverPrefix('a__b'), /^a_b-[0-9a-f]{6}$/, 'a prefix never contains the separator');
  });
  it('stays within 128 characters', () => {
    const name = gatewayName('s'.repeat(100), 't'.repeat(120));
    assert.match(name, VALID);
    assert.notEqual(name, gatewayName('s'.repeat(100), `${'t'.repeat(119)}u`));
  });
});
