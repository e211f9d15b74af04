import { useId } from 'react';
import { buildContent, type FormField } from '../../../../shared/elicitation';
import { setFieldValue, touchField, type ElicitationDraft } from '../../state/requests/elicitation';

/** The server's requested schema as one form: every field and every option visible, each labelled. */
export function ElicitationForm({ requestId, draft }: { requestId: string; draft: ElicitationDraft }) {
  const { errors } = buildContent(draft.fields, draft.values);
  if (draft.fields.length === 0) return <p className="muted">The server asks for no fields: Accept just confirms.</p>;
  return (
    <div className="elicit-fields">
      {draft.fields.map((field) => (
        <FieldView
          key={field.name}
          requestId={requestId}
          field={field}
          draft={draft}
          error={draft.submitted || draft.touched[field.name] ? errors[field.name] : undefined}
        />
      ))}
    </div>
  );
}

function Required({ on }: { on: boolean }) {
  return on ? (
    <span className="elicit-required" aria-hidden="true" title="Required">
      *
    </span>
  ) : null;
}

function FieldView({ requestId, field, draft, error }: { requestId: string; field: FormField; draft: ElicitationDraft; error?: string }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const value = draft.values[field.name];
  const describedBy = [field.description ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  const set = (next: string | boolean | string[] | undefined) => setFieldValue(requestId, field.name, next);
  const blur = () => touchField(requestId, field.name);
  const hint = field.description ? (
    <p className="hint" id={hintId}>
      {field.description}
    </p>
  ) : null;
  const errorText = error ? (
    <p className="field-error" id={errorId} role="alert">
      {error}
    </p>
  ) : null;

  if (field.kind === 'boolean') {
    return (
      <div className="field elicit-field" data-testid={`field-${field.name}`}>
        <label className="checkbox elicit-check">
          <input
            type="checkbox"
            checked={value === true}
            onChange={(e) => set(e.target.checked)}
            onBlur={blur}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
          />
          <span>{field.label}</span>
          <Required on={field.required} />
        </label>
        {hint}
        {errorText}
      </div>
    );
  }

  if (field.kind === 'enum' || field.kind === 'multi-enum') {
    const multi = field.kind === 'multi-enum';
    const selected = multi ? (Array.isArray(value) ? value : []) : value;
    const limits = multi ? describeLimits(field.minItems, field.maxItems) : undefined;
    return (
      <fieldset
        className="field elicit-field elicit-group"
        data-testid={`field-${field.name}`}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      >
        <legend className="field-label">
          {field.label}
          <Required on={field.required} />
          {limits && <span className="muted elicit-limits"> ({limits})</span>}
        </legend>
        {hint}
        <div className="elicit-options">
          {field.options.map((option) => (
            <label key={option.value} className="checkbox elicit-option">
              <input
                type={multi ? 'checkbox' : 'radio'}
                name={`${id}-${field.name}`}
                value={option.value}
                checked={multi ? (selected as string[]).includes(option.value) : selected === option.value}
                onChange={(e) => {
                  if (!multi) set(option.value);
                  else {
                    const current = selected as string[];
                    set(e.target.checked ? [...current, option.value] : current.filter((v) => v !== option.value));
                  }
                  blur();
                }}
              />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
        {!multi && !field.required && selected !== undefined && (
          <button type="button" className="btn btn-small btn-ghost elicit-clear" onClick={() => set(undefined)}>
            Clear choice
          </button>
        )}
        {errorText}
      </fieldset>
    );
  }

  const text = typeof value === 'string' ? value : '';
  const inputType =
    field.kind === 'number'
      ? 'number'
      : field.format === 'email'
        ? 'email'
        : field.format === 'uri'
          ? 'url'
          : field.format === 'date'
            ? 'date'
            : 'text';
  const limits =
    field.kind === 'number'
      ? [field.integer ? 'whole number' : undefined, describeRange(field.minimum, field.maximum)].filter(Boolean).join(', ')
      : [
          describeLength(field.minLength, field.maxLength),
          field.format === 'date-time' ? 'e.g. 2025-06-30T14:00:00Z' : undefined,
          // Shown, not run: the server checks its own pattern (see shared/elicitation.ts).
          field.pattern !== undefined
            ? `the server expects the pattern ${field.pattern.length > 200 ? `${field.pattern.slice(0, 200)}…` : field.pattern} and checks it`
            : undefined,
        ]
          .filter(Boolean)
          .join(', ');
  return (
    <div className="field elicit-field" data-testid={`field-${field.name}`}>
      <div className="label-row">
        <label htmlFor={id}>{field.label}</label>
        <Required on={field.required} />
        {limits && <span className="muted elicit-limits">{limits}</span>}
        {field.kind === 'string' && field.maxLength !== undefined && (
          <span className={`muted elicit-count${[...text].length > field.maxLength ? ' is-over' : ''}`}>
            {[...text].length}/{field.maxLength}
          </span>
        )}
      </div>
      {hint}
      <input
        id={id}
        type={inputType}
        value={text}
        required={field.required}
        inputMode={field.kind === 'number' ? (field.integer ? 'numeric' : 'decimal') : undefined}
        step={field.kind === 'number' ? (field.integer ? 1 : 'any') : undefined}
        min={field.kind === 'number' ? field.minimum : undefined}
        max={field.kind === 'number' ? field.maximum : undefined}
        placeholder={field.kind === 'string' && field.format === 'date-time' ? '2025-06-30T14:00:00Z' : undefined}
        onChange={(e) => set(e.target.value)}
        onBlur={blur}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        autoComplete="off"
        spellCheck={false}
      />
      {errorText}
    </div>
  );
}

function describeRange(min?: number, max?: number): string | undefined {
  if (min !== undefined && max !== undefined) return `${min} to ${max}`;
  if (min !== undefined) return `at least ${min}`;
  if (max !== undefined) return `at most ${max}`;
  return undefined;
}

function describeLength(min?: number, max?: number): string | undefined {
  if (min !== undefined && max !== undefined) return `${min}–${max} characters`;
  if (min !== undefined) return `at least ${min} characters`;
  return undefined;
}

function describeLimits(min?: number, max?: number): string | undefined {
  if (min !== undefined && max !== undefined) return min === max ? `pick ${min}` : `pick ${min} to ${max}`;
  if (min !== undefined) return `pick at least ${min}`;
  if (max !== undefined) return `pick up to ${max}`;
  return undefined;
}
