/**
 * Reading other MCP hosts' server lists: Claude Desktop's and Cursor's `{ "mcpServers": … }` and
 * VS Code's `{ "servers": …, "inputs": […] }` (JSON with comments). Pure: text in, candidates out.
 *
 * Only the connection fields are taken from a foreign file (command, args, env, cwd, url, headers,
 * type). Sluice's own fields (era, sampling policy, …) are never imported: a file from elsewhere
 * must not be able to grant itself, say, automatic sampling approval.
 */
import { z } from 'zod';
import { ServerDefinitionSchema, type ServerDefinition } from '../../../shared/domain.js';
import { looksSecret, type ImportCandidate, type ImportInput, type ImportPreview } from '../../../shared/server-features.js';
import { parseJsonc } from './jsonc.js';
import { isPlainObject } from '../../../shared/json-value.js';

const StringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

/** One server entry as the other hosts write it; unknown fields are ignored. */
const ForeignEntrySchema = z.looseObject({
  type: z.string().optional(),
  command: z.string().optional(),
  args: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
  env: StringMap.optional(),
  cwd: z.string().optional(),
  url: z.string().optional(),
  serverUrl: z.string().optional(),
  headers: StringMap.optional(),
  disabled: z.boolean().optional(),
});
type ForeignEntry = z.infer<typeof ForeignEntrySchema>;

const VsCodeInputSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  description: z.string().optional(),
  password: z.boolean().optional(),
});

export interface ParsedHostConfig {
  format: ImportPreview['format'];
  entries: Array<{ name: string; entry?: ForeignEntry; problem?: string }>;
  inputs: Array<z.infer<typeof VsCodeInputSchema>>;
  problems: string[];
}

