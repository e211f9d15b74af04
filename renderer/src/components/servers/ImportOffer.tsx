/**
 * First run: when the Servers screen is empty and another app's MCP config lists servers, offer
 * them ("Found 3 servers in Claude Desktop — Import"), straight to the import preview. Nothing is
 * imported before the user confirms there.
 */
import { useEffect, useState } from 'react';
import type { ImportLocation } from '../../../../shared/server-features';
import { getApi } from '../../api';
import { plural } from '../../lib/format';
import { openImport, previewImport } from '../../state/server-browse';
import './servers.css';

export function ImportOffer() {
  const [found, setFound] = useState<ImportLocation[]>([]);
  useEffect(() => {
    let live = true;
    getApi()
      .invoke('import:scan', {})
      .then((locations) => {
        if (live) setFound(locations.filter((l) => l.exists && !l.problem && (l.serverCount ?? 0) > 0));
      })
      // The offer is a shortcut: without it, "Import…" in the header still scans and says what failed.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (found.length === 0) return null;
  return (
    <ul className="import-offer" data-testid="import-offer">
      {found.map((location) => (
        <li key={location.path} className="callout callout-info import-offer-row">
          <span>
            Found {plural(location.serverCount ?? 0, 'server')} in <strong>{location.label}</strong>
          </span>
          <button
            type="button"
            className="btn btn-small btn-primary"
            aria-label={`Import from ${location.label}`}
            title={location.path}
            onClick={() => {
              openImport();
              void previewImport(location.path);
            }}
          >
            Import
          </button>
        </li>
      ))}
    </ul>
  );
}
