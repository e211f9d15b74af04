/** The interface every model provider implements for the sampling broker. */
import type { CreateMessageParams, CreateMessageResult } from '../../../shared/mcp.js';

export interface ModelRun {
  params: CreateMessageParams;
  model: string;
  signal: AbortSignal;
  /** Called with each streamed text delta. */
  onDelta: (text: string) => void;
}

export interface ModelOutput {
  result: CreateMessageResult;
  usage: { inputTokens?: number; outputTokens?: number };
}

export interface ModelRunner {
  run(request: ModelRun): Promise<ModelOutput>;
}
