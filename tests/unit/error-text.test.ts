/**
 * Error sentences (shared/error-text.ts): the codes a user meets in the first hour become
 * sentences that say what happened, and a crashed server is explained by its `Error:` line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crashReason, plainError } from '../../shared/error-text.js';

describe('plainError', () => {
  it('a program that is not installed', () => {
    assert.equal(plainError('spawn nodee ENOENT'), "'nodee' was not found on PATH. Check the command's spelling, or give its full path");
    assert.match(plainError('spawn /opt/x/server EACCES'), /^'\/opt\/x\/server' could not be started: permission denied/);
  });

  it('nothing listening, unknown hosts', () => {
    assert.equal(
      plainError('Version negotiation probe failed: fetch failed: connect ECONNREFUSED 127.0.0.1:9999'),
      'Nothing is listening at 127.0.0.1:9999',
    );
    assert.equal(
      plainError('SSE error: TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:9999'),
      'Nothing is listening at 127.0.0.1:9999',
    );
    assert.equal(plainError('getaddrinfo ENOTFOUND mcp.example.invalid'), 'The host name mcp.example.invalid could not be found');
  });

  it('MCP error codes say what happened, never the code', () => {
    assert.equal(plainError('McpError: MCP error -32001: Request timed out'), 'The request timed out');
    assert.equal(
      plainError('The server cancelled the request: McpError: MCP error -32001: Request timed out'),
      'The server cancelled the request: the request timed out',
    );
    assert.equal(
      plainError('MCP error -32602: Invalid arguments for tool echo'),
      'The server refused the request’s parameters (Invalid arguments for tool echo)',
    );
    assert.equal(plainError('MCP error -32000: Connection closed'), 'The connection to the server closed');
    assert.equal(plainError('MCP error -31999: Custom failure'), 'Custom failure');
    for (const raw of ['McpError: MCP error -32001: Request timed out', 'MCP error -32603: boom'])
      assert.doesNotMatch(plainError(raw), /-32\d{3}|McpError/);
  });

  it('leaves other messages alone', () => {
    assert.equal(plainError('  Server "x" is not connected  '), 'Server "x" is not connected');
  });
});

describe('crashReason', () => {
  it('a Node crash: the Error line, not `requireStack: [] | } | Node.js v20`', () => {
    const stderr = [
      'node:internal/modules/cjs/loader:1210',
      '  throw err;',
      '  ^',
      '',
      "Error: Cannot find module 'nonexistent-mod'",
      'Require stack:',
      '- /work/[eval]',
      '    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)',
      '    at evalScript (node:internal/process/execution:133:3) {',
      "  code: 'MODULE_NOT_FOUND',",
      "  requireStack: [ '/work/[eval]' ]",
      '}',
      '',
      'Node.js v20.20.2',
    ];
    assert.equal(crashReason(stderr), "Error: Cannot find module 'nonexistent-mod'");
    assert.equal(
      crashReason(['/srv/x.js:1', 'TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string', '    at f (x.js:1:1)']),
      'TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string',
    );
  });

  it('a Python traceback: the exception on its last line', () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "server.py", line 3, in <module>',
      '    import mcp',
      "ModuleNotFoundError: No module named 'mcp'",
    ];
    assert.equal(crashReason(stderr), "ModuleNotFoundError: No module named 'mcp'");
  });

  it('no Error line: the last line that is not noise', () => {
    assert.equal(crashReason(['[rich-fixture] refusing to start (code 3)', '']), '[rich-fixture] refusing to start (code 3)');
    assert.equal(crashReason([]), undefined);
  });
});
