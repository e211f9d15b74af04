/** The global kill switch, in the sidebar: while paused every sampling request is refused with an error. */
import './sampling.css';
import { setPaused, useSamplingExtras } from '../../state/sampling-settings';

export function PauseToggle() {
  const paused = useSamplingExtras((s) => s.paused);
  const loaded = useSamplingExtras((s) => s.loaded);
  if (!loaded) return null;
  return (
    <button
      type="button"
      className={`btn btn-small pause-toggle${paused ? ' is-paused' : ''}`}
      aria-pressed={paused}
      title={paused ? 'Sampling is paused: every request is refused. Click to resume.' : 'Refuse every sampling request until you resume'}
      onClick={() => void setPaused(!paused)}
      data-testid="pause-toggle"
    >
      {paused ? (
        // Two lines: the state, then the action; one line overflowed the sidebar.
        <>
          <strong>Sampling paused</strong>
          <span>Click to resume</span>
        </>
      ) : (
        'Pause sampling'
      )}
    </button>
  );
}
