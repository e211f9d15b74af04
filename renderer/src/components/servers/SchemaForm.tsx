/**
 * A form generated from a tool's input JSON Schema (see lib/schema-form.ts for the model).
 * Labels come from `title` or the property name, hints from `description`; required fields are
 * marked; each field shows its own validation message.
 */
import { useId } from 'react';
import { asSchema, fieldKind, inputTypeFor, properties, requiredKeys, type Draft, type Errors, type Schema } from '../../lib/schema-form';
import { valueToDraft } from '../../lib/schema-form';
import { exampleValue } from '../../lib/schema-defaults';

interface FieldProps {
  schema: Schema;
  label: string;
  required: boolean;
  draft: Draft;
  path: string;
  errors: Errors;
  onChange: (draft: Draft) => void;
}

export function SchemaForm({
  schema,
  draft,
  errors,
  onChange,
}: {
  schema: Schema;
  draft: Draft;
  errors: Errors;
  onChange: (draft: Draft) => void;
}) {
  const fields = properties(schema);
  if (fields.length === 0) return <p className="muted">This tool takes no arguments.</p>;
  return <ObjectFields schema={schema} draft={draft} path="" errors={errors} onChange={onChange} />;
}

function ObjectFields({ schema, draft, path, errors, onChange }: Omit<FieldProps, 'label' | 'required'>) {
  const required = requiredKeys(schema);
  const value = draft && typeof draft === 'object' && !Array.isArray(draft) ? draft : {};
  return (
    <div className="schema-fields">
      {properties(schema).map(([key, sub]) => (
        <Field
          key={key}
          schema={sub}
          label={typeof sub.title === 'string' ? sub.title : key}
          required={required.has(key)}
          draft={value[key]}
          path={path ? `${path}.${key}` : key}
          errors={errors}
          onChange={(next) => onChange({ ...value, [key]: next })}
        />
      ))}
    </div>
  );
}

function Field(props: FieldProps) {
  const { schema, label, required, draft, path, errors, onChange } = props;
  const id = useId();
  const kind = fieldKind(schema);
  const error = errors[path];
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const describedBy = [description ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, 'aria-required': required || undefined };
  const labelText = (
    <>
      {label}
      {required && (
        <span className="required-mark" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </>
  );

  let control;
  if (kind === 'object') {
    return (
      <fieldset className="schema-object">
        <legend>{labelText}</legend>
        {description && (
          <p className="hint" id={`${id}-hint`}>
            {description}
          </p>
        )}
        <ObjectFields schema={schema} draft={draft} path={path} errors={errors} onChange={onChange} />
      </fieldset>
    );
  } else if (kind === 'boolean') {
    control = (
      <select
        {...common}
        value={typeof draft === 'boolean' || typeof draft === 'string' ? String(draft) : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}
      >
        <option value="">{required ? 'Choose…' : '(not set)'}</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  } else if (kind === 'enum') {
    const options = Array.isArray(schema.enum) ? schema.enum : [];
    control = (
      <select {...common} value={typeof draft === 'string' ? draft : ''} onChange={(e) => onChange(e.target.value)}>
        <option value="">{required ? 'Choose…' : '(not set)'}</option>
        {options.map((option) => (
          <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
            {typeof option === 'string' ? option : JSON.stringify(option)}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'array') {
    const items = Array.isArray(draft) ? draft : [];
    const itemSchema = asSchema(schema.items);
    control = (
      <div className="schema-array" id={id}>
        {items.map((item, index) => (
          <div className="schema-array-row" key={index}>
            <Field
              schema={itemSchema}
              label={`${label} ${index + 1}`}
              required
              draft={item}
              path={`${path}[${index}]`}
              errors={errors}
              onChange={(next) => onChange(items.map((old, i) => (i === index ? next : old)))}
            />
            <button
              type="button"
              className="btn btn-small btn-ghost"
              aria-label={`Remove ${label} ${index + 1}`}
              onClick={() => onChange(items.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onChange([...items, valueToDraft(itemSchema, exampleValue(itemSchema) ?? undefined)])}
        >
          Add {label} item
        </button>
      </div>
    );
  } else if (kind === 'json') {
    control = (
      <textarea
        {...common}
        className="code-input"
        rows={3}
        spellCheck={false}
        placeholder="JSON value"
        value={typeof draft === 'string' ? draft : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    const numeric = kind === 'number' || kind === 'integer';
    control = (
      <input
        {...common}
        type={numeric ? 'text' : inputTypeFor(schema)}
        inputMode={kind === 'integer' ? 'numeric' : numeric ? 'decimal' : undefined}
        value={typeof draft === 'string' ? draft : ''}
        onChange={(e) => onChange(e.target.value)}
        placeholder={numeric ? kind : typeof schema.format === 'string' ? schema.format : undefined}
        spellCheck={false}
      />
    );
  }
  return (
    <div className="schema-field">
      <label htmlFor={id} className="field-label">
        {labelText}
        <span className="schema-type" aria-hidden="true">
          {kind === 'json' ? 'JSON' : kind}
        </span>
      </label>
      {control}
      {description && (
        <p className="hint" id={`${id}-hint`}>
          {description}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
