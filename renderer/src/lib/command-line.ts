/**
 * Splitting a whole command line pasted into the Command field (`node --import tsx server.ts`)
 * into the program and its arguments, the way a shell would read the words: whitespace separates,
 * single and double quotes group (and are removed), a backslash escapes a quote, a space or
 * another backslash. Any other backslash is kept, so Windows paths (`C:\tools\server.exe`) survive.
 * No variables, globs or pipes: Sluice starts the program directly, without a shell.
 */

export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && /[\s"'\\]/.test(line[i + 1] ?? '')) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * When `command` is a whole command line (more than one word), the program and the arguments it
 * holds; undefined when it is one word (a path with spaces must then be quoted, and the form
 * shows the split so the user sees it and can undo it).
 */
export function commandLineParts(command: string): { command: string; args: string[] } | undefined {
  const words = splitCommandLine(command.trim());
  if (words.length < 2) return undefined;
  const [program, ...args] = words as [string, ...string[]];
  return { command: program, args };
}
