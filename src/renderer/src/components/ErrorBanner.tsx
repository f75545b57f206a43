interface Props {
  message: string | null;
  onDismiss: () => void;
}

export function ErrorBanner({ message, onDismiss }: Props) {
  if (!message) return null;
  return (
    <div className="error-banner" data-testid="error-banner" role="alert">
      <span className="error-text">{message}</span>
      <button type="button" className="link-button" data-testid="dismiss-error" onClick={onDismiss} aria-label="Dismiss error">
        Dismiss
      </button>
    </div>
  );
}
