import { useId, useState, type FormEvent } from 'react';
import { ServerDefinitionSchema, type ServerDefinition, type ServerStatus } from '../../../../shared/domain';
import { openServerForm, saveServer } from '../../store';
import { errorMessage } from '../../lib/format';
import { splitLines } from '../../lib/draft';

type Kind = 'stdio' | 'http' | 'sse';

interface FormValues {
  name: string;
  type: Kind;
  command: string;
  args: string;
  cwd: string;
  env: string;
  url: string;
  headers: string;
  era: 'auto' | 'legacy' | 'modern';
}

function initialValues(def?: ServerDefinition): FormValues {
  const base: FormValues = { name: '', type: 'stdio', command: '', args: '', cwd: '', env: '', url: '', headers: '', era: 'auto' };
  if (!def) return base;
  const values: FormValues = { ...base, name: def.name, type: def.type, era: def.era ?? 'auto' };
  if (def.type === 'stdio') {
    values.command = def.command;
    values.args = (def.args ?? []).join('\n');
    values.cwd = def.cwd ?? '';
    values.env = pairsToText(def.env);
  } else {
    values.url = def.url;
    values.headers = pairsToText(def.headers);
  }
  return values;
}

function pairsToText(pairs: Record<string, string> | undefined): string {
  return Object.entries(pairs ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

function textToPairs(text: string, separator: '=' | ':', what: string, errors: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of splitLines(text)) {
    const at = line.indexOf(separator);
    const key = at > 0 ? line.slice(0, at).trim() : '';
    if (!key) {
      errors.push(`${what}: “${line}” is not in the form KEY${separator}value`);
      continue;
    }
    out[key] = line.slice(at + 1).trim();
  }
  return out;
}

export function ServerForm({ existing, servers }: { existing?: ServerDefinition; servers: ServerStatus[] }) {
  const [values, setValues] = useState<FormValues>(() => initialValues(existing));
  const [errors, setErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const ids = { name: useId(), type: useId(), command: useId(), args: useId(), cwd: useId(), env: useId(), url: useId(), headers: useId(), era: useId() };
  const update = (patch: Partial<FormValues>) => setValues((v) => ({ ...v, ...patch }));

  const validate = (): { definition?: ServerDefinition; errors: string[] } => {
    const problems: string[] = [];
    const name = values.name.trim();
    const common = { name, enabled: existing?.enabled ?? true, era: values.era };
    const candidate =
      values.type === 'stdio'
        ? {
            ...common,
            type: 'stdio' as const,
            command: values.command.trim(),
            args: splitLines(values.args),
            env: textToPairs(values.env, '=', 'Environment variables', problems),
            ...(values.cwd.trim() ? { cwd: values.cwd.trim() } : {}),
          }
        : { ...common, type: values.type, url: values.url.trim(), headers: textToPairs(values.headers, ':', 'Headers', problems) };
    const parsed = ServerDefinitionSchema.safeParse(candidate);
    if (!parsed.success) for (const issue of parsed.error.issues) problems.unshift(issue.message);
    if (name && name !== existing?.name && servers.some((s) => s.definition.name === name)) {
      problems.push(`A server named “${name}” already exists.`);
    }
    return { definition: parsed.success ? parsed.data : undefined, errors: [...new Set(problems)] };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validate();
    setErrors(checked.errors);
    if (checked.errors.length > 0 || !checked.definition) return;
    setSaving(true);
    try {
      await saveServer(checked.definition, existing?.name);
    } catch (error) {
      setErrors([errorMessage(error)]);
      setSaving(false);
    }
  };

  const stdio = values.type === 'stdio';
  return (
    <form className="detail form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="server-form-title">
      <header className="detail-header">
        <h2 className="detail-title" id="server-form-title">
          {existing ? `Edit ${existing.name}` : 'Add server'}
        </h2>
      </header>

      {errors.length > 0 && (
        <div className="callout callout-error" role="alert">
          <ul className="error-list">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}

      <div className="field-grid">
        <label htmlFor={ids.name}>Name</label>
        <input id={ids.name} value={values.name} onChange={(e) => update({ name: e.target.value })} autoFocus />

        <label htmlFor={ids.type}>Type</label>
        <select id={ids.type} value={values.type} onChange={(e) => update({ type: e.target.value as Kind })}>
          <option value="stdio">stdio</option>
          <option value="http">http</option>
          <option value="sse">sse</option>
        </select>

        {stdio ? (
          <>
            <label htmlFor={ids.command}>Command</label>
            <input id={ids.command} value={values.command} onChange={(e) => update({ command: e.target.value })} placeholder="npx" spellCheck={false} />

            <label htmlFor={ids.args}>Arguments</label>
            <div>
              <textarea id={ids.args} rows={3} value={values.args} onChange={(e) => update({ args: e.target.value })} spellCheck={false} />
              <p className="hint">One argument per line.</p>
            </div>

            <label htmlFor={ids.cwd}>Working directory</label>
            <input id={ids.cwd} value={values.cwd} onChange={(e) => update({ cwd: e.target.value })} placeholder="(optional)" spellCheck={false} />

            <label htmlFor={ids.env}>Environment variables</label>
            <div>
              <textarea id={ids.env} rows={2} value={values.env} onChange={(e) => update({ env: e.target.value })} spellCheck={false} />
              <p className="hint">KEY=value, one per line (optional).</p>
            </div>
          </>
        ) : (
          <>
            <label htmlFor={ids.url}>URL</label>
            <input
              id={ids.url}
              type="url"
              value={values.url}
              onChange={(e) => update({ url: e.target.value })}
              placeholder={values.type === 'http' ? 'http://localhost:3000/mcp' : 'http://localhost:3000/sse'}
              spellCheck={false}
            />

            <label htmlFor={ids.headers}>Headers</label>
            <div>
              <textarea id={ids.headers} rows={2} value={values.headers} onChange={(e) => update({ headers: e.target.value })} spellCheck={false} />
              <p className="hint">Header: value, one per line (optional).</p>
            </div>
          </>
        )}

        <label htmlFor={ids.era}>Protocol era</label>
        <select id={ids.era} value={values.era} onChange={(e) => update({ era: e.target.value as FormValues['era'] })}>
          <option value="auto">auto (probe)</option>
          <option value="legacy">legacy (2025 initialize)</option>
          <option value="modern">modern (2026-07-28)</option>
        </select>
      </div>

      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn" onClick={() => openServerForm(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
