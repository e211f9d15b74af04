/**
 * The search index (schema v3): one contentless FTS5 table, `history_search`, with the entry's
 * words in `text` and its filter values in `facets`, one token per value. A search with filters
 * is then one FTS5 query (`text : ("w1" "w2") AND facets : "s…"`): FTS5 intersects the doclists
 * itself, newest first, skipping through a common word's list to the next entry of a rare
 * server instead of looking up every match's row to test its server (schema v2's plan read
 * ~5,000 rows for a page of one server in 50, and the whole history for a server with a few
 * hundred entries: p95 1.3 s at 1,000,000 entries).
 *
 * A facet token is a one-letter field prefix and the value's UTF-8 bytes in hex: only [0-9a-f]
 * after the prefix, so any value (quotes, `:`, `*`, FTS5 keywords, spaces) is one exact token
 * and nothing a server names itself can change the query. Values over 48 bytes are a `z` and
 * their SHA-256 instead (a hex token never contains `z`); the SQL conditions on the row's
 * columns stay in the query too, so even a hash collision could not return a wrong entry.
 */
import { createHash } from 'node:crypto';

/** The filter fields that are facet tokens, with their one-letter prefixes. */
export const FACET_PREFIXES = {
  kind: 'k',
  server: 's',
  app: 'a',
  tool: 't',
  outcome: 'o',
  decision: 'd',
  model: 'm',
} as const;

export type FacetField = keyof typeof FACET_PREFIXES;
export type FacetValues = { [field in FacetField]?: string | null };

const HEX_BYTES = 48;

export function facetToken(field: FacetField, value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  const body = bytes.length <= HEX_BYTES ? bytes.toString('hex') : `z${createHash('sha256').update(bytes).digest('hex')}`;
  return `${FACET_PREFIXES[field]}${body}`;
}

/** The `facets` column of an entry: its filter values as tokens, separated by spaces. */
export function facetText(values: FacetValues): string {
  const tokens: string[] = [];
  for (const field of Object.keys(FACET_PREFIXES) as FacetField[]) {
    const value = values[field];
    if (value !== undefined && value !== null) tokens.push(facetToken(field, value));
  }
  return tokens.join(' ');
}

/**
 * The FTS5 query for `history_search`: the user's words (already quoted by ftsQuery) in `text`,
 * each filter value as a facet token.
 */
export function searchMatch(words: string, facets: FacetValues): string {
  const parts = [`text : (${words})`];
  for (const field of Object.keys(FACET_PREFIXES) as FacetField[]) {
    const value = facets[field];
    if (value !== undefined && value !== null) parts.push(`facets : "${facetToken(field, value)}"`);
  }
  return parts.join(' AND ');
}
