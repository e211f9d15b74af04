import type { PendingSampling } from '../../../../shared/domain';

export function routeLabel(request: Pick<PendingSampling, 'route' | 'toolCall'>): string {
  return request.route === 'push' ? 'pushed by server' : `input_required during ${request.toolCall?.name ?? 'a tool call'}`;
}

export function RouteBadge({ request }: { request: Pick<PendingSampling, 'route' | 'toolCall'> }) {
  return <span className={`chip chip-route-${request.route}`}>{routeLabel(request)}</span>;
}
