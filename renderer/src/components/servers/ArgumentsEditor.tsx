/**
 * A tool's arguments as a form built from its input schema or as JSON text, with Form / JSON tabs
 * (the tabs only when the schema can be shown as a form). Controlled: the caller owns the edit
 * (lib/tool-arguments.ts has the model) — the tool runner in its component and the servers slice,
 * the gateway's tool-call dialog in the request queue's draft.
 */
import { useId, type ReactNode } from 'react';
import { rowsFor } from '../../lib/hooks';
import { formSupported, type Draft, type Errors, type Schema } from '../../lib/schema-form';
import type { ArgumentsMode } from '../../lib/tool-arguments';
import { SchemaForm } from './SchemaForm';
import './servers.css';

interface ArgumentsEditorProps {
  inputSchema: Schema;
  mode: ArgumentsMode;
  onMode: (mode: ArgumentsMode) => void;
  form: Draft;
  formErrors: Errors;
  onForm: (form: Draft) => void;
  json: string;
  onJson: (json: string) => void;
  /** Shown under the JSON text (why it cannot be used as it stands). */
  jsonError?: string;
  /** The JSON text field's height in rows, as [fewest, most]. */
  jsonRows: [number, number];
  /** Put before the tabs, on one line with them (a section heading). */
  heading?: ReactNode;
  disabled?: boolean;
  /** Enter in a form field or Ctrl/Cmd+Enter in the JSON runs it (left out where the caller handles its own keys). */
  onSubmit?: () => void;
}

export function ArgumentsEditor(props: ArgumentsEditorProps) {
  const { inputSchema, mode, onMode, form, formErrors, onForm, json, onJson, jsonError, jsonRows, heading, disabled, onSubmit } = props;
  const ids = { json: useId(), jsonError: useId() };
  const tabs = formSupported(inputSchema) && (
    <div className="seg-tabs" role="tablist" aria-label="Arguments editor">
      <button type="button" role="tab" aria-selected={mode === 'form'} className="seg-tab" onClick={() => onMode('form')}>
        Form
      </button>
      <button type="button" role="tab" aria-selected={mode === 'json'} className="seg-tab" onClick={() => onMode('json')}>
        JSON
      </button>
    </div>
  );
  const fields = <SchemaForm schema={inputSchema} draft={form} errors={formErrors} onChange={onForm} />;
  return (
    <>
      {heading ? (
        <div className="section-header">
          {heading}
          {tabs}
        </div>
      ) : (
        tabs
      )}
      <fieldset disabled={disabled} className="arguments-editor">
        {mode === 'form' ? (
          onSubmit ? (
            <form
              className="tool-form"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                onSubmit();
              }}
            >
              {fields}
              <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
            </form>
          ) : (
            fields
          )
        ) : (
          <>
            <label htmlFor={ids.json} className="field-label">
              Arguments (JSON)
            </label>
            <textarea
              id={ids.json}
              className="code-input"
              spellCheck={false}
              rows={rowsFor(json, ...jsonRows)}
              value={json}
              aria-invalid={jsonError ? true : undefined}
              aria-describedby={jsonError ? ids.jsonError : undefined}
              onChange={(e) => onJson(e.target.value)}
              onKeyDown={(e) => {
                if (onSubmit && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onSubmit();
              }}
            />
            {jsonError && (
              <p className="field-error" id={ids.jsonError}>
                {jsonError}
              </p>
            )}
          </>
        )}
      </fieldset>
    </>
  );
}
