import { DISCLAIMER } from '../../../api/schemas';

/** App name and the permanent decision-support disclaimer: always on screen, never dismissible. */
export function Header() {
  return (
    <header className="app-header">
      <h1 className="app-name">Sightline</h1>
      <p className="disclaimer" data-testid="disclaimer" role="note">
        {DISCLAIMER}
      </p>
    </header>
  );
}
