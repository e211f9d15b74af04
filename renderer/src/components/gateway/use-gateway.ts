import { useCallback, useEffect, useState } from 'react';
import type { GatewayStatus } from '../../../../shared/gateway';
import { getApi } from '../../api';
import { errorMessage } from '../../lib/format';

/** The gateway's status, kept current by the host's `gateway:changed` events. */
export function useGatewayStatus(): { status?: GatewayStatus; error?: string; reload(): void } {
  const [status, setStatus] = useState<GatewayStatus | undefined>();
  const [error, setError] = useState<string | undefined>();
  const reload = useCallback(() => {
    getApi()
      .invoke('gateway:status', {})
      .then((loaded) => {
        setStatus(loaded);
        setError(undefined);
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, []);
  useEffect(() => {
    reload();
    return getApi().on('gateway:changed', setStatus);
  }, [reload]);
  return { status, error, reload };
}

export async function copyText(text: string): Promise<void> {
  await navigator.clipboard.writeText(text);
}
