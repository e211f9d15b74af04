/**
 * A tool's arguments as the user edits them, shown as a form built from the input schema or as
 * JSON text (components/servers/ArgumentsEditor.tsx renders it; the tool runner and the gateway's
 * tool-call dialog both use it). Pure functions, so the request queue can keep the edit as a draft.
 */
import { draftToValue, formSupported, valueToDraft, type Draft, type Errors, type Schema } from './schema-form';

export type ArgumentsMode = 'form' | 'json';

/** Both views of one set of arguments; `mode` says which one the user is editing. */
export interface ArgumentsEdit {
  mode: ArgumentsMode;
  form: Draft;
  json: string;
}

/** The schema the form is built from: tools declare an object, even when `type` is left out. */
export function objectSchema(inputSchema: Schema): Schema {
  return { ...inputSchema, type: 'object' };
}

/** Starts an edit of `value`: in the form when the schema can be shown as one, else as JSON. */
export function startArgumentsEdit(inputSchema: Schema, value: Record<string, unknown>): ArgumentsEdit {
  return {
    mode: formSupported(inputSchema) ? 'form' : 'json',
    form: valueToDraft(objectSchema(inputSchema), value),
    json: JSON.stringify(value, null, 2),
  };
}

/** The JSON tab's text as arguments: a JSON object (empty text is no arguments). */
export function parseArgumentsJson(text: string): { value: Record<string, unknown> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'The arguments must be a JSON object' };
  return { value: parsed as Record<string, unknown> };
}

/**
 * The arguments as they stand in the tab being edited. The form always yields a value (its field
 * messages are in `formErrors`); the JSON text yields one only while it parses.
 */
export function argumentsOf(
  inputSchema: Schema,
  edit: ArgumentsEdit,
): { value?: Record<string, unknown>; error?: string; formErrors: Errors } {
  if (edit.mode === 'form') {
    const { value, errors } = draftToValue(objectSchema(inputSchema), edit.form);
    return { value: value as Record<string, unknown>, formErrors: errors };
  }
  const parsed = parseArgumentsJson(edit.json);
  return 'error' in parsed ? { error: parsed.error, formErrors: {} } : { value: parsed.value, formErrors: {} };
}

/**
 * Switches tabs, carrying the arguments across: the form is rebuilt from the JSON text, and the
 * JSON text rewritten from the form. Text that is not a JSON object cannot become a form: the
 * error says why and the user stays on the JSON tab.
 */
export function switchArgumentsMode(
  inputSchema: Schema,
  edit: ArgumentsEdit,
  next: ArgumentsMode,
): { edit: ArgumentsEdit } | { error: string } {
  if (next === edit.mode) return { edit };
  if (next === 'form') {
    const parsed = parseArgumentsJson(edit.json);
    if ('error' in parsed) return { error: parsed.error };
    return { edit: { ...edit, mode: 'form', form: valueToDraft(objectSchema(inputSchema), parsed.value) } };
  }
  const { value } = draftToValue(objectSchema(inputSchema), edit.form);
  return { edit: { ...edit, mode: 'json', json: JSON.stringify(value, null, 2) } };
}
