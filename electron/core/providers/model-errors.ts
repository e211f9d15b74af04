/** Turns provider failures into one sentence a user can act on. */
import { APICallError } from 'ai';

export function describeModelError(error: unknown, providerName: string): string {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === 401 || status === 403) {
      return `${providerName} rejected the API key (HTTP ${status}). Check the key in Providers.`;
    }
    if (status === 404) return `${providerName} does not know this model or endpoint (HTTP 404): ${firstLine(error.message)}`;
    if (status === 429) return `${providerName} is rate limiting requests (HTTP 429). Wait a moment and retry.`;
    if (status !== undefined) return `${providerName} answered HTTP ${status}: ${firstLine(error.message)}`;
    return `Could not reach ${providerName} at ${error.url}: ${firstLine(causeMessage(error))}`;
  }
  if (error instanceof Error && error.name === 'AbortError') return 'Generation stopped.';
  return `${providerName} failed: ${firstLine(causeMessage(error))}`;
}

function causeMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return `${error.message} (${cause.message})`;
    return error.message;
  }
  return String(error);
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 300) ?? '';
}
