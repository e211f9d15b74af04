// How the SQLite binding for history.db was chosen (README, "History storage"): the same schema
// shape on each candidate: a bulk insert of N entries (~5 KB of text each, with a contentless FTS5
// index), then p50/p95 of 20 runs for a page, a filtered page, FTS searches and single appends,
// the journal mode the binding accepts (WAL or not), RSS and file size. The candidates are not
// dependencies of Sluice; install them into a scratch folder first:
//   npm i --prefix /tmp/bindings libsql node-sqlite3-wasm
//   NODE_PATH=/tmp/bindings/node_modules node bench/history-bindings.cjs libsql|wasm [N]
// Plain CommonJS on purpose: it runs under bare Node against packages Sluice does not depend on.
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require('fs'),
  path = require('path'),
  os = require('os');
const which = process.argv[2];
const N = Number(process.argv[3] || 100000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i16-cmp-'));
const file = path.join(dir, 'h.db');
let db, exec, run, all, tx;
if (which === 'libsql' || which === 'better') {
  // The same (better-sqlite3) API: prepared statements, a transaction wrapper.
  const D = require(which === 'libsql' ? 'libsql' : 'better-sqlite3');
  db = new D(file);
  exec = (s) => db.exec(s);
  const cache = new Map();
  const st = (s) => cache.get(s) ?? (cache.set(s, db.prepare(s)), cache.get(s));
  run = (s, p) => st(s).run(p);
  all = (s, p) => st(s).all(p);
  tx = (f) => db.transaction(f)();
} else if (which === 'wasm') {
  const { Database } = require('node-sqlite3-wasm');
  db = new Database(file);
  exec = (s) => db.exec(s);
  run = (s, p) => db.run(s, p);
  all = (s, p) => db.all(s, p);
  tx = (f) => {
    db.exec('BEGIN');
    f();
    db.exec('COMMIT');
  };
}
const jm = all('PRAGMA journal_mode=WAL');
exec('PRAGMA synchronous=NORMAL');
exec(`CREATE TABLE e(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, t INTEGER, server TEXT, outcome TEXT, body TEXT);
CREATE INDEX e_t ON e(t); CREATE INDEX e_s ON e(server, t);
CREATE VIRTUAL TABLE f USING fts5(text, content='', contentless_delete=1);`);
const words = 'alpha beta gamma delta weather forecast summarise repository commit tool call server answer model token'.split(' ');
const text = (i) => Array.from({ length: 300 }, (_, k) => words[(i * 7 + k * 13) % words.length]).join(' ') + ` uniq${i}`;
const t0 = performance.now();
const ins = 'INSERT INTO e(id,t,server,outcome,body) VALUES (?,?,?,?,?)',
  insf = 'INSERT INTO f(rowid,text) VALUES (?,?)';
for (let b = 0; b < N; b += 5000)
  tx(() => {
    for (let i = b; i < Math.min(N, b + 5000); i++) {
      const tx_ = text(i);
      const r = run(ins, [`id${i}`, 1e12 + i, `s${i % 50}`, i % 5 ? 'sent' : 'rejected', JSON.stringify({ m: tx_, a: tx_ })]);
      run(insf, [r.lastInsertRowid, tx_]);
    }
  });
const bulk = performance.now() - t0;
const q = (label, fn) => {
  const ts = [];
  for (let k = 0; k < 20; k++) {
    const s = performance.now();
    fn(k);
    ts.push(performance.now() - s);
  }
  ts.sort((a, b) => a - b);
  return `${label} p50 ${ts[10].toFixed(2)} p95 ${ts[18].toFixed(2)}`;
};
const out = [which, `journal=${JSON.stringify(jm)}`, `bulk ${N} ${(bulk / 1000).toFixed(1)}s`];
out.push(q('page', () => all('SELECT rowid,id,t,server,outcome FROM e ORDER BY t DESC LIMIT 50', [])));
out.push(q('filter', (k) => all('SELECT rowid,id,t,server,outcome FROM e WHERE server=? ORDER BY t DESC LIMIT 50', [`s${k}`])));
out.push(
  q('fts', (k) =>
    all('SELECT e.rowid,e.id FROM f JOIN e ON e.rowid=f.rowid WHERE f MATCH ? ORDER BY f.rowid DESC LIMIT 50', [`uniq${k * 1000}`]),
  ),
);
out.push(
  q('fts-common', () =>
    all('SELECT e.rowid,e.id FROM f JOIN e ON e.rowid=f.rowid WHERE f MATCH ? ORDER BY f.rowid DESC LIMIT 50', ['weather']),
  ),
);
out.push(
  q('append', (k) => {
    const tx_ = text(k);
    const r = run(ins, [`x${k}`, 2e12 + k, 's1', 'sent', JSON.stringify({ m: tx_ })]);
    run(insf, [r.lastInsertRowid, tx_]);
  }),
);
out.push(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)}MB size ${(fs.statSync(file).size / 1e6).toFixed(0)}MB`);
console.log(out.join(' | '));
db.close();
fs.rmSync(dir, { recursive: true });
