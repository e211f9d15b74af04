/**
 * Generated history of realistic size for the history benchmark (and screenshots): sampling
 * entries of a few KB each (a system prompt, two or three messages, an answer), spread over 50
 * servers, four outcomes, three models and a year of decisions, with some entries edited.
 */
import type { HistoryEntry } from '../shared/domain.js';

const WORDS = (
  'weather forecast repository commit summary review pull request branch merge deploy server tool call ' +
  'database index query latency budget token model answer question translate invoice customer ticket ' +
  'calendar meeting schedule report chart metric error stack trace function module test build release ' +
  'document paragraph section title abstract citation source file folder path image caption audio'
).split(' ');
const OUTCOMES = ['sent', 'sent', 'sent', 'rejected', 'cancelled', 'failed'] as const;
const MODELS = ['claude-sonnet', 'gpt-large', 'local-llama'];

/** Deterministic pseudo-random text: `words` words chosen from the vocabulary by `seed`. */
function text(seed: number, words: number): string {
  const out: string[] = [];
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length]!);
  }
  return `${out.join(' ')}.`;
}

/** Entry `i` of `count`, decided between a year ago and `now` (older first, like a real history). */
export function generatedEntry(i: number, count: number, now = Date.now()): HistoryEntry {
  const decidedAt = now - Math.floor(((count - i) / count) * 365 * 86_400_000);
  const outcome = OUTCOMES[i % OUTCOMES.length]!;
  const model = MODELS[i % MODELS.length]!;
  const edited = i % 7 === 0;
  const question = `${text(i, 60)} (request ${i})`;
  const answer = text(i + 1, 180);
  return {
    id: `gen-${i}`,
    serverName: `server-${String(i % 50).padStart(2, '0')}`,
    route: i % 4 === 0 ? 'input_required' : 'push',
    receivedAt: decidedAt - 1500,
    decidedAt,
    outcome,
    detail: outcome === 'rejected' ? 'Rejected: not now' : outcome === 'failed' ? 'The model timed out' : undefined,
    originalParams: {
      systemPrompt: text(i + 2, 40),
      maxTokens: 400,
      messages: [
        { role: 'user', content: { type: 'text', text: text(i + 3, 80) } },
        { role: 'assistant', content: { type: 'text', text: text(i + 4, 60) } },
        { role: 'user', content: { type: 'text', text: question } },
      ],
    },
    approvedParams: edited ? { maxTokens: 200, messages: [{ role: 'user', content: { type: 'text', text: question } }] } : undefined,
    edits: edited ? ['maxTokens: 400 → 200'] : [],
    model: outcome === 'sent' || outcome === 'failed' ? { providerId: 'bench', model } : undefined,
    generated: outcome === 'sent' ? { role: 'assistant', content: { type: 'text', text: answer }, model } : undefined,
    sent: outcome === 'sent' ? { role: 'assistant', content: { type: 'text', text: answer }, model } : undefined,
    answerEdited: false,
    usage: outcome === 'sent' ? { inputTokens: 300 + (i % 200), outputTokens: 150 + (i % 100) } : undefined,
    latencyMs: outcome === 'sent' ? 800 + (i % 3000) : undefined,
    decision: i % 3 === 0 ? 'auto' : 'user',
    costUsd: outcome === 'sent' ? 0.002 + (i % 10) / 10_000 : undefined,
  };
}
