/**
 * `npm run bench`: Sluice's benchmarks. They print figures and write bench/RESULTS.md; they never
 * assert timings (the test suite has no timed assertions). Loopback only.
 *
 *   1. sampling overhead: 500 auto-approved round trips over stdio, Sluice's core vs a bare SDK Client
 *   2. request to dialog: server's createMessage → dialog visible in chromium (web mode), 100 requests
 *   3. scale: 50 stdio servers, 1,000 queued requests: render the queue, open one, host RSS
 *   4. history: 1,000,000 entries in history.db: start, pages, search, appends, the view, import
 *   5. gateway: tools/call on a 2 ms tool direct vs through the gateway (HTTP, stdio relay); 20 apps × 100 calls
 * Run one with `npm run bench -- overhead|dialog|scale|gateway|history` (its section of RESULTS.md
 * is replaced, the others kept). `npm run bench` runs all but history, which takes minutes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDialogLatency } from './request-to-dialog.js';
import { benchSamplingOverhead } from './sampling-overhead.js';
import { benchHistory } from './history.js';
import { benchScale } from './scale.js';
import { benchGateway } from './gateway.js';

export interface BenchSection {
  title: string;
  lines: string[];
}

function machine(): string[] {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let chromium = 'not installed';
  try {
    chromium = execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // reported as not installed
  }
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Sluice ${pkg.version}, Node ${process.version}, ${os.type()} ${os.release()} ${os.arch()}`,
    `- ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `- ${chromium}`,
  ];
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const sections: BenchSection[] = [];
  const runs: Array<[string, () => Promise<BenchSection>]> = [
    ['overhead', benchSamplingOverhead],
    ['dialog', benchDialogLatency],
    ['scale', benchScale],
    ['gateway', benchGateway],
    ['history', benchHistory],
  ];
  for (const [name, run] of runs) {
    if (only ? only !== name : name === 'history') continue;
    console.log(`\n== ${name} ==`);
    const section = await run();
    if (name !== 'history') for (const line of section.lines) console.log(line);
    sections.push(section);
  }
  const file = path.join(__dirname, 'RESULTS.md');
  // One benchmark run alone replaces its own section (same number) and keeps the others.
  const previous = only ? readSections(file) : [];
  for (const section of sections) {
    const number = section.title.split(' ')[0];
    const at = previous.findIndex((old) => old.title.split(' ')[0] === number);
    if (at >= 0) previous[at] = section;
    else previous.push(section);
  }
  const all = only ? previous : [...sections, ...readSections(file).filter((old) => old.title.startsWith('5.'))];
  const report = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (see bench/run.ts for what each figure measures).',
    '',
    '## Machine',
    ...machine(),
    '',
    ...all.flatMap((section) => [`## ${section.title}`, ...section.lines, '']),
  ].join('\n');
  writeFileSync(path.join(__dirname, 'RESULTS.md'), report);
  console.log('\nwrote bench/RESULTS.md');
}

/** The numbered sections of an existing RESULTS.md (the machine section is written anew). */
function readSections(file: string): BenchSection[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split(/^## /m)
    .slice(1)
    .map((block) => {
      const [title = '', ...lines] = block.trimEnd().split('\n');
      return { title, lines };
    })
    .filter((section) => /^\d+\./.test(section.title));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
