/**
 * Error text a person can act on. Libraries report failures as codes ("MCP error -32001",
 * "spawn nodee ENOENT", "ECONNREFUSED 127.0.0.1:9999"); these helpers turn the ones a user meets
 * into sentences that say what happened. Pure string functions: the host uses them for a
 * server's status and the renderer for every toast, so both say the same thing.
 */

/** What JSON-RPC / MCP error codes mean to a user (the server's own detail follows). */
const PROTOCOL_CODES: Record<number, string> = {
  [-32001]: 'The request timed out',
  [-32000]: 'The connection to the server closed',
  [-32600]: 'The request was not valid',
  [-32601]: 'The server does not support this request',
  [-32602]: 'The server refused the request’s parameters',
  [-32603]: 'The server reported an internal error',
  [-32700]: 'The server could not parse the request',
  [-32002]: 'The server does not know that resource',
  [-32042]: 'The server needs you to open a web page first',
};

/** Node's network error codes, as sentences about `where` ("127.0.0.1:9999", a host name). */
function networkSentence(code: string, where: string): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing is listening at ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host name ${where} could not be found`;
    case 'ECONNRESET':
      return `The connection to ${where} was reset`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `Connecting to ${where} timed out`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this machine`;
    default:
      return undefined;
  }
}

/**
 * Rewrites the codes in an error message as sentences; a message without a known code is
 * returned unchanged (trimmed).
 */
export function plainError(message: string): string {
  const text = message.trim();
  // A program that could not be started: `spawn nodee ENOENT` (Node's wording, also inside longer text).
  const spawn = /spawn (\S+) (ENOENT|EACCES)/.exec(text);
  if (spawn) {
    const program = spawn[1];
    return spawn[2] === 'ENOENT'
      ? `'${program}' was not found on PATH. Check the command's spelling, or give its full path`
      : `'${program}' could not be started: permission denied (is it executable?)`;
  }
  const network = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b\s*([\w.:[\]-]+)?/.exec(text);
  if (network) {
    const sentence = networkSentence(network[1]!, network[2] ?? 'that address');
    if (sentence) return sentence;
  }
  // "McpError: MCP error -32001: Request timed out" (SDK v1 servers), "MCP error -32602: …", also
  // quoted inside a longer message ("The server cancelled the request: McpError: …").
  return text.replace(
    /(?:(?:Mcp|Protocol)Error:\s*)?MCP error (-?\d+):[ \t]*([^\n;]*)/g,
    (_match, code: string, rawDetail: string, offset: number) => {
      const detail = rawDetail.trim();
      const meaning = PROTOCOL_CODES[Number(code)];
      let sentence: string;
      if (!meaning) sentence = detail || `The server answered with error ${code}`;
      else {
        // The generic detail adds nothing to the sentence ("Request timed out", "Connection closed").
        const redundant =
          /^(request timed out|connection closed|method not found|internal error|parse error|invalid (params|request))\.?$/i.test(detail);
        sentence = detail && !redundant ? `${meaning} (${detail})` : meaning;
      }
      return offset > 0 ? sentence.charAt(0).toLowerCase() + sentence.slice(1) : sentence;
    },
  );
}

/** Lines a crashing program prints that say nothing on their own (stack frames, braces, Node's version). */
const NOISE = /^(at\s|[{}[\]]+,?$|\^+$|Node\.js v\d|Require stack:|- \/|requireStack:|code:\s|throw\s|node:internal|\s*$)/;

/**
 * The line of a crashed program's stderr that says why: the first `Error:`-style line (Node,
 * Python's last `…Error: …`), else the last line that is not stack-trace noise.
 */
export function crashReason(stderr: readonly string[]): string | undefined {
  const lines = stderr.map((line) => line.trim()).filter((line) => line !== '');
  const python = [...lines].reverse().find((line) => /^[A-Z]\w*(Error|Exception): /.test(line));
  const node = lines.find((line) => /^(\w*Error|Error)(\s\[\w+\])?: /.test(line));
  // Node prints the error after its own "file:line / code / ^" preamble; Python prints a traceback
  // first and the exception last: either way, the Error line is the reason.
  const pick = lines[0]?.startsWith('Traceback') ? python : (node ?? python);
  if (pick) return pick;
  return [...lines].reverse().find((line) => !NOISE.test(line));
}
