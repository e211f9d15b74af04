/** A form's validation errors, listed in one alert; nothing when there are none. */
export function ErrorCallout({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="callout callout-error" role="alert">
      <ul className="error-list">
        {errors.map((error) => (
          <li key={error}>{error}</li>
        ))}
      </ul>
    </div>
  );
}
