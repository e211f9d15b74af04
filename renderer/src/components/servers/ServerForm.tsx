import { useId, useRef, useState, type FormEvent } from 'react';
import { ServerDefinitionSchema, type ServerDefinition, type ServerStatus } from '../../../../shared/domain';
import { openServerForm, saveServer } from '../../state/servers';
import { errorMessage } from '../../lib/format';
import { splitLines } from '../../lib/draft';
import { KeyValueEditor, pairsFrom, pairsToRecord, type Pair } from './KeyValueEditor';
import { OAuthFields } from './OAuthFields';
import { checkOAuthDraft, oauthDraftFrom, type CheckedOAuth, type OAuthDraft } from './oauth-draft';
import { ErrorCallout } from '../common/ErrorCallout';
import { commandLineParts } from '../../lib/command-line';

type Kind = 'stdio' | 'http' | 'sse';

interface FormValues {
  name: string;
  type: Kind;
  command: string;
  args: string;
  cwd: string;
  env: Pair[];
  url: string;
  headers: Pair[];
  era: 'auto' | 'legacy' | 'modern';
  oauth: OAuthDraft;
}

function initialValues(def?: ServerDefinition): FormValues {
  const base: FormValues = {
    name: '',
    type: 'stdio',
    command: '',
    args: '',
    cwd: '',
    env: [],
    url: '',
    headers: [],
    era: 'auto',
    oauth: oauthDraftFrom(undefined),
  };
  if (!def) return base;
  const values: FormValues = { ...base, name: def.name, type: def.type, era: def.era ?? 'auto' };
  if (def.type === 'stdio') {
    values.command = def.command;
    values.args = (def.args ?? []).join('\n');
    values.cwd = def.cwd ?? '';
    values.env = pairsFrom(def.env);
  } else {
    values.url = def.url;
    values.headers = pairsFrom(def.headers);
    values.oauth = oauthDraftFrom(def.oauth);
  }
  return values;
}

