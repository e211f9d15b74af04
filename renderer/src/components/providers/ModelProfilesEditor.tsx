/**
 * Per-model routing scores (0..1: higher = cheaper / faster / smarter) and prices per 1M tokens,
 * as a small table. Values stay strings while the user types; `parseProfiles` validates them.
 */
import type { ModelProfile } from '../../../../shared/domain';

export type ProfileField = keyof ModelProfile;
export type ProfileDraft = Partial<Record<ProfileField, string>>;

const COLUMNS: Array<{ field: ProfileField; label: string; hint: string; score: boolean }> = [
  { field: 'cost', label: 'Cheap', hint: '0..1, higher = cheaper (for costPriority)', score: true },
  { field: 'speed', label: 'Fast', hint: '0..1, higher = faster (for speedPriority)', score: true },
  { field: 'intelligence', label: 'Smart', hint: '0..1, higher = smarter (for intelligencePriority)', score: true },
  { field: 'inputPricePerMTok', label: '$ / 1M in', hint: 'USD per million input tokens (cost estimates)', score: false },
  { field: 'outputPricePerMTok', label: '$ / 1M out', hint: 'USD per million output tokens (cost estimates)', score: false },
];

export function profileToDraft(profile: ModelProfile | undefined): ProfileDraft {
  const draft: ProfileDraft = {};
  for (const { field } of COLUMNS) if (profile?.[field] !== undefined) draft[field] = String(profile[field]);
  return draft;
}

/** Validates the drafts of the listed models; returns the profiles or the first problem. */
export function parseProfiles(
  models: string[],
  drafts: Record<string, ProfileDraft>,
): { profiles: Record<string, ModelProfile> } | { error: string } {
  const profiles: Record<string, ModelProfile> = {};
  for (const model of models) {
    const draft = drafts[model] ?? {};
    const profile: ModelProfile = {};
    for (const { field, label, score } of COLUMNS) {
      const text = draft[field]?.trim() ?? '';
      if (text === '') continue;
      const value = Number(text);
      if (!Number.isFinite(value) || value < 0 || (score && value > 1)) {
        return { error: `${model}: "${label}" must be ${score ? 'a number from 0 to 1' : 'a price of 0 or more'}.` };
      }
      profile[field] = value;
    }
    if (Object.keys(profile).length > 0) profiles[model] = profile;
  }
  return { profiles };
}

export function ModelProfilesEditor({
  models,
  drafts,
  onChange,
}: {
  models: string[];
  drafts: Record<string, ProfileDraft>;
  onChange: (model: string, field: ProfileField, value: string) => void;
}) {
  if (models.length === 0) return null;
  return (
    <div className="model-profiles">
      <table className="profiles-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            {COLUMNS.map((c) => (
              <th key={c.field} scope="col" title={c.hint}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <tr key={model}>
              <th scope="row">
                <code>{model}</code>
              </th>
              {COLUMNS.map((c) => (
                <td key={c.field}>
                  <input
                    aria-label={`${c.label} for ${model}`}
                    inputMode="decimal"
                    placeholder={c.score ? '0.5' : '—'}
                    value={drafts[model]?.[c.field] ?? ''}
                    onChange={(e) => onChange(model, c.field, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Scores route requests by the server’s cost / speed / intelligence priorities (empty counts as 0.5). Prices give the cost estimates
        in History.
      </p>
    </div>
  );
}