/** Parses a host config file's text; throws an Error with a readable message when it is not one. */
export function parseHostConfig(text: string): ParsedHostConfig {
  let json: unknown;
  try {
    json = parseJsonc(text);
  } catch (error) {
    throw new Error(`The file is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isPlainObject(json)) throw new Error('The file does not contain a JSON object');
  const root = json;
  // VS Code's settings.json nests the same shape under "mcp".
  const vscodeRoot = isPlainObject(root.servers) ? root : isPlainObject(root.mcp) && isPlainObject(root.mcp.servers) ? root.mcp : undefined;
  const servers = isPlainObject(root.mcpServers) ? root.mcpServers : vscodeRoot?.servers;
  if (!isPlainObject(servers))
    throw new Error('No server list found: expected an "mcpServers" object (Claude Desktop, Cursor) or a "servers" object (VS Code)');
  const format: ImportPreview['format'] = isPlainObject(root.mcpServers) ? 'mcpServers' : 'vscode';
  const problems: string[] = [];
  const entries = Object.entries(servers).map(([name, raw]) => {
    const parsed = ForeignEntrySchema.safeParse(raw);
    if (!parsed.success) return { name, problem: `not a server entry (${parsed.error.issues[0]?.message ?? 'invalid'})` };
    return { name, entry: parsed.data };
  });
  const inputs: ParsedHostConfig['inputs'] = [];
  const rawInputs = format === 'vscode' ? vscodeRoot?.inputs : undefined;
  if (Array.isArray(rawInputs)) {
    for (const raw of rawInputs) {
      const input = VsCodeInputSchema.safeParse(raw);
      if (input.success) inputs.push(input.data);
      else problems.push('An entry of "inputs" has no "id" and was ignored');
    }
  }
  return { format, entries, inputs, problems };
}

const PLACEHOLDER = /\$\{([A-Za-z]+)(?::([^}]*))?\}/g;

/** Every `${…}` placeholder in the entry's strings, e.g. `${input:api-key}`, `${env:TOKEN}`. */
export function placeholdersIn(entry: ForeignEntry): string[] {
  const found = new Set<string>();
  for (const text of entryStrings(entry)) for (const match of text.matchAll(PLACEHOLDER)) found.add(match[0]);
  return [...found];
}

function entryStrings(entry: ForeignEntry): string[] {
  return [
    entry.command ?? '',
    ...(entry.args ?? []),
    ...Object.values(entry.env ?? {}),
    entry.cwd ?? '',
    entry.url ?? entry.serverUrl ?? '',
    ...Object.values(entry.headers ?? {}),
  ];
}

export interface ResolveContext {
  /** Values the user typed for `${input:id}`. */
  inputValues: Record<string, string>;
  home: string;
  /** The workspace folder, for `${workspaceFolder}` (a `.vscode/mcp.json`'s project). */
  workspaceFolder?: string;
  env: Record<string, string | undefined>;
}

/** Replaces the placeholders it can resolve; the rest stay as they are. */
export function resolvePlaceholders(text: string, context: ResolveContext): string {
  return text.replace(PLACEHOLDER, (whole, kind: string, argument: string | undefined) => {
    if (kind === 'input' && argument !== undefined) {
      const value = context.inputValues[argument];
      return value !== undefined && value !== '' ? value : whole;
    }
    if (kind === 'env' && argument !== undefined) return context.env[argument] ?? whole;
    if (kind === 'userHome') return context.home;
    if ((kind === 'workspaceFolder' || kind === 'workspaceRoot') && context.workspaceFolder) return context.workspaceFolder;
    return whole;
  });
}

function mapValues(record: Record<string, string> | undefined, fn: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, fn(value)]));
}

/** Builds a Sluice definition from a foreign entry (placeholders resolved where possible). */
export function entryToDefinition(
  name: string,
  entry: ForeignEntry,
  context: ResolveContext,
): { definition?: ServerDefinition; shown: Shown; unresolved: string[]; problem?: string; needsInput?: string } {
  const resolve = (text: string) => resolvePlaceholders(text, context);
  const declared = entry.type?.toLowerCase();
  const hasUrl = Boolean(entry.url ?? entry.serverUrl);
  const type: Shown['type'] =
    declared === 'streamable-http' || declared === 'streamablehttp' || declared === 'http'
      ? 'http'
      : declared === 'sse'
        ? 'sse'
        : declared === 'stdio'
          ? 'stdio'
          : hasUrl
            ? 'http'
            : 'stdio';
  // A transport Sluice does not know is refused rather than guessed from the other fields.
  if (declared !== undefined && !['streamable-http', 'streamablehttp', 'http', 'sse', 'stdio'].includes(declared)) {
    return { shown: { type }, unresolved: [], problem: `unknown transport type "${entry.type}"` };
  }
  const url = resolve(entry.url ?? entry.serverUrl ?? '');
  const resolved: ForeignEntry =
    type === 'stdio'
      ? {
          command: resolve(entry.command ?? ''),
          args: (entry.args ?? []).map(resolve),
          env: mapValues(entry.env, resolve),
          ...(entry.cwd ? { cwd: resolve(entry.cwd) } : {}),
        }
      : { url, headers: mapValues(entry.headers, resolve) };
  const candidate = { name, type, ...resolved };
  const shown: Shown = { ...resolved, type };
  const unresolved = placeholdersIn(resolved);
  // A server with a value still missing cannot work yet: it is imported switched off.
  const enabled = entry.disabled !== true && unresolved.length === 0;
  // A URL that is only a placeholder cannot be checked until it is filled in.
  const check = ServerDefinitionSchema.safeParse({
    ...candidate,
    enabled,
    ...(type !== 'stdio' && unresolved.length ? { url: url.replace(PLACEHOLDER, 'placeholder') } : {}),
  });
  if (!check.success) return { shown, unresolved, problem: check.error.issues.map((issue) => issue.message).join('; ') };
  const real = ServerDefinitionSchema.safeParse({ ...candidate, enabled });
  if (!real.success) return { shown, unresolved, needsInput: `The URL needs ${unresolved.join(', ')} filled in` };
  return { definition: real.data, shown, unresolved };
}

/** Identity for duplicate detection: the same command line, or the same URL. */
export function serverIdentity(definition: ServerDefinition): string {
  return definition.type === 'stdio'
    ? `stdio ${JSON.stringify([definition.command, ...(definition.args ?? [])])}`
    : `url ${definition.url.replace(/\/+$/, '')}`;
}

function freeName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The converted entry, before validation: what the preview shows is what would be saved. */
type Shown = { type: 'stdio' | 'http' | 'sse' } & Pick<ForeignEntry, 'command' | 'args' | 'env' | 'cwd' | 'url' | 'headers'>;

/** One line: the command line for stdio, the URL otherwise (both from the converted entry). */
function summarize(shown: Shown): string {
  if (shown.type !== 'stdio') return shown.url ?? '';
  return [shown.command || '(no command)', ...(shown.args ?? [])].join(' ');
}

const mask = (name: string, value: string) => (looksSecret(name) && value !== '' ? `•••••• (${value.length} characters, hidden)` : value);
const pairs = (record: Record<string, string> | undefined) =>
  record && Object.keys(record).length ? Object.entries(record).map(([name, value]) => ({ name, value: mask(name, value) })) : undefined;

/** Everything that decides what runs or where requests go, with secret-looking values masked. */
function detailsOf(shown: Shown): NonNullable<ImportCandidate['details']> {
  if (shown.type !== 'stdio') return { url: shown.url, headers: pairs(shown.headers) };
  return { command: shown.command, args: shown.args, ...(shown.cwd ? { cwd: shown.cwd } : {}), env: pairs(shown.env) };
}

/** The preview a user sees before importing: one candidate per entry, duplicates flagged. */
export function buildPreview(
  path: string,
  digest: string,
  parsed: ParsedHostConfig,
  existing: readonly ServerDefinition[],
  context: ResolveContext,
): ImportPreview {
  const takenNames = new Set(existing.map((d) => d.name));
  const identities = new Map(existing.map((d) => [serverIdentity(d), d.name]));
  const inputUse = new Map<string, string[]>();
  const candidates: ImportCandidate[] = parsed.entries.map(({ name, entry, problem }) => {
    if (!entry) return { sourceName: name, suggestedName: name, summary: '', placeholders: [], problem };
    const placeholders = placeholdersIn(entry);
    for (const placeholder of placeholders) {
      const id = /^\$\{input:([^}]*)\}$/.exec(placeholder)?.[1];
      if (id !== undefined) inputUse.set(id, [...(inputUse.get(id) ?? []), name]);
    }
    // Shape-check with the inputs as they are now (unfilled ones stay placeholders).
    const built = entryToDefinition(name, entry, context);
    const suggestedName = freeName(name, takenNames);
    takenNames.add(suggestedName);
    const sameAs = built.definition ? identities.get(serverIdentity(built.definition)) : undefined;
    const duplicate =
      sameAs !== undefined
        ? { kind: 'same-server' as const, existing: sameAs }
        : suggestedName !== name
          ? { kind: 'name' as const, existing: name }
          : undefined;
    return {
      sourceName: name,
      suggestedName,
      summary: summarize(built.shown),
      type: built.definition?.type ?? built.shown.type,
      details: detailsOf(built.shown),
      placeholders,
      ...(duplicate ? { duplicate } : {}),
      ...(built.problem ? { problem: built.problem } : {}),
    };
  });
  const declared = new Map(parsed.inputs.map((input) => [input.id, input]));
  const ids = new Set([...declared.keys(), ...inputUse.keys()]);
  const inputs: ImportInput[] = [...ids]
    .filter((id) => inputUse.has(id))
    .map((id) => ({
      id,
      description: declared.get(id)?.description,
      password: declared.get(id)?.password,
      usedBy: inputUse.get(id) ?? [],
    }));
  return { path, digest, format: parsed.format, candidates, inputs, problems: parsed.problems };
}
