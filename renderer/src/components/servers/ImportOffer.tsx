/**
 * First run: when the Servers screen is empty and another app's MCP config lists servers, offer
 * them ("Found 3 servers in Claude Desktop — Import"), straight to the import preview. Nothing is
 * imported before the user confirms there.
 */
import { useEffect } from 'react';
import { plural } from '../../lib/format';
import { loadImportOffer, openImport, previewImport, useServerFeatures } from '../../state/server-browse';
import './servers.css';

export function ImportOffer() {
  const found = useServerFeatures((s) => s.importOffer);
  useEffect(() => void loadImportOffer(), []);
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
