/**
 * Elicitation forms, shared by the core (which validates what it sends back to a server) and the
 * renderer (which renders the form and shows validation messages as the user types).
 *
 * A server's `requestedSchema` is the spec's restricted JSON Schema: a flat object whose properties
 * are strings (with `format`, length limits and a pattern), numbers or integers (with bounds),
 * booleans, single-select enums (`enum`, `oneOf` with titles, or the legacy `enumNames`) and
 * multi-select enums (`type: "array"` with `items.enum` or `items.anyOf`). `parseRequestedSchema`
 * turns it into field descriptors; anything outside that subset is refused with a reason.
 * Pure: no Node, Electron or DOM imports.
 */

export type StringFormat = 'email' | 'uri' | 'date' | 'date-time';

export interface EnumOption {
  value: string;
  label: string;
}

interface FieldBase {
  name: string;
  /** What the user reads: the schema's `title`, else the property name. */
  label: string;
  description?: string;
  required: boolean;
}

export type FormField =
  | (FieldBase & {
      kind: 'string';
      format?: StringFormat;
      minLength?: number;
      maxLength?: number;
      pattern?: string;
      default?: string;
    })
  | (FieldBase & { kind: 'number'; integer: boolean; minimum?: number; maximum?: number; default?: number })
  | (FieldBase & { kind: 'boolean'; default?: boolean })
  | (FieldBase & { kind: 'enum'; options: EnumOption[]; default?: string })
  | (FieldBase & { kind: 'multi-enum'; options: EnumOption[]; minItems?: number; maxItems?: number; default?: string[] });

/** What the form holds while the user edits: text as typed, booleans, selected values. */
export type DraftValue = string | boolean | string[] | undefined;
export type FormDraft = Record<string, DraftValue>;
export type ContentValue = string | number | boolean | string[];
export type FormContent = Record<string, ContentValue>;

