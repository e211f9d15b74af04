/** Browsers for a server's resources, resource templates and prompts (refreshed on list_changed). */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { PromptInfo, ResourceTemplateInfo } from '../../../../shared/server-features';
import { JsonBlock, ResultBlock } from '../common/Media';
import { getPrompt, loadPrompts, loadResources, readResource, useServerFeatures } from './server-features-store';

export function ResourcesPanel({ server }: { server: string }) {
  const state = useServerFeatures((s) => s.browse[server]?.resources);
  useEffect(() => {
    void loadResources(server);
  }, [server]);
  if (!state || (state.loading && !state.value)) return <p className="muted">Loading resources…</p>;
  if (state.error) return <p className="error-text" role="alert">Could not list resources: {state.error}</p>;
  const { resources, templates } = state.value ?? { resources: [], templates: [] };
  return (
    <div className="browse">
      <div className="section-header">
        <h4>Resources</h4>
        <button type="button" className="btn btn-small" onClick={() => void loadResources(server)} disabled={state.loading}>
          Refresh
        </button>
      </div>
      {resources.length === 0 ? (
        <p className="muted">This server lists no resources.</p>
      ) : (
        <ul className="browse-list">
          {resources.map((resource) => (
            <ResourceItem key={resource.uri} server={server} uri={resource.uri} title={resource.title ?? resource.name} description={resource.description} mimeType={resource.mimeType} />
          ))}
        </ul>
      )}
      <h4>Resource templates</h4>
      {templates.length === 0 ? (
        <p className="muted">No templates.</p>
      ) : (
        <ul className="browse-list">
          {templates.map((template) => (
            <TemplateItem key={template.uriTemplate} server={server} template={template} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ResourceItem({ server, uri, title, description, mimeType }: { server: string; uri: string; title: string; description?: string; mimeType?: string }) {
  const read = useServerFeatures((s) => s.browse[server]?.reads[uri]);
  return (
    <li className="browse-item" data-testid={`resource-${uri}`}>
      <div className="tool-row">
        <div className="tool-text">
          <div className="tool-name">
            <span>{title}</span> <code>{uri}</code> {mimeType && <span className="chip">{mimeType}</span>}
          </div>
          {description && <p className="tool-description">{description}</p>}
        </div>
        <button type="button" className="btn btn-small" onClick={() => void readResource(server, uri)} disabled={read?.loading}>
          Read
        </button>
      </div>
      <ReadResult server={server} uri={uri} />
    </li>
  );
}

function ReadResult({ server, uri }: { server: string; uri: string }) {
  const read = useServerFeatures((s) => s.browse[server]?.reads[uri]);
  if (!read) return null;
  if (read.loading) return <p className="muted">Reading…</p>;
  if (read.error) return <p className="error-text" role="alert">{read.error}</p>;
  return (
    <div className="tool-result" data-testid="resource-contents">
      {read.value?.contents.map((content, index) =>
        typeof content.text === 'string' ? (
          <pre key={index} tabIndex={0} className="result-text">{content.text}</pre>
        ) : content.blob && content.mimeType?.startsWith('image/') ? (
          <ResultBlock key={index} index={index} block={{ type: 'image', data: content.blob, mimeType: content.mimeType }} />
        ) : (
          <JsonBlock key={index} value={{ ...content, blob: content.blob ? `(${content.blob.length} base64 characters)` : undefined }} />
        ),
      )}
    </div>
  );
}

/** The `{variables}` of an RFC 6570 URI template (the simple and common operator forms). */
function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(/\{[+#./;?&]?([^}]+)\}/g)) for (const name of (match[1] ?? '').split(',')) names.add(name.replace(/\*$|:\d+$/, ''));
  return [...names];
}

function expandTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([+#./;?&]?)([^}]+)\}/g, (_whole, op: string, names: string) => {
    const parts = names.split(',').map((n) => n.replace(/\*$|:\d+$/, ''));
    const encode = (v: string) => (op === '+' || op === '#' ? encodeURI(v) : encodeURIComponent(v));
    if (op === '?' || op === '&') return (op) + parts.map((n) => `${n}=${encode(values[n] ?? '')}`).join('&');
    const prefix = op === '+' ? '' : op;
    return prefix + parts.map((n) => encode(values[n] ?? '')).join(op === '/' || op === '.' ? op : ',');
  });
}

function TemplateItem({ server, template }: { server: string; template: ResourceTemplateInfo }) {
  const variables = templateVariables(template.uriTemplate);
  const [values, setValues] = useState<Record<string, string>>({});
  const [uri, setUri] = useState<string>();
  const baseId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const expanded = expandTemplate(template.uriTemplate, values);
    setUri(expanded);
    void readResource(server, expanded);
  };
  return (
    <li className="browse-item">
      <div className="tool-name">
        <span>{template.title ?? template.name}</span> <code>{template.uriTemplate}</code>
      </div>
      {template.description && <p className="tool-description">{template.description}</p>}
      <form className="inline-form" onSubmit={submit}>
        {variables.map((variable) => (
          <span key={variable} className="inline-field">
            <label htmlFor={`${baseId}-${variable}`}>{variable}</label>
            <input id={`${baseId}-${variable}`} value={values[variable] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [variable]: e.target.value }))} spellCheck={false} />
          </span>
        ))}
        <button type="submit" className="btn btn-small">
          Read
        </button>
      </form>
      {uri && (
        <>
          <p className="hint">
            <code>{uri}</code>
          </p>
          <ReadResult server={server} uri={uri} />
        </>
      )}
    </li>
  );
}

export function PromptsPanel({ server }: { server: string }) {
  const state = useServerFeatures((s) => s.browse[server]?.prompts);
  useEffect(() => {
    void loadPrompts(server);
  }, [server]);
  if (!state || (state.loading && !state.value)) return <p className="muted">Loading prompts…</p>;
  if (state.error) return <p className="error-text" role="alert">Could not list prompts: {state.error}</p>;
  const prompts = state.value ?? [];
  return (
    <div className="browse">
      <div className="section-header">
        <h4>Prompts</h4>
        <button type="button" className="btn btn-small" onClick={() => void loadPrompts(server)} disabled={state.loading}>
          Refresh
        </button>
      </div>
      {prompts.length === 0 ? (
        <p className="muted">This server offers no prompts.</p>
      ) : (
        <ul className="browse-list">
          {prompts.map((prompt) => (
            <PromptItem key={prompt.name} server={server} prompt={prompt} />
          ))}
        </ul>
      )}
    </div>
  );
}

function PromptItem({ server, prompt }: { server: string; prompt: PromptInfo }) {
  const result = useServerFeatures((s) => (s.browse[server]?.prompt?.name === prompt.name ? s.browse[server]?.prompt : undefined));
  const [values, setValues] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const baseId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const absent = (prompt.arguments ?? []).filter((a) => a.required && !values[a.name]?.trim()).map((a) => a.name);
    setMissing(absent);
    if (absent.length) return;
    const args = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    void getPrompt(server, prompt.name, args);
  };
  return (
    <li className="browse-item" data-testid={`prompt-${prompt.name}`}>
      <div className="tool-name">
        <code>{prompt.name}</code> {prompt.title && prompt.title !== prompt.name && <span className="tool-title">{prompt.title}</span>}
      </div>
      {prompt.description && <p className="tool-description">{prompt.description}</p>}
      <form className="inline-form" onSubmit={submit} noValidate>
        {(prompt.arguments ?? []).map((arg) => (
          <span key={arg.name} className="inline-field">
            <label htmlFor={`${baseId}-${arg.name}`} title={arg.description}>
              {arg.title ?? arg.name}
              {arg.required && <span className="required-mark"> *</span>}
            </label>
            <input
              id={`${baseId}-${arg.name}`}
              aria-invalid={missing.includes(arg.name) || undefined}
              value={values[arg.name] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [arg.name]: e.target.value }))}
            />
          </span>
        ))}
        <button type="submit" className="btn btn-small">
          Get prompt
        </button>
      </form>
      {missing.length > 0 && <p className="field-error" role="alert">Fill in {missing.join(', ')}.</p>}
      {result?.loading && <p className="muted">Getting the prompt…</p>}
      {result?.error && <p className="error-text" role="alert">{result.error}</p>}
      {result?.value && (
        <div className="tool-result" data-testid="prompt-result">
          {result.value.description && <p className="muted">{result.value.description}</p>}
          {result.value.messages.map((message, index) => (
            <div key={index} className="prompt-message">
              <span className="chip">{message.role}</span>
              <ResultBlock index={index} block={message.content as { type: string } & Record<string, unknown>} />
            </div>
          ))}
        </div>
      )}
    </li>
  );
}
