/** Turns provider failures into one sentence a user can act on. */
import { APICallError } from 'ai';

export function describeModelError(error: unknown, providerName: string): string {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === 401 || status === 403) {
      return `${providerName} rejected the API key (HTTP ${status}). Check the key in Providers.`;
    }
    // Gemini answers a bad key with 400 INVALID_ARGUMENT "API key not valid".
    if (status === 400 && /api key/i.test(error.message)) {
      return `${providerName} rejected the API key (HTTP 400). Check the key in Providers.`;
    }
    if (status === 404) return `${providerName} does not know this model or endpoint (HTTP 404): ${firstLine(error.message)}`;
    if (status === 429) return `${providerName} is rate limiting requests (HTTP 429). Wait a moment and retry.`;
    if (status === 529 || status === 503) return `${providerName} is overloaded (HTTP ${status}). Retry in a moment.`;
    if (status !== undefined) return `${providerName} answered HTTP ${status}: ${firstLine(error.message)}`;
    return `Could not reach ${providerName} at ${error.url}: ${firstLine(causeMessage(error))}`;
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || /timed? ?out/i.test(causeMessage(error)))) {
    return `${providerName} did not answer in time (timeout): ${firstLine(causeMessage(error))}`;
  }
  if (error instanceof Error && error.name === 'AbortError') return 'Generation stopped.';
  const message = causeMessage(error);
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|fetch failed/i.test(message)) {
    return `Could not reach ${providerName}: ${firstLine(message)}`;
  }
  return `${providerName} failed: ${firstLine(message)}`;
}

function causeMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) {
      const code = (cause as Error & { code?: string }).code;
      return `${error.message} (${cause.message}${code && !cause.message.includes(code) ? `, ${code}` : ''})`;
    }
    return error.message;
  }
  return String(error);
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 300) ?? '';
}
