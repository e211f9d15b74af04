/** What the user changed, one line each (nothing when nothing was). */
export function EditList({ title, edits, testId }: { title: string; edits: readonly string[]; testId?: string }) {
  if (edits.length === 0) return null;
  return (
    <>
      <h3 className="subhead">{title}</h3>
      <ul className="edit-list" data-testid={testId}>
        {edits.map((edit, i) => (
          <li key={i}>{edit}</li>
        ))}
      </ul>
    </>
  );
}
