/**
 * The checks of Go's regexp parser (`regexp/syntax/parse.go`, Perl flags as `regexp.Compile` sets them), which
 * cloudflared runs on every ingress `path`. JavaScript's RegExp is no judge here: it refuses RE2 syntax such as
 * `(?i)`, `\pL`, `[[:alpha:]]` or `\Q…\E`, and accepts what RE2 lacks, such as look-around and backreferences.
 */

export interface Re2SyntaxError {
  /** Go's error code text, e.g. `missing argument to repetition operator`. */
  code: string;
  /** The part of the expression Go quotes. */
  expr: string;
  /** What the construct is, when it is one that other regex engines have and RE2 lacks. */
  unsupported?: string;
}

/** Go's message: `error parsing regexp: <code>: \`<expr>\``. */
export function re2Message(error: Re2SyntaxError): string {
  return `error parsing regexp: ${error.code}: \`${error.expr}\``;
}

const POSIX_CLASSES = new Set(
  ['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']
    .flatMap((name) => [`[:${name}:]`, `[:^${name}:]`]),
);
/** Go's `unicode.Categories` names; scripts are checked against JavaScript's Unicode data. */
const UNICODE_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs', 'Any',
]);

/** Non-capturing `(?…` forms of other engines, by what follows `(?`. */
const PERL_ONLY_GROUPS: ReadonlyArray<[string, string]> = [
  ['=', 'look-ahead `(?=…)`'],
  ['!', 'negative look-ahead `(?!…)`'],
  ['<=', 'look-behind `(?<=…)`'],
  ['<!', 'negative look-behind `(?<!…)`'],
  ['>', 'atomic group `(?>…)`'],
  ['P=', 'named backreference `(?P=name)`'],
  ['P>', 'recursion `(?P>name)`'],
  ['#', 'comment group `(?#…)`'],
  ['(', 'conditional `(?(…)…)`'],
  ['R', 'recursion `(?R)`'],
  ['|', 'branch reset `(?|…)`'],
];

/** A node of the parse, kept only as far as the repeat-count limit needs: its repeat and its sub-expressions. */
interface Node {
  /** Set on counted repeats (`{n,m}`); `max` is -1 for `{n,}`. */
  count?: { min: number; max: number };
  subs: Node[];
}

type StackItem = { kind: 'paren' } | { kind: 'bar' } | { kind: 'expr'; node: Node };

class Re2Failure extends Error {
  constructor(readonly error: Re2SyntaxError) {
    super(error.code);
  }
}

function fail(code: string, expr: string, unsupported?: string): never {
  throw new Re2Failure(unsupported ? { code, expr, unsupported } : { code, expr });
}

/** The error `regexp.Compile` returns for `pattern`, or undefined when it compiles. */
export function re2SyntaxError(pattern: string): Re2SyntaxError | undefined {
  try {
    new Re2Parser(pattern).parse();
    return undefined;
  } catch (error) {
    if (error instanceof Re2Failure) return error.error;
    throw error;
  }
}

class Re2Parser {
  private readonly stack: StackItem[] = [];
  private at = 0;

  constructor(private readonly source: string) {}

