/**
 * The model behind the tool-argument form: a JSON Schema (as tools declare `inputSchema`) is
 * turned into field descriptions, the user's typing is kept as a *draft* (numbers stay the text
 * typed, so "1." or "-" are not lost mid-edit), and `draftToValue` coerces and validates the draft
 * into the arguments object, with one readable message per field path.
 *
 * Supported: string (with enum, format, min/maxLength, pattern), number, integer (with bounds),
 * boolean, enum of any primitive, arrays of those, nested objects. Anything else (oneOf, arrays of
 * objects, …) gets a JSON text field, so every schema stays usable.
 */
import { exampleValue } from './schema-defaults';

export type Schema = Record<string, unknown>;

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'array' | 'object' | 'json';

export type Draft = string | boolean | undefined | Draft[] | { [key: string]: Draft };

export function asSchema(value: unknown): Schema {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : {};
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  if (schema.properties) return 'object';
  return undefined;
}

export function fieldKind(schema: Schema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  const type = typeOf(schema);
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') return type;
  if (type === 'object' && schema.properties && typeof schema.properties === 'object') return 'object';
  if (type === 'array') {
    const item = fieldKind(asSchema(schema.items));
    return item === 'string' || item === 'number' || item === 'integer' || item === 'boolean' || item === 'enum' ? 'array' : 'json';
  }
  return 'json';
}

/** Whether a tool's input schema can be shown as a form (an object with properties, or no inputs). */
export function formSupported(inputSchema: Schema): boolean {
  return typeOf(inputSchema) === 'object' || inputSchema.type === undefined;
}

export function requiredKeys(schema: Schema): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((k): k is string => typeof k === 'string') : []);
}

export function properties(schema: Schema): Array<[string, Schema]> {
  return Object.entries(asSchema(schema.properties)).map(([key, value]) => [key, asSchema(value)]);
}

/** A JSON value shown in a text field: numbers and booleans as typed, anything else as JSON. */
function textOfJson(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** A draft for `schema` showing `value` (a value from JSON, or a default). */
export function valueToDraft(schema: Schema, value: unknown): Draft {
  switch (fieldKind(schema)) {
    case 'string':
      return typeof value === 'string' ? value : value === undefined || value === null ? '' : textOfJson(value);
    case 'number':
    case 'integer':
      return typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'enum':
      return value === undefined ? '' : JSON.stringify(value);
    case 'array': {
      const items = asSchema(schema.items);
      return Array.isArray(value) ? value.map((item) => valueToDraft(items, item)) : [];
    }
    case 'object': {
      const source = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      return Object.fromEntries(properties(schema).map(([key, sub]) => [key, valueToDraft(sub, source[key])]));
    }
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
  }
}

/** The starting draft: defaults, else the first enum value for required fields, else empty. */
export function initialDraft(inputSchema: Schema): Draft {
  const required = requiredKeys(inputSchema);
  const start: Record<string, unknown> = {};
  for (const [key, sub] of properties(inputSchema)) {
    if ('default' in sub) start[key] = sub.default;
    else if ('const' in sub) start[key] = sub.const;
    else if (required.has(key) && fieldKind(sub) === 'object') start[key] = exampleValue(sub);
  }
  return valueToDraft({ ...inputSchema, type: 'object' }, start);
}

export type Errors = Record<string, string>;

function isEmpty(draft: Draft): boolean {
  return draft === undefined || draft === '' || (Array.isArray(draft) && draft.length === 0);
}

/** An object draft where nothing was filled in (an optional nested object the user left alone). */
function allEmpty(draft: Draft): boolean {
  if (draft && typeof draft === 'object' && !Array.isArray(draft)) return Object.values(draft).every(allEmpty);
  return isEmpty(draft);
}

/** Coerces a draft into a value, collecting errors by path (`a.b[0]`). `undefined` = omit. */
export function draftToValue(schema: Schema, draft: Draft, path = '', errors: Errors = {}): { value: unknown; errors: Errors } {
  const fail = (message: string) => {
    errors[path || '(arguments)'] ??= message;
    return { value: undefined, errors };
  };
  const kind = fieldKind(schema);
  if (kind === 'object') {
    const source = draft && typeof draft === 'object' && !Array.isArray(draft) ? draft : {};
    const required = requiredKeys(schema);
    const out: Record<string, unknown> = {};
    for (const [key, sub] of properties(schema)) {
      const childPath = path ? `${path}.${key}` : key;
      const child = source[key];
      if (fieldKind(sub) === 'object' ? !required.has(key) && allEmpty(child) : isEmpty(child)) {
        if (required.has(key)) errors[childPath] ??= 'Required';
        continue;
      }
      const { value } = draftToValue(sub, child, childPath, errors);
      if (value !== undefined) out[key] = value;
    }
    return { value: out, errors };
  }
  if (kind === 'array') {
    const items = Array.isArray(draft) ? draft : [];
    const itemSchema = asSchema(schema.items);
    const values = items.map((item, index) => draftToValue(itemSchema, item, `${path}[${index}]`, errors).value);
    if (typeof schema.minItems === 'number' && values.length < schema.minItems) return fail(`At least ${schema.minItems} item(s)`);
    if (typeof schema.maxItems === 'number' && values.length > schema.maxItems) return fail(`At most ${schema.maxItems} item(s)`);
    return { value: values, errors };
  }
  if (kind === 'boolean') return { value: draft === undefined ? undefined : Boolean(draft), errors };
  if (kind === 'enum') {
    if (typeof draft !== 'string' || draft === '') return { value: undefined, errors };
    return { value: JSON.parse(draft) as unknown, errors };
  }
  const text = typeof draft === 'string' ? draft : '';
  if (kind === 'json') {
    if (text.trim() === '') return { value: undefined, errors };
    try {
      return { value: JSON.parse(text) as unknown, errors };
    } catch {
      return fail('Not valid JSON');
    }
  }
  if (kind === 'number' || kind === 'integer') {
    const number = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(number)) return fail('Enter a number');
    if (kind === 'integer' && !Number.isInteger(number)) return fail('Enter a whole number');
    if (typeof schema.minimum === 'number' && number < schema.minimum) return fail(`Must be at least ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && number > schema.maximum) return fail(`Must be at most ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && number <= schema.exclusiveMinimum)
      return fail(`Must be more than ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && number >= schema.exclusiveMaximum)
      return fail(`Must be less than ${schema.exclusiveMaximum}`);
    return { value: number, errors };
  }
  // string
  if (typeof schema.minLength === 'number' && text.length < schema.minLength) return fail(`At least ${schema.minLength} characters`);
  if (typeof schema.maxLength === 'number' && text.length > schema.maxLength) return fail(`At most ${schema.maxLength} characters`);
  // A tool's `pattern` is not run here: a server-supplied regex can backtrack exponentially and
  // freeze the window. The server validates its own arguments and says what is wrong.
  if (schema.format === 'email' && !/^[^@\s]+@[^@\s]+$/.test(text)) return fail('Enter an email address');
  if (schema.format === 'uri' && !/^[a-z][a-z0-9+.-]*:/i.test(text)) return fail('Enter a URI, e.g. https://…');
  return { value: text, errors };
}

/** The HTML input type for a string format. */
export function inputTypeFor(schema: Schema): string {
  switch (schema.format) {
    case 'email':
      return 'email';
    case 'uri':
    case 'url':
      return 'url';
    case 'date':
      return 'date';
    default:
      return 'text';
  }
}
