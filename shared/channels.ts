/**
 * The names of the IPC contract's channels, without their schemas. The preload script needs only
 * these, so it stays free of zod; shared/contract.ts checks at compile time that its channel maps
 * have exactly these keys, so the two lists cannot drift apart.
 */

export const INVOKE_CHANNEL_NAMES = [
  'app:info',
  'servers:list',
  'servers:save',
  'servers:remove',
  'servers:restart',
  'servers:listTools',
  'servers:callTool',
  'servers:setEnabled',
  'servers:logs',
  'servers:setLogLevel',
  'servers:listResources',
  'servers:listResourceTemplates',
  'servers:readResource',
  'servers:listPrompts',
  'servers:signIn',
  'servers:signOut',
  'auth:settings',
  'auth:setSettings',
  'servers:getPrompt',
  'servers:cancel',
  'servers:subscribe',
  'servers:unsubscribe',
  'servers:complete',
  'tasks:list',
  'app:openLink',
  'tasks:cancel',
  'import:scan',
  'import:pickFile',
  'import:preview',
  'import:apply',
  'sampling:list',
  'sampling:generate',
  'sampling:stop',
  'sampling:send',
  'sampling:reject',
  'sampling:approveAll',
  'sampling:rejectAll',
  'sampling:settings',
  'sampling:setPaused',
  'sampling:setPolicy',
  'providers:list',
  'providers:save',
  'providers:remove',
  'providers:test',
  'history:page',
  'history:count',
  'history:get',
  'history:facets',
  'history:usage',
  'history:export',
  'history:delete',
  'history:retention',
  'history:setRetention',
  'elicitation:list',
  'elicitation:respond',
  'elicitation:dismiss',
  'roots:get',
  'roots:setGlobal',
  'roots:setServer',
  'roots:checkFolder',
  'roots:pickFolder',
  'toolCalls:list',
  'toolCalls:respond',
  'toolCalls:validate',
  'toolCalls:settings',
  'toolCalls:serverTools',
  'toolCalls:setPreset',
  'toolCalls:setToolRule',
  'toolCalls:setExposure',
  'gateway:status',
  'gateway:configure',
  'gateway:createToken',
  'gateway:revokeToken',
  'gateway:setServer',
  'gateway:appConfigs',
  'gateway:previewAppConfig',
  'gateway:writeAppConfig',
  'updates:state',
  'updates:check',
  'updates:setEnabled',
  'updates:restart',
] as const;

export const EVENT_CHANNEL_NAMES = [
  'servers:changed',
  'sampling:added',
  'sampling:removed',
  'sampling:delta',
  'history:added',
  'sampling:problem',
  'sampling:settingsChanged',
  'servers:log',
  'servers:listChanged',
  'servers:progress',
  'servers:resourceUpdated',
  'tasks:changed',
  'elicitation:added',
  'elicitation:updated',
  'elicitation:removed',
  'toolCalls:added',
  'toolCalls:removed',
  'toolCalls:settingsChanged',
  'gateway:changed',
  'updates:changed',
] as const;

export type InvokeChannelName = (typeof INVOKE_CHANNEL_NAMES)[number];
export type EventChannelName = (typeof EVENT_CHANNEL_NAMES)[number];

const invokeNames: ReadonlySet<string> = new Set(INVOKE_CHANNEL_NAMES);
const eventNames: ReadonlySet<string> = new Set(EVENT_CHANNEL_NAMES);

export function isInvokeChannel(value: unknown): value is InvokeChannelName {
  return typeof value === 'string' && invokeNames.has(value);
}

export function isEventChannel(value: unknown): value is EventChannelName {
  return typeof value === 'string' && eventNames.has(value);
}
