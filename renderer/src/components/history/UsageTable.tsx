/** Per-server usage per day: requests, tokens in and out, estimated cost (from the host's history). */
import { useSamplingExtras } from '../../state/sampling-settings';
import { formatCost } from '../sampling/usage-format';

export function UsageTable() {
  const usage = useSamplingExtras((s) => s.usage);
  if (usage.length === 0) return <p className="muted pad">No usage yet.</p>;
  return (
    <table className="usage-table" data-testid="usage-table">
      <caption className="sr-only">Usage per server per day</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Server</th>
          <th scope="col" className="num">
            Requests
          </th>
          <th scope="col" className="num">
            Sent
          </th>
          <th scope="col" className="num">
            Tokens in
          </th>
          <th scope="col" className="num">
            Tokens out
          </th>
          <th scope="col" className="num">
            Est. cost
          </th>
        </tr>
      </thead>
      <tbody>
        {usage.map((row) => (
          <tr key={`${row.day}-${row.serverName}`}>
            <td className="nowrap">{row.day}</td>
            <td>{row.serverName}</td>
            <td className="num">{row.requests}</td>
            <td className="num">{row.sent}</td>
            <td className="num">{row.inputTokens}</td>
            <td className="num">{row.outputTokens}</td>
            <td className="num">{row.costUsd > 0 ? formatCost(row.costUsd) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
