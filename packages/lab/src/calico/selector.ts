// The subset of Calico's selector language the lab needs for BGPPeer nodeSelector / peerSelector:
// all(), has(k), !has(k), k == 'v', k != 'v', &&, ||, parentheses.

export type Labels = Readonly<Record<string, string>>;
type Matcher = (labels: Labels) => boolean;

const TOKEN = /\s*(all\(\)|has\(\s*[\w./-]+\s*\)|==|!=|&&|\|\||!|\(|\)|'[^']*'|"[^"]*"|[\w./-]+)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m?.[1]) throw new Error(`invalid selector "${text}" at ${start}`);
    tokens.push(m[1]);
  }
  return tokens;
}

const unquote = (s: string) => (/^(['"]).*\1$/.test(s) ? s.slice(1, -1) : s);

/** Parses a selector; throws on anything outside the supported subset. An empty selector matches nothing. */
export function parseSelector(text: string): Matcher {
  const tokens = tokenize(text);
  if (tokens.length === 0) return () => false;
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (t === undefined) throw new Error(`selector "${text}" ends early`);
    return t;
  };

  function primary(): Matcher {
    const t = next();
    if (t === "all()") return () => true;
    if (t === "!") {
      const inner = primary();
      return (l) => !inner(l);
    }
    if (t === "(") {
      const inner = or();
      if (next() !== ")") throw new Error(`selector "${text}": missing ')'`);
      return inner;
    }
    const has = /^has\(\s*([\w./-]+)\s*\)$/.exec(t);
    if (has?.[1]) {
      const key = has[1];
      return (l) => Object.hasOwn(l, key);
    }
    const op = next();
    if (op !== "==" && op !== "!=") throw new Error(`selector "${text}": unsupported operator "${op}"`);
    const value = unquote(next());
    const key = t;
    return op === "==" ? (l) => l[key] === value : (l) => l[key] !== value;
  }

  function and(): Matcher {
    let left = primary();
    while (peek() === "&&") {
      i++;
      const a = left;
      const b = primary();
      left = (l) => a(l) && b(l);
    }
    return left;
  }

  function or(): Matcher {
    let left = and();
    while (peek() === "||") {
      i++;
      const a = left;
      const b = and();
      left = (l) => a(l) || b(l);
    }
    return left;
  }

  const m = or();
  if (i !== tokens.length) throw new Error(`selector "${text}": unexpected "${tokens[i]}"`);
  return m;
}

export function selectorMatches(selector: string, labels: Labels): boolean {
  return parseSelector(selector)(labels);
}