const FORMATS: readonly StringFormat[] = ['email', 'uri', 'date', 'date-time'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `enum` (+ legacy `enumNames`), or `oneOf`/`anyOf` of `{ const, title }`. */
function parseOptions(schema: Json, where: string): EnumOption[] | string {
  if (Array.isArray(schema.enum)) {
    if (!schema.enum.every((v) => typeof v === 'string')) return `${where}: enum values must be strings`;
    const names = Array.isArray(schema.enumNames) ? schema.enumNames : [];
    return schema.enum.map((value, i) => ({ value, label: typeof names[i] === 'string' ? names[i] : value }));
  }
  const list = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (!list) return `${where}: no enum options`;
  const options: EnumOption[] = [];
  for (const item of list) {
    if (!isObject(item) || typeof item.const !== 'string') return `${where}: every option needs a string "const"`;
    options.push({ value: item.const, label: optionalString(item.title) ?? item.const });
  }
  return options;
}

/** Parses a `requestedSchema`; returns the fields in the server's order, or why it cannot be shown. */
export function parseRequestedSchema(schema: unknown): { fields: FormField[] } | { error: string } {
  if (!isObject(schema) || schema.type !== 'object') return { error: 'The requested schema must be an object schema' };
  const properties = schema.properties ?? {};
  if (!isObject(properties)) return { error: 'The requested schema has no valid "properties"' };
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const fields: FormField[] = [];
  for (const [name, raw] of Object.entries(properties)) {
    if (!isObject(raw)) return { error: `Field "${name}" is not a schema` };
    const base: FieldBase = {
      name,
      label: optionalString(raw.title)?.trim() || name,
      description: optionalString(raw.description),
      required: required.has(name),
    };
    const where = `Field "${name}"`;
    if (raw.type === 'string' && (raw.enum !== undefined || raw.oneOf !== undefined || raw.anyOf !== undefined)) {
      const options = parseOptions(raw, where);
      if (typeof options === 'string') return { error: options };
      fields.push({ ...base, kind: 'enum', options, default: optionalString(raw.default) });
    } else if (raw.type === 'string') {
      const format = optionalString(raw.format);
      if (format !== undefined && !FORMATS.includes(format as StringFormat)) return { error: `${where}: unsupported format "${format}"` };
      fields.push({
        ...base,
        kind: 'string',
        format: format as StringFormat | undefined,
        minLength: optionalNumber(raw.minLength),
        maxLength: optionalNumber(raw.maxLength),
        pattern: optionalString(raw.pattern),
        default: optionalString(raw.default),
      });
    } else if (raw.type === 'number' || raw.type === 'integer') {
      fields.push({
        ...base,
        kind: 'number',
        integer: raw.type === 'integer',
        minimum: optionalNumber(raw.minimum),
        maximum: optionalNumber(raw.maximum),
        default: optionalNumber(raw.default),
      });
    } else if (raw.type === 'boolean') {
      fields.push({ ...base, kind: 'boolean', default: typeof raw.default === 'boolean' ? raw.default : undefined });
    } else if (raw.type === 'array') {
      if (!isObject(raw.items)) return { error: `${where}: a multi-select needs "items"` };
      const options = parseOptions(raw.items, where);
      if (typeof options === 'string') return { error: options };
      const defaults = Array.isArray(raw.default) ? raw.default.filter((v): v is string => typeof v === 'string') : undefined;
      fields.push({
        ...base,
        kind: 'multi-enum',
        options,
        minItems: optionalNumber(raw.minItems),
        maxItems: optionalNumber(raw.maxItems),
        default: defaults,
      });
    } else {
      return { error: `${where}: type "${String(raw.type)}" cannot be shown as a form field` };
    }
  }
  return { fields };
}

/** The form's starting values: the server's defaults, else empty. */
export function initialDraft(fields: readonly FormField[]): FormDraft {
  const draft: FormDraft = {};
  for (const field of fields) {
    switch (field.kind) {
      case 'string':
      case 'enum':
        draft[field.name] = field.default ?? (field.kind === 'string' ? '' : undefined);
        break;
      case 'number':
        draft[field.name] = field.default === undefined ? '' : String(field.default);
        break;
      case 'boolean':
        draft[field.name] = field.default;
        break;
      case 'multi-enum':
        draft[field.name] = field.default ? [...field.default] : [];
        break;
    }
  }
  return draft;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

function validDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function formatProblem(format: StringFormat, text: string): string | undefined {
  switch (format) {
    case 'email':
      return EMAIL.test(text) ? undefined : 'Enter an email address, e.g. name@example.com';
    case 'uri':
      try {
        new URL(text);
        return undefined;
      } catch {
        return 'Enter a full URI, e.g. https://example.com/page';
      }
    case 'date':
      return validDate(text) ? undefined : 'Enter a date as YYYY-MM-DD';
    case 'date-time':
      return DATE_TIME.test(text) && !Number.isNaN(Date.parse(text))
        ? undefined
        : 'Enter a date and time with a time zone, e.g. 2025-06-30T14:00:00Z';
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Checks one value that is present; returns a message for the user, or undefined. */
function valueProblem(field: FormField, value: ContentValue): string | undefined {
  switch (field.kind) {
    case 'string': {
      if (typeof value !== 'string') return 'Must be text';
      const length = [...value].length;
      if (field.minLength !== undefined && length < field.minLength) return `At least ${plural(field.minLength, 'character')}`;
      if (field.maxLength !== undefined && length > field.maxLength) return `At most ${plural(field.maxLength, 'character')}`;
      if (field.format) {
        const problem = formatProblem(field.format, value);
        if (problem) return problem;
      }
      if (field.pattern !== undefined) {
        let regex: RegExp | undefined;
        try {
          regex = new RegExp(field.pattern, 'u');
        } catch {
          regex = undefined; // A pattern we cannot compile is the server's problem; it validates again.
        }
        if (regex && !regex.test(value)) return `Must match the pattern ${field.pattern}`;
      }
      return undefined;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Must be a number';
      if (field.integer && !Number.isInteger(value)) return 'Must be a whole number';
      if (field.minimum !== undefined && value < field.minimum) return `Must be at least ${field.minimum}`;
      if (field.maximum !== undefined && value > field.maximum) return `Must be at most ${field.maximum}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Must be true or false';
    case 'enum':
      return typeof value === 'string' && field.options.some((o) => o.value === value) ? undefined : 'Pick one of the options';
    case 'multi-enum': {
      if (!Array.isArray(value) || !value.every((v) => field.options.some((o) => o.value === v))) return 'Pick from the options';
      if (new Set(value).size !== value.length) return 'Each option can be picked once';
      if (field.minItems !== undefined && value.length < field.minItems) return `Pick at least ${field.minItems}`;
      if (field.maxItems !== undefined && value.length > field.maxItems) return `Pick at most ${field.maxItems}`;
      return undefined;
    }
  }
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Validates content as it would be sent to the server: every required field present, every value
 * of the right type and within its limits, no unknown fields. Returns messages keyed by field.
 */
export function validateContent(fields: readonly FormField[], content: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const key of Object.keys(content)) {
    if (!fields.some((f) => f.name === key)) errors[key] = `"${key}" is not a field of this form`;
  }
  for (const field of fields) {
    const value = content[field.name];
    if (value === undefined) {
      if (field.required) errors[field.name] = 'Required';
      continue;
    }
    // An empty multi-select answers a required question only if the server allows zero picks.
    if (field.required && field.kind === 'multi-enum' && Array.isArray(value) && value.length === 0 && !field.minItems) {
      errors[field.name] = 'Required';
      continue;
    }
    const problem = valueProblem(field, value as ContentValue);
    if (problem) errors[field.name] = problem;
  }
  return errors;
}

/**
 * Turns the form's draft into content for the server. Empty optional fields are left out; a
 * boolean the user never touched counts as `false` when the server requires an answer.
 */
export function buildContent(fields: readonly FormField[], draft: FormDraft): { content: FormContent; errors: Record<string, string> } {
  const content: FormContent = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = draft[field.name];
    if (field.kind === 'boolean') {
      if (typeof raw === 'boolean') content[field.name] = raw;
      else if (field.required) content[field.name] = false;
      continue;
    }
    if (isEmpty(raw)) {
      if (field.required) errors[field.name] = 'Required';
      continue;
    }
    if (field.kind === 'number') {
      const text = String(raw).trim();
      const number = Number(text);
      if (text === '' || !Number.isFinite(number)) {
        errors[field.name] = field.integer ? 'Enter a whole number' : 'Enter a number';
        continue;
      }
      content[field.name] = number;
    } else {
      content[field.name] = raw as string | string[];
    }
  }
  for (const [name, message] of Object.entries(validateContent(fields, content))) errors[name] ??= message;
  return { content, errors };
}

// ---------- URL mode ----------

export interface CheckedUrl {
  /** The URL as it will be opened (normalised by the URL parser). */
  href: string;
  /** `https://` etc., the host (to highlight) and everything after it, for display. */
  parts: { before: string; host: string; after: string };
  /** Reasons to look twice (punycode, plain http), shown next to the URL. */
  warnings: string[];
}

/** Refuses what Sluice never opens (non-http(s), embedded credentials); splits the rest for display. */
export function checkElicitationUrl(raw: string): { ok: true; url: CheckedUrl } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: 'The server sent something that is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `Sluice only opens http:// and https:// addresses, not ${url.protocol}` };
  }
  if (url.username || url.password) {
    return { ok: false, error: 'The URL carries a user name or password; Sluice refuses to open URLs with credentials in them' };
  }
  const href = url.href;
  const before = `${url.protocol}//`;
  const host = url.host;
  const after = href.slice(before.length + host.length);
  const warnings: string[] = [];
  if (url.hostname.split('.').some((label) => label.startsWith('xn--'))) {
    warnings.push('The host name uses punycode (international characters); check that it is the site you expect.');
  }
  if (url.protocol === 'http:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    warnings.push('This address is not encrypted (http, not https).');
  }
  return { ok: true, url: { href, parts: { before, host, after }, warnings } };
}