  parse(): void {
    let lastRepeat = '';
    while (this.at < this.source.length) {
      const start = this.at;
      let repeat = '';
      const c = this.source[this.at];
      if (c === '(') this.openGroup();
      else if (c === '|') this.take(1, { kind: 'bar' });
      else if (c === ')') this.closeGroup();
      else if (c === '[') this.parseClass();
      else if (c === '*' || c === '+' || c === '?') {
        this.at++;
        this.repeat(start, lastRepeat, 0, -1);
        repeat = this.source.slice(start);
      } else if (c === '{' && this.repeatBounds() !== undefined) {
        const { min, max, end } = this.repeatBounds()!;
        this.at = end;
        if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) fail('invalid repeat count', this.source.slice(start, end));
        this.repeat(start, lastRepeat, min, max, true);
        repeat = this.source.slice(start);
      } else if (c === '\\') this.parseEscapeAtom();
      else this.take(codePointLength(this.source, this.at), this.expr());
      lastRepeat = repeat;
    }
    if (this.stack.some((item) => item.kind === 'paren')) fail('missing closing )', this.source);
  }

  private expr(node: Node = { subs: [] }): StackItem {
    return { kind: 'expr', node };
  }

  private take(length: number, item?: StackItem): void {
    this.at += length;
    if (item) this.stack.push(item);
  }

  // ---- groups ----

  private openGroup(): void {
    const rest = this.source.slice(this.at);
    if (!rest.startsWith('(?')) return this.take(1, { kind: 'paren' });
    // Named captures: `(?P<name>` and, since Go 1.22, `(?<name>`.
    const named = /^\(\?P?</.exec(rest);
    if (named && rest.length > named[0].length) {
      // Go reads `(?<=` and `(?<!` as a capture with an invalid name.
      const lookBehind = PERL_ONLY_GROUPS.find(([after]) => after.startsWith('<') && rest.startsWith(`(?${after}`))?.[1];
      const end = rest.indexOf('>');
      if (end === -1) fail('invalid named capture', rest, lookBehind);
      if (!/^[A-Za-z0-9_]+$/.test(rest.slice(named[0].length, end))) fail('invalid named capture', rest.slice(0, end + 1), lookBehind);
      return this.take(end + 1, { kind: 'paren' });
    }
    // Flags and non-capturing groups: `(?i)`, `(?i-s:`, `(?:`.
    let i = 2;
    let negated = false;
    let sawFlag = false;
    for (; i < rest.length; i++) {
      const c = rest[i];
      if ('imsU'.includes(c)) sawFlag = true;
      else if (c === '-' && !negated) {
        negated = true;
        sawFlag = false;
      } else if ((c === ':' || c === ')') && !(negated && !sawFlag)) {
        return this.take(i + 1, c === ':' ? { kind: 'paren' } : undefined);
      } else break;
    }
    const perlOnly = PERL_ONLY_GROUPS.find(([after]) => rest.startsWith(`(?${after}`));
    fail('invalid or unsupported Perl syntax', rest.slice(0, Math.min(i + 1, rest.length)), perlOnly?.[1]);
  }

  private closeGroup(): void {
    const subs: Node[] = [];
    for (let item = this.stack.pop(); ; item = this.stack.pop()) {
      if (!item) fail('unexpected )', this.source);
      if (item.kind === 'paren') break;
      if (item.kind === 'expr') subs.push(item.node);
    }
    this.take(1, this.expr({ subs }));
  }

  // ---- repetition ----

  /** `{n}`, `{n,}` or `{n,m}` at the cursor; anything else makes `{` a literal. Too-big numbers give -1. */
  private repeatBounds(): { min: number; max: number; end: number } | undefined {
    const match = /^\{(0|[1-9][0-9]*)(?:(,)(0|[1-9][0-9]*)?)?\}/.exec(this.source.slice(this.at));
    if (!match) return undefined;
    const number = (digits: string) => (digits.length > 8 ? -1 : Number(digits));
    const min = number(match[1]);
    const max = match[2] === undefined ? min : match[3] === undefined ? -1 : number(match[3]);
    // A too-big maximum makes the minimum invalid, as in Go.
    return { min: match[3] !== undefined && max < 0 ? -1 : min, max, end: this.at + match[0].length };
  }

  private repeat(start: number, lastRepeat: string, min: number, max: number, counted = false): void {
    if (this.source[this.at] === '?') this.at++; // non-greedy
    if (lastRepeat !== '') {
      const operator = lastRepeat.slice(0, lastRepeat.length - (this.source.length - this.at));
      const possessive = this.source[start] === '+' ? 'possessive quantifier (`*+`, `++`, `?+`, `{n}+`)' : undefined;
      fail('invalid nested repetition operator', operator, possessive);
    }
    const top = this.stack[this.stack.length - 1];
    if (top?.kind !== 'expr') fail('missing argument to repetition operator', this.source.slice(start, this.at));
    const node: Node = counted ? { count: { min, max }, subs: [top.node] } : { subs: [top.node] };
    top.node = node;
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, 1000)) fail('invalid repeat count', this.source.slice(start, this.at));
  }

  // ---- escapes ----

  private parseEscapeAtom(): void {
    const next = this.source[this.at + 1];
    if (next === 'A' || next === 'b' || next === 'B' || next === 'z') return this.take(2, this.expr());
    if (next === 'C') fail('invalid escape sequence', '\\C');
    if (next === 'Q') {
      const end = this.source.indexOf('\\E', this.at + 2);
      const literal = this.source.slice(this.at + 2, end === -1 ? undefined : end);
      this.at = end === -1 ? this.source.length : end + 2;
      if (literal !== '') this.stack.push(this.expr());
      return;
    }
    if (!this.unicodeClass() && !this.perlClass()) this.escapedCharacter();
    this.stack.push(this.expr());
  }

  /** `\d \D \s \S \w \W` at the cursor. */
  private perlClass(): boolean {
    if (!/^\\[dDsSwW]/.test(this.source.slice(this.at))) return false;
    this.at += 2;
    return true;
  }

  /** `\pL`, `\p{Greek}`, `\P{^Lu}` at the cursor; an unknown name is an error. */
  private unicodeClass(): boolean {
    const rest = this.source.slice(this.at);
    if (!/^\\[pP]/.test(rest)) return false;
    let sequence: string;
    let name: string;
    if (rest[2] !== '{') {
      sequence = rest.slice(0, 2 + codePointLength(rest, 2));
      name = sequence.slice(2);
    } else {
      const end = rest.indexOf('}');
      if (end === -1) fail('invalid character class range', rest);
      sequence = rest.slice(0, end + 1);
      name = rest.slice(3, end);
    }
    if (name.startsWith('^')) name = name.slice(1);
    if (!UNICODE_CATEGORIES.has(name) && !isUnicodeScript(name)) fail('invalid character class range', sequence);
    this.at += sequence.length;
    return true;
  }

  /** An ordinary escape (`\.`, `\n`, `\x41`, `\x{263a}`, `\012`); returns its code point. */
  private escapedCharacter(): number {
    const start = this.at;
    const rest = this.source.slice(start);
    if (rest.length === 1) fail('trailing backslash at end of expression', '');
    const c = rest.codePointAt(1)!;
    const ch = String.fromCodePoint(c);
    const invalid = (length: number, unsupported?: string): never => fail('invalid escape sequence', rest.slice(0, length), unsupported);
    if (c < 0x80 && !/[0-9A-Za-z]/.test(ch)) return this.advance(1 + ch.length, c);
    const octal = /^\\([0-7]{1,3})/.exec(rest);
    if (octal && (ch === '0' || /^[0-7]$/.test(rest[2] ?? ''))) return this.advance(octal[0].length, parseInt(octal[1], 8));
    if (/[1-9]/.test(ch)) invalid(2, 'backreference `\\1`…`\\9`');
    if (ch === 'x') return this.hexEscape(rest);
    const control = 'afnrtv'.indexOf(ch);
    if (control !== -1) return this.advance(2, [7, 12, 10, 13, 9, 11][control]);
    return invalid(1 + ch.length, ch === 'k' || ch === 'g' ? 'named backreference `\\k<name>`' : undefined);
  }

  /** `\x41` or `\x{263a}` (at least one hex digit, at most U+10FFFF); Go quotes up to the first wrong character. */
  private hexEscape(rest: string): number {
    const invalid = (length: number): never => fail('invalid escape sequence', rest.slice(0, length));
    if (rest[2] !== '{') {
      if (!/^\\x[0-9A-Fa-f]{2}/.test(rest)) invalid(4);
      return this.advance(4, parseInt(rest.slice(2, 4), 16));
    }
    let value = 0;
    for (let i = 3; i < rest.length; i++) {
      if (rest[i] === '}') return i === 3 ? invalid(i + 1) : this.advance(i + 1, value);
      if (!/[0-9A-Fa-f]/.test(rest[i])) invalid(i + 1);
      value = value * 16 + parseInt(rest[i], 16);
      if (value > 0x10ffff) invalid(i + 1);
    }
    return invalid(rest.length);
  }

  private advance(length: number, codePoint: number): number {
    this.at += length;
    return codePoint;
  }

  // ---- character classes ----

  private parseClass(): void {
    const whole = this.source.slice(this.at);
    this.at++;
    if (this.source[this.at] === '^') this.at++;
    let first = true;
    while (this.at >= this.source.length || this.source[this.at] !== ']' || first) {
      first = false;
      const rest = this.source.slice(this.at);
      if (rest.startsWith('[:')) {
        const close = rest.indexOf(':]', 2);
        if (close !== -1) {
          const name = rest.slice(0, close + 2);
          if (!POSIX_CLASSES.has(name)) fail('invalid character class range', name);
          this.at += name.length;
          continue;
        }
      }
      if (this.unicodeClass() || this.perlClass()) continue;
      const rangeStart = this.at;
      const lo = this.classCharacter(whole);
      if (this.source[this.at] === '-' && this.at + 1 < this.source.length && this.source[this.at + 1] !== ']') {
        this.at++;
        const hi = this.classCharacter(whole);
        if (hi < lo) fail('invalid character class range', this.source.slice(rangeStart, this.at));
      }
    }
    this.take(1, this.expr());
  }

  private classCharacter(wholeClass: string): number {
    if (this.at >= this.source.length) fail('missing closing ]', wholeClass);
    if (this.source[this.at] === '\\') return this.escapedCharacter();
    const c = this.source.codePointAt(this.at)!;
    return this.advance(String.fromCodePoint(c).length, c);
  }
}

/** Go's `repeatIsValid`: nested counted repeats may not multiply past 1000. */
function repeatIsValid(node: Node, limit: number): boolean {
  let n = limit;
  if (node.count) {
    if (node.count.max === 0) return true;
    const m = node.count.max < 0 ? node.count.min : node.count.max;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  return node.subs.every((sub) => repeatIsValid(sub, n));
}

function codePointLength(text: string, at: number): number {
  const c = text.codePointAt(at);
  return c === undefined ? 0 : String.fromCodePoint(c).length;
}

function isUnicodeScript(name: string): boolean {
  if (!/^[A-Za-z_]+$/.test(name)) return false;
  try {
    new RegExp(`\\p{Script=${name}}`, 'u');
    return true;
  } catch {
    return false;
  }
}
