/** A line diff (`- ` removed, `+ ` added, `  ` kept) as a focusable code block, coloured per line. */
export function DiffLines({ lines, testId }: { lines: readonly string[]; testId?: string }) {
  return (
    <pre tabIndex={0} className="code answer-diff" data-testid={testId}>
      {lines.map((line, i) => (
        <span key={i} className={line.startsWith('+ ') ? 'diff-add' : line.startsWith('- ') ? 'diff-del' : 'diff-same'}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
