/** Pending requests of every kind, as the host sends them (parsed by the contract's schemas). */
import {
  PendingElicitationSchema,
  PendingSamplingSchema,
  type PendingElicitation,
  type PendingSampling,
  type ToolCallRef,
} from '../../shared/domain.js';
import { PendingToolCallSchema, type PendingToolCall } from '../../shared/toolcalls.js';

export function samplingRequest(id: string, serverName: string, receivedAt: number, toolCall?: ToolCallRef): PendingSampling {
  return PendingSamplingSchema.parse({
    id,
    serverName,
    receivedAt,
    route: 'push',
    ...(toolCall ? { toolCall } : {}),
    params: { messages: [{ role: 'user', content: { type: 'text', text: `Question ${id}` } }], maxTokens: 100 },
    suggestedModel: { providerId: 'manual', model: 'manual', reason: 'no provider configured' },
  });
}

export function formElicitation(id: string, serverName: string, receivedAt: number): PendingElicitation {
  return PendingElicitationSchema.parse({
    id,
    serverName,
    receivedAt,
    route: 'push',
    mode: 'form',
    message: `Your name, please (${id})`,
    requestedSchema: { type: 'object', properties: { name: { type: 'string', title: 'Name' } }, required: ['name'] },
    status: 'waiting',
  });
}

export function urlElicitation(id: string, serverName: string, receivedAt: number, status: 'waiting' | 'opened'): PendingElicitation {
  return PendingElicitationSchema.parse({
    id,
    serverName,
    receivedAt,
    route: 'push',
    mode: 'url',
    message: 'Sign in',
    url: 'https://example.com/login',
    status,
  });
}

export function toolCall(id: string, appName: string, receivedAt: number): PendingToolCall {
  return PendingToolCallSchema.parse({
    id,
    app: { tokenId: 't1', label: 'laptop', name: appName },
    serverName: 'notes',
    tool: { name: 'write_note', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
    arguments: { text: 'hello' },
    receivedAt,
    deadline: receivedAt + 60_000,
    reason: 'rule',
  });
}
