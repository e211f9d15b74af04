/**
 * What the "What each app sees" panel reads: every app token's exposure (kept current by
 * `toolCalls:settingsChanged`), the servers that the gateway exposes (by `servers:changed`) and the
 * tools of the connected ones (re-read when a server says its tool list changed).
 */
import { useCallback, useEffect, useState } from 'react';
import type { ServerStatus, ToolInfo } from '../../../../shared/domain';
import type { AppExposure } from '../../../../shared/toolcalls';
import { getApi } from '../../api';
import { errorMessage } from '../../lib/format';

export interface GatewayServerView {
  name: string;
  connected: boolean;
  /** False when the server's own "expose through the gateway" switch is off: no app sees it. */
  exposed: boolean;
}

export function useAppExposure(): {
  exposures: Record<string, AppExposure>;
  servers: GatewayServerView[];
  tools: Record<string, ToolInfo[] | undefined>;
  error?: string;
  /** Shows a change at once, before the host confirms it (its settingsChanged event then wins). */
  showLocally: (tokenId: string, exposure: AppExposure) => void;
  /** Re-reads the saved exposures (after a change the host refused). */
  reload: () => void;
} {
  const [exposures, setExposures] = useState<Record<string, AppExposure>>({});
  const [statuses, setStatuses] = useState<ServerStatus[]>([]);
  const [tools, setTools] = useState<Record<string, ToolInfo[] | undefined>>({});
  const [error, setError] = useState<string>();

  const reload = useCallback(() => {
    getApi()
      .invoke('toolCalls:settings', {})
      .then((settings) => setExposures(settings.exposure))
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, []);
  const showLocally = useCallback(
    (tokenId: string, exposure: AppExposure) => setExposures((current) => ({ ...current, [tokenId]: exposure })),
    [],
  );

  useEffect(() => {
    const api = getApi();
    reload();
    api
      .invoke('servers:list', {})
      .then(setStatuses)
      .catch((failure: unknown) => setError(errorMessage(failure)));
    const offs = [
      api.on('toolCalls:settingsChanged', (settings) => setExposures(settings.exposure)),
      api.on('servers:changed', setStatuses),
    ];
    return () => offs.forEach((off) => off());
  }, [reload]);

  const servers: GatewayServerView[] = statuses
    .filter((status) => status.definition.enabled)
    .map((status) => ({
      name: status.definition.name,
      connected: status.state === 'connected',
      exposed: status.definition.gateway?.exposed ?? true,
    }));
  const connectedKey = servers
    .filter((server) => server.connected)
    .map((server) => server.name)
    .join('\u0000');

  const loadTools = useCallback((name: string) => {
    getApi()
      .invoke('servers:listTools', { name })
      .then((list) => setTools((current) => ({ ...current, [name]: list })))
      .catch(() => setTools((current) => ({ ...current, [name]: undefined })));
  }, []);

  useEffect(() => {
    const names = connectedKey ? connectedKey.split('\u0000') : [];
    for (const name of names) loadTools(name);
    return getApi().on('servers:listChanged', ({ name, kind }) => {
      if (kind === 'tools' && names.includes(name)) loadTools(name);
    });
  }, [connectedKey, loadTools]);

  return { exposures, servers, tools, error, showLocally, reload };
}