export function ServerForm({ existing, servers }: { existing?: ServerDefinition; servers: ServerStatus[] }) {
  const [values, setValues] = useState<FormValues>(() => initialValues(existing));
  const [errors, setErrors] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [oauthErrors, setOAuthErrors] = useState<CheckedOAuth['errors']>({});
  const [saving, setSaving] = useState(false);
  const ids = {
    name: useId(),
    type: useId(),
    command: useId(),
    args: useId(),
    cwd: useId(),
    env: useId(),
    url: useId(),
    headers: useId(),
    era: useId(),
  };
  const update = (patch: Partial<FormValues>) => setValues((v) => ({ ...v, ...patch }));
  /** The last automatic split of a pasted command line, shown with an Undo (restores what was typed). */
  const [split, setSplit] = useState<{ before: Pick<FormValues, 'command' | 'args'>; command: string; args: string[] } | undefined>();

  /**
   * A whole command line in Command (pasted, or typed and left) becomes the program plus arguments,
   * as VS Code's add-server prompt does; arguments already listed stay after the new ones.
   */
  const keepAsTyped = useRef(false);
  const splitCommand = (command: string) => {
    // After Undo the user meant it as one program (a path with spaces): leave it until they edit it.
    if (keepAsTyped.current) return;
    const parts = commandLineParts(command);
    if (!parts) return;
    const existing = values.args.trim() === '' ? [] : [values.args];
    setSplit({ before: { command, args: values.args }, ...parts });
    update({ command: parts.command, args: [...parts.args, ...existing].join('\n') });
  };

  const hadClientId = existing?.type !== 'stdio' && Boolean(existing?.oauth?.clientId);
  const hadEnterprise = existing?.type !== 'stdio' && existing?.oauth?.grant === 'cross_app_access';

  const validate = (): { definition?: ServerDefinition; errors: string[]; fields: Record<string, string>; oauth?: CheckedOAuth } => {
    const problems: string[] = [];
    const fields: Record<string, string> = {};
    const oauth = values.type === 'stdio' ? undefined : checkOAuthDraft(values.oauth, hadClientId, hadEnterprise);
    const name = values.name.trim();
    // Sluice's own settings this form does not show (the server's roots and log level) are kept.
    const kept = { ...(existing?.roots ? { roots: existing.roots } : {}), ...(existing?.logLevel ? { logLevel: existing.logLevel } : {}) };
    const common = { name, enabled: existing?.enabled ?? true, era: values.era, ...kept };
    const candidate =
      values.type === 'stdio'
        ? {
            ...common,
            type: 'stdio' as const,
            command: values.command.trim(),
            args: splitLines(values.args),
            env: pairsToRecord(values.env, 'Environment variables', problems),
            ...(values.cwd.trim() ? { cwd: values.cwd.trim() } : {}),
          }
        : {
            ...common,
            type: values.type,
            url: values.url.trim(),
            headers: pairsToRecord(values.headers, 'Headers', problems),
            ...(oauth?.settings ? { oauth: oauth.settings } : {}),
          };
    const parsed = ServerDefinitionSchema.safeParse(candidate);
    if (!parsed.success) {
      // One message per field (the first), in form order.
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'form');
        fields[field] ??= issue.message;
      }
    }
    if (name && name !== existing?.name && servers.some((s) => s.definition.name === name)) {
      fields.name ??= `A server named “${name}” already exists.`;
    }
    // Messages for fields the form shows inline stay there; the rest go to the summary.
    const inline = new Set(['name', 'command', 'url']);
    const general = Object.entries(fields)
      .filter(([field]) => !inline.has(field))
      .map(([, message]) => message);
    return { definition: parsed.success ? parsed.data : undefined, errors: [...new Set([...general, ...problems])], fields, oauth };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validate();
    setErrors(checked.errors);
    setFieldErrors(checked.fields);
    const oauthErrors = checked.oauth?.errors ?? {};
    setOAuthErrors(oauthErrors);
    if (checked.errors.length > 0 || Object.keys(checked.fields).length > 0 || Object.keys(oauthErrors).length > 0 || !checked.definition)
      return;
    setSaving(true);
    try {
      await saveServer(checked.definition, existing?.name, checked.oauth?.clientSecret, checked.oauth?.privateKey, {
        clientSecret: checked.oauth?.idpClientSecret,
        idToken: checked.oauth?.idpIdToken,
      });
    } catch (error) {
      setErrors([`The host refused to save: ${errorMessage(error)}`]);
      setSaving(false);
    }
  };

  const stdio = values.type === 'stdio';
  const invalid = (field: string) =>
    fieldErrors[field] ? { 'aria-invalid': true as const, 'aria-describedby': `${ids.name}-err-${field}` } : {};
  const fieldError = (field: string) =>
    fieldErrors[field] ? (
      <p className="field-error" role="alert" id={`${ids.name}-err-${field}`}>
        {fieldErrors[field]}
      </p>
    ) : null;
  return (
    <form className="detail form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="server-form-title">
      <header className="detail-header">
        <h2 className="detail-title" id="server-form-title">
          {existing ? `Edit ${existing.name}` : 'Add server'}
        </h2>
      </header>

      <ErrorCallout errors={errors} />

      <div className="field-grid">
        <label htmlFor={ids.name}>Name</label>
        <div>
          <input id={ids.name} value={values.name} onChange={(e) => update({ name: e.target.value })} autoFocus {...invalid('name')} />
          {fieldError('name')}
        </div>

        <label htmlFor={ids.type}>Type</label>
        <select id={ids.type} value={values.type} onChange={(e) => update({ type: e.target.value as Kind })}>
          <option value="stdio">stdio</option>
          <option value="http">Streamable HTTP</option>
          <option value="sse">SSE (legacy)</option>
        </select>

        {stdio ? (
          <>
            <label htmlFor={ids.command}>Command</label>
            <div>
              <input
                id={ids.command}
                value={values.command}
                onChange={(e) => {
                  const pasted = (e.nativeEvent as InputEvent).inputType === 'insertFromPaste';
                  keepAsTyped.current = false;
                  update({ command: e.target.value });
                  if (pasted) splitCommand(e.target.value);
                  else setSplit(undefined);
                }}
                onBlur={(e) => splitCommand(e.target.value)}
                placeholder="npx"
                spellCheck={false}
                {...invalid('command')}
              />
              {fieldError('command')}
              {split && (
                <p className="hint command-split" role="status">
                  Split into the program <code>{split.command}</code> and{' '}
                  {split.args.length === 1 ? 'one argument' : `${split.args.length} arguments`}:{' '}
                  {split.args.map((arg, i) => (
                    <code key={i}>{arg === '' ? '""' : arg}</code>
                  ))}{' '}
                  <button
                    type="button"
                    className="btn-link"
                    onClick={() => {
                      keepAsTyped.current = true;
                      update(split.before);
                      setSplit(undefined);
                    }}
                  >
                    Undo
                  </button>
                </p>
              )}
            </div>

            <label htmlFor={ids.args}>Arguments</label>
            <div>
              <textarea
                id={ids.args}
                rows={3}
                value={values.args}
                onChange={(e) => update({ args: e.target.value })}
                spellCheck={false}
                aria-describedby={`${ids.args}-hint`}
              />
              <p className="hint" id={`${ids.args}-hint`}>
                One argument per line. A whole command line pasted into Command is split for you.
              </p>
            </div>

            <label htmlFor={ids.cwd}>Working directory</label>
            <input
              id={ids.cwd}
              value={values.cwd}
              onChange={(e) => update({ cwd: e.target.value })}
              placeholder="(optional)"
              spellCheck={false}
            />

            <span className="field-grid-label">Environment variables</span>
            <KeyValueEditor
              label="Environment variable"
              pairs={values.env}
              onChange={(env) => update({ env })}
              keyPlaceholder="NAME"
              addLabel="Add variable"
            />
          </>
        ) : (
          <>
            <label htmlFor={ids.url}>URL</label>
            <div>
              <input
                id={ids.url}
                type="url"
                value={values.url}
                onChange={(e) => update({ url: e.target.value })}
                placeholder={values.type === 'http' ? 'http://localhost:3000/mcp' : 'http://localhost:3000/sse'}
                aria-describedby={`${ids.url}-hint`}
                spellCheck={false}
                {...invalid('url')}
              />
              {fieldError('url')}
              <p className="hint" id={`${ids.url}-hint`}>
                {values.type === 'http'
                  ? 'Streamable HTTP; servers that only speak the older SSE transport are reached automatically.'
                  : 'The legacy HTTP+SSE transport (the GET endpoint, usually …/sse).'}
              </p>
            </div>

            <span className="field-grid-label">Headers</span>
            <KeyValueEditor
              label="Header"
              pairs={values.headers}
              onChange={(headers) => update({ headers })}
              keyPlaceholder="Header-Name"
              addLabel="Add header"
            />
          </>
        )}

        <label htmlFor={ids.era}>Protocol era</label>
        <select id={ids.era} value={values.era} onChange={(e) => update({ era: e.target.value as FormValues['era'] })}>
          <option value="auto">auto (probe)</option>
          <option value="legacy">legacy (2025 initialize)</option>
          <option value="modern">modern (2026-07-28)</option>
        </select>
      </div>

      {!stdio && (
        <OAuthFields
          draft={values.oauth}
          onChange={(patch) => setValues((v) => ({ ...v, oauth: { ...v.oauth, ...patch } }))}
          editing={existing !== undefined}
          errors={oauthErrors}
          defaultOpen={values.oauth.clientId !== '' || values.oauth.scopes !== '' || values.oauth.redirectPort !== ''}
        />
      )}

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
