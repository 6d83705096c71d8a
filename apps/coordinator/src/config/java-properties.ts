/**
 * The subset of java.util.Properties.load that zoo.cfg files use, since ZooKeeper reads zoo.cfg
 * with it (QuorumPeerConfig.parse): one `key=value` per logical line, `key:value` and
 * `key value` too, `#` and `!` start a comment line, backslash continues a line, and the usual
 * escapes (\t \n \r \f \\ \uXXXX). Keys and values are trimmed, as parseProperties does.
 * There are no end-of-line comments: `tickTime=2000 # ms` has the value "2000 # ms".
 */
export interface PropertyEntry {
  key: string;
  value: string;
  /** 1-based line where the entry starts, for messages. */
  line: number;
}

export function parseJavaProperties(text: string): PropertyEntry[] {
  const entries: PropertyEntry[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let logical = lines[i].replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    // An odd number of trailing backslashes continues the line (leading blanks of the next dropped).
    while (endsWithContinuation(logical) && i + 1 < lines.length) {
      i++;
      logical = logical.slice(0, -1) + lines[i].replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(logical)) logical = logical.slice(0, -1);
    const { key, rest } = splitKey(logical);
    entries.push({ key: unescape(key).trim(), value: unescape(rest).trim(), line: start });
  }
  return entries;
}

function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let j = line.length - 1; j >= 0 && line[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

/** The key ends at the first unescaped '=', ':' or blank; one separator and blanks are skipped. */
function splitKey(line: string): { key: string; rest: string } {
  let j = 0;
  while (j < line.length) {
    const c = line[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    j++;
  }
  const key = line.slice(0, j);
  let k = j;
  while (k < line.length && /[ \t\f]/.test(line[k])) k++;
  if (k < line.length && (line[k] === '=' || line[k] === ':')) k++;
  return { key, rest: line.slice(k) };
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? e;
  });
}
