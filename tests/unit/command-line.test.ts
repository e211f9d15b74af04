/** A whole command line pasted into the server form's Command field is split into program and arguments. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandLineParts, splitCommandLine } from '../../renderer/src/lib/command-line.js';

describe('splitCommandLine', () => {
  it('splits on whitespace', () => {
    assert.deepEqual(splitCommandLine('node --import tsx server.ts'), ['node', '--import', 'tsx', 'server.ts']);
    assert.deepEqual(splitCommandLine('  npx   -y\t@modelcontextprotocol/server-everything  '), [
      'npx',
      '-y',
      '@modelcontextprotocol/server-everything',
    ]);
  });

  it('quotes group words and are removed; empty quotes are an empty argument', () => {
    assert.deepEqual(splitCommandLine(`"/Applications/My App/server" --name 'two words' ""`), [
      '/Applications/My App/server',
      '--name',
      'two words',
      '',
    ]);
    assert.deepEqual(splitCommandLine(`python -c "print('hi')"`), ['python', '-c', "print('hi')"]);
    assert.deepEqual(splitCommandLine(`echo "say \\"hi\\""`), ['echo', 'say "hi"']);
    assert.deepEqual(splitCommandLine('--flag="a b"'), ['--flag=a b']);
  });

  it('backslashes escape spaces and quotes but Windows paths are kept', () => {
    assert.deepEqual(splitCommandLine('/opt/my\\ app/server --x'), ['/opt/my app/server', '--x']);
    assert.deepEqual(splitCommandLine('C:\\tools\\server.exe --port 3'), ['C:\\tools\\server.exe', '--port', '3']);
  });
});

describe('commandLineParts', () => {
  it('one word is not split', () => {
    assert.equal(commandLineParts('npx'), undefined);
    assert.equal(commandLineParts('"C:\\Program Files\\node\\node.exe"'), undefined);
  });
  it('a command line becomes the program and its arguments', () => {
    assert.deepEqual(commandLineParts('node --import tsx server.ts'), { command: 'node', args: ['--import', 'tsx', 'server.ts'] });
  });
});
