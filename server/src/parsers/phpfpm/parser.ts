/**
 * Reads php-fpm configuration the way php-fpm 8.2 does, so that what php-fpm refuses we refuse, in its words.
 *
 * php-fpm does not hand the whole file to PHP's ini parser: fpm_conf_load_ini_file() splits it on `\n`, skips
 * empty lines and parses each line, plus a `\n`, on its own (normal scanner mode). So quotes never span lines,
 * and a syntax error stops php-fpm at that line. The scanner below follows the re2c rules of PHP 8.2's
 * Zend/zend_ini_scanner.l (longest match, the earlier rule on a tie) and the parser follows
 * Zend/zend_ini_parser.y, including what bison reports and in which order. Never throws; linear in the text.
 */
import { LineIndex } from '../../core/text';
import { arrayKeyProblem, sectionKind } from '../../reference/phpfpm';
import type { FpmComputed, FpmEntry, FpmParseResult, FpmSection, FpmSyntaxError } from './ast';

/** php-fpm's message for a key with no `=`: the ini parser hands it a NULL value. */
const NULL_VALUE_MESSAGE = 'value is NULL for a ZEND_INI_PARSER_ENTRY';

/** php-fpm's own expansion of `$pool` (fpm_conf_expand_pool_name), done on string and array values. */
export function expandPool(value: string, poolName: string): string {
  return value.split('$pool').join(poolName);
}

/** Every entry of a parsed file, in file order: the preamble, then each section's. */
export function fpmEntries(parse: FpmParseResult): FpmEntry[] {
  return [...parse.preamble, ...parse.sections.flatMap((section) => section.entries)];
}

export function parseFpm(text: string): FpmParseResult {
  const lines = new LineIndex(text);
  const result: FpmParseResult = { preamble: [], sections: [], comments: [], errors: [] };
  let section: FpmSection | null = null;
  for (let lineStart = 0; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    // php-fpm hands the line over as a C string: a NUL byte ends it.
    const nul = line.indexOf('\0');
    const content = nul === -1 ? line : line.slice(0, nul);
    if (content.length > 0) section = readLine(content, lineStart, lines, section, result);
    lineStart = lineEnd + 1;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// One line into the parse result

function readLine(content: string, offset: number, lines: LineIndex, section: FpmSection | null, result: FpmParseResult): FpmSection | null {
  const source = content + '\n';
  // The scanner eats a UTF-8 byte order mark at the start of every string it is given.
  const first = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const contentEnd = trimmedEnd(source, content.length);
  const at = (index: number) => offset + Math.min(index, content.length);
  const rangeOf = (start: number, end: number) => lines.rangeOf(at(start), at(end));

  const lexer = new LineLexer(source, first);
  const events = new LineParser(lexer, source, contentEnd).parse();

  const hashAt = skipBlanks(source, first);
  if (source[hashAt] === '#') {
    // Meant as a comment, but php-fpm (PHP ≥ 7.0) reads it as ini and refuses the line.
    const refusal = events.map((e) => hashLineRefusal(e, section)).find((r) => r !== undefined);
    const text = source.slice(hashAt + 1, contentEnd);
    result.comments.push({ marker: '#', text, range: rangeOf(hashAt, contentEnd), ...(refusal ? { refusal } : {}) });
    return section;
  }

  for (const comment of lexer.comments) {
    result.comments.push({ marker: ';', text: source.slice(comment.start + 1, comment.end), range: rangeOf(comment.start, comment.end) });
  }
  let lineHasError = false;
  for (const event of events) {
    if (event.kind === 'section') {
      const nameRange = rangeOf(event.nameStart, event.nameEnd);
      section = { name: event.name, nameRange, headerRange: rangeOf(event.start, event.end), entries: [] };
      result.sections.push(section);
    } else if (event.kind === 'entry') {
      const entry: FpmEntry = {
        key: source.slice(event.keyStart, event.keyEnd),
        keyRange: rangeOf(event.keyStart, event.keyEnd),
        ...(event.arrayKey ? { arrayKey: event.arrayKey } : {}),
        value: event.value,
        rawValue: source.slice(event.valueStart, event.valueEnd),
        valueRange: rangeOf(event.valueStart, event.valueEnd),
        ...(event.computed ? { computed: event.computed } : {}),
        range: rangeOf(event.keyStart, event.end),
        section,
      };
      (section ? section.entries : result.preamble).push(entry);
    } else if (!lineHasError) {
      // php-fpm stops at a line's first error; later ones on the same line would only be noise.
      lineHasError = true;
      const error: FpmSyntaxError = { message: event.message, range: rangeOf(event.start, event.end) };
      if (event.hint) error.hint = event.hint;
      result.errors.push(error);
    }
  }
  return section;
}

/** What php-fpm says about a `#` line, from the first thing it finds on it. A key starting with `#` is never valid. */
function hashLineRefusal(event: LineEvent, section: FpmSection | null): string | undefined {
  if (event.kind === 'error') return event.message;
  if (event.kind !== 'entry') return undefined;
  if (!event.arrayKey) return `unknown entry '${event.name}'`;
  const { base, name } = event.arrayKey;
  const keyProblem = arrayKeyProblem(base, name);
  if (keyProblem) return keyProblem;
  if (section === null || sectionKind(section.name) === 'global') return 'Array are not allowed in the global section';
  return `unknown directive '${base}'`;
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function skipBlanks(source: string, from: number): number {
  let i = from;
  while (isBlank(source[i])) i++;
  return i;
}

/** The end of `source[0, end)` without trailing blanks and line breaks. */
function trimmedEnd(source: string, end: number): number {
  let i = end;
  while (i > 0 && (isBlank(source[i - 1]) || source[i - 1] === '\r' || source[i - 1] === '\n')) i--;
  return i;
}

// ---------------------------------------------------------------------------------------------------------------
// Scanner: PHP 8.2's ini scanner in normal mode, over one line

type TokenType =
  | 'TC_SECTION' | 'TC_RAW' | 'TC_CONSTANT' | 'TC_NUMBER' | 'TC_STRING' | 'TC_WHITESPACE' | 'TC_LABEL' | 'TC_OFFSET'
  | 'TC_DOLLAR_CURLY' | 'TC_VARNAME' | 'TC_QUOTED_STRING' | 'BOOL_TRUE' | 'BOOL_FALSE' | 'NULL_NULL' | 'END_OF_LINE'
  /** The scanner's `return 0`: the end of the input, or a character no rule takes. bison calls it "end of file". */
  | 'END'
  /** A one-character token, written as bison names it: `'='`. */
  | `'${string}'`;

interface Token {
  type: TokenType;
  /** Decoded text: a label without its spaces, a quoted string with its escapes resolved, `1` or an empty string for the reserved words. */
  value: string;
  /** The whole lexeme, blanks the rule eats included. */
  start: number;
  end: number;
  /** The part that means something: no eaten blanks, no quotes around a raw string. */
  textStart: number;
  textEnd: number;
}

type State = 'INITIAL' | 'SECTION' | 'OFFSET' | 'VALUE' | 'DOUBLE_QUOTES' | 'VARNAME';

/** Characters that end a label. In 8.2 `]` belongs to labels; `[` starts an offset. */
const LABEL_STOP = new Set('=\n\r\t;&|^$~(){}!"[');
/** Characters returned on their own where a statement starts. */
const TOKEN_CHARS = new Set(':,.[]"\'()&|^+-/*=%$!~<>?@{}');
const OPERATOR_CHARS = new Set('&|^~()!');
/** Characters that end an unquoted value (`$` is handled apart: only `${` ends one). */
const VALUE_STOP = new Set('= \t\n\r;&|^~()!"\'');
/** Characters that end a section name or an offset (`\` escapes the next one, `$` is handled apart). */
const SECTION_VALUE_STOP = new Set('\n\r;"\']');

const RESERVED_WORD_RULES: readonly { type: TokenType; words: readonly string[]; value: string }[] = [
  { type: 'BOOL_TRUE', words: ['true', 'on', 'yes'], value: '1' },
  { type: 'BOOL_FALSE', words: ['false', 'off', 'no', 'none'], value: '' },
  { type: 'NULL_NULL', words: ['null'], value: '' },
];

/** One scanner rule's match at the current position. The longest wins; on a tie, the earlier rule. */
interface Candidate {
  length: number;
  produce: () => Token | null;
}

const NO_MATCH: Candidate = { length: 0, produce: () => null };

/** Turns one line (ending with `\n`) into tokens, with the scanner's states and rules. */
class LineLexer {
  /** `; comment` spans, from the `;` to the line break. */
  readonly comments: { start: number; end: number }[] = [];
  private state: State = 'INITIAL';
  private readonly stack: State[] = [];
  private ended = false;

  constructor(private readonly src: string, private pos: number) {}

  next(): Token {
    while (!this.ended) {
      const token = this.scan();
      if (!token) continue;
      if (token.type === 'END') this.ended = true;
      return token;
    }
    return this.end();
  }

  /** Applies one rule; null when it only ate blanks. */
  private scan(): Token | null {
    const i = this.pos;
    if (i >= this.src.length) {
      return this.state === 'VALUE' ? this.enter('INITIAL', this.token('END_OF_LINE', i, i)) : this.end();
    }
    switch (this.state) {
      case 'INITIAL': return this.pick(this.initialRules(i));
      case 'VALUE': return this.pick(this.valueRules(i));
      case 'SECTION': return this.pick(this.bracketRules(i, this.sectionClose(i)));
      case 'OFFSET': return this.pick(this.bracketRules(i, this.offsetClose(i)));
      case 'DOUBLE_QUOTES': return this.doubleQuoted(i);
      case 'VARNAME': return this.variableName(i);
    }
  }

  private pick(candidates: Candidate[]): Token | null {
    let best: Candidate | undefined;
    for (const candidate of candidates) {
      if (candidate.length > 0 && (!best || candidate.length > best.length)) best = candidate;
    }
    return best ? best.produce() : this.end();
  }

  private initialRules(i: number): Candidate[] {
    const s = this.src;
    const label = this.labelLength(i);
    const offset = label > 0 && s[i + label] === '[' ? label + 1 + this.blanksLength(i + label + 1) : 0;
    const blanks = this.blanksLength(i);
    const assignment = s[i + blanks] === '=' ? blanks + 1 + this.blanksLength(i + blanks + 1) : 0;
    const endOfLine = this.endOfLineLength(i);
    return [
      { length: s[i] === '[' ? 1 : 0, produce: () => this.enter('SECTION', this.take('TC_SECTION', i, 1)) },
      { length: offset, produce: () => this.enter('OFFSET', this.trimmed('TC_OFFSET', i, offset, '[')) },
      ...this.reservedWordRules(i),
      { length: label, produce: () => this.trimmed('TC_LABEL', i, label) },
      { length: assignment, produce: () => this.enter('VALUE', this.take(`'='`, i, assignment, blanks, blanks + 1)) },
      { length: TOKEN_CHARS.has(s[i]) ? 1 : 0, produce: () => this.take(`'${s[i]}'`, i, 1) },
      { length: blanks, produce: () => this.skip(blanks) },
      { length: endOfLine, produce: () => this.take('END_OF_LINE', i, endOfLine) },
      this.commentRule(i),
    ];
  }

  private valueRules(i: number): Candidate[] {
    const s = this.src;
    const operator = OPERATOR_CHARS.has(s[i]) ? 1 + this.blanksLength(i + 1) : 0;
    const characters = this.valueCharactersLength(i);
    const whitespace = this.blanksLength(i);
    const endOfLine = this.endOfLineLength(i);
    return [
      this.rawStringRule(i),
      this.variableStartRule(i),
      ...this.reservedWordRules(i),
      { length: endOfLine, produce: () => this.enter('INITIAL', this.take('END_OF_LINE', i, endOfLine)) },
      this.constantRule(i),
      this.numberRule(i),
      { length: operator, produce: () => this.take(`'${s[i]}'`, i, operator, 0, 1) },
      // `=` inside a value ends it; the `=` is then read again where a statement starts, and refused there.
      { length: s[i] === '=' ? 1 : 0, produce: () => this.enter('INITIAL', this.token('END_OF_LINE', i, i)) },
      { length: characters, produce: () => this.take('TC_STRING', i, characters) },
      this.openQuoteRule(i),
      { length: whitespace, produce: () => this.take('TC_WHITESPACE', i, whitespace) },
      this.commentRule(i),
      // Any other character (the first `'` of `''`) ends the value and is eaten.
      { length: 1, produce: () => this.enter('INITIAL', this.take('END_OF_LINE', i, 1)) },
    ];
  }

  /** Between the brackets of `[section]` and of `name[offset]`; `close` is the closing rule of either. */
  private bracketRules(i: number, close: Candidate): Candidate[] {
    const characters = this.sectionCharactersLength(i);
    const whitespace = this.blanksLength(i);
    return [
      this.rawStringRule(i),
      close,
      this.variableStartRule(i),
      this.constantRule(i),
      this.numberRule(i),
      // Characters running past the line's end (an escaped line break) make the scanner give up.
      { length: characters, produce: () => (i + characters >= this.src.length ? this.end() : this.take('TC_STRING', i, characters)) },
      this.openQuoteRule(i),
      { length: whitespace, produce: () => this.take('TC_WHITESPACE', i, whitespace) },
    ];
  }

  /** `]` of a section header, with the blanks and the line break after it. */
  private sectionClose(i: number): Candidate {
    if (this.src[i] !== ']') return NO_MATCH;
    const blanks = this.blanksLength(i + 1);
    const length = 1 + blanks + this.newlineLength(i + 1 + blanks);
    return { length, produce: () => this.enter('INITIAL', this.take(`']'`, i, length, 0, 1)) };
  }

  /** `]` of an offset, with the blanks before it. */
  private offsetClose(i: number): Candidate {
    const blanks = this.blanksLength(i);
    if (this.src[i + blanks] !== ']') return NO_MATCH;
    return { length: blanks + 1, produce: () => this.enter('INITIAL', this.take(`']'`, i, blanks + 1, blanks, blanks + 1)) };
  }

  private doubleQuoted(i: number): Token {
    const s = this.src;
    if (s[i] === '"') return this.leave(this.take(`'"'`, i, 1 + this.blanksLength(i + 1), 0, 1));
    if (s[i] === '$' && s[i + 1] === '{') return this.push('VARNAME', this.take('TC_DOLLAR_CURLY', i, 2));
    // Up to the closing quote or a `${`. A backslash escapes the next character, except that `\"` right before
    // the line break closes the string (Windows paths: "C:\dir\").
    let j = i;
    while (j < s.length) {
      const c = s[j++];
      if (c === '"' || (c === '$' && s[j] === '{')) {
        j--;
        break;
      }
      if (c === '\\' && j < s.length) {
        const escaped = s[j++];
        if (escaped === '"' && (j >= s.length || s[j] === '\n' || s[j] === '\r')) {
          j--;
          break;
        }
      }
    }
    const token = this.take('TC_QUOTED_STRING', i, j - i);
    token.value = unescapeDoubleQuoted(token.value);
    return token;
  }

  private variableName(i: number): Token {
    const label = this.labelLength(i);
    if (label > 0) return this.trimmed('TC_VARNAME', i, label);
    if (this.src[i] === '}') return this.leave(this.take(`'}'`, i, 1));
    return this.end();
  }

  // ---- rules found in several states

  /** `yes`/`on`/`true`, `no`/`off`/`false`/`none`, `null`, any case, and the blanks after them. */
  private reservedWordRules(i: number): Candidate[] {
    return RESERVED_WORD_RULES.map((rule) => {
      const word = Math.max(0, ...rule.words.filter((w) => this.src.slice(i, i + w.length).toLowerCase() === w).map((w) => w.length));
      if (word === 0) return NO_MATCH;
      const length = word + this.blanksLength(i + word);
      return { length, produce: () => ({ ...this.take(rule.type, i, length, 0, word), value: rule.value }) };
    });
  }

  /** `'...'`, raw text. With no closing quote on the line the scanner reads past the line's end and gives up. */
  private rawStringRule(i: number): Candidate {
    if (this.src[i] !== "'" || this.src[i + 1] === "'") return NO_MATCH;
    const close = this.src.indexOf("'", i + 1);
    if (close === -1) return { length: this.src.length + 1 - i, produce: () => this.end() };
    return { length: close + 1 - i, produce: () => this.take('TC_RAW', i, close + 1 - i, 1, close - i) };
  }

  private variableStartRule(i: number): Candidate {
    if (this.src[i] !== '$' || this.src[i + 1] !== '{') return NO_MATCH;
    return { length: 2, produce: () => this.push('VARNAME', this.take('TC_DOLLAR_CURLY', i, 2)) };
  }

  private constantRule(i: number): Candidate {
    let j = i;
    if (isLetterOrUnderscore(this.src[j])) {
      j++;
      while (isLetterOrUnderscore(this.src[j]) || isDigit(this.src[j])) j++;
    }
    const length = j - i;
    return { length, produce: () => this.take('TC_CONSTANT', i, length) };
  }

  /** `-12`, `1.5`, `.5`, `3.` */
  private numberRule(i: number): Candidate {
    const digitsFrom = (k: number) => {
      let j = k;
      while (isDigit(this.src[j])) j++;
      return j - k;
    };
    const sign = this.src[i] === '-' ? 1 : 0;
    const integer = digitsFrom(i + sign) > 0 ? sign + digitsFrom(i + sign) : 0;
    const whole = digitsFrom(i);
    const fraction = this.src[i + whole] === '.' ? digitsFrom(i + whole + 1) : -1;
    const decimal = fraction > 0 || (fraction === 0 && whole > 0) ? whole + 1 + fraction : 0;
    const length = Math.max(integer, decimal);
    return { length, produce: () => this.take('TC_NUMBER', i, length) };
  }

  /** `"`, after blanks that are dropped: a double-quoted string starts. */
  private openQuoteRule(i: number): Candidate {
    const blanks = this.blanksLength(i);
    if (this.src[i + blanks] !== '"') return NO_MATCH;
    return { length: blanks + 1, produce: () => this.push('DOUBLE_QUOTES', this.take(`'"'`, i, blanks + 1, blanks, blanks + 1)) };
  }

  /** `; ...` up to and with the line break, blanks before it included; recorded as a comment. */
  private commentRule(i: number): Candidate {
    const semicolon = i + this.blanksLength(i);
    if (this.src[semicolon] !== ';') return NO_MATCH;
    let end = semicolon;
    while (end < this.src.length && this.src[end] !== '\n' && this.src[end] !== '\r') end++;
    const length = end + this.newlineLength(end) - i;
    return {
      length,
      produce: () => {
        this.comments.push({ start: semicolon, end });
        return this.enter('INITIAL', this.take('END_OF_LINE', i, length));
      },
    };
  }

  // ---- character classes

  private labelLength(i: number): number {
    let j = i;
    while (j < this.src.length && !LABEL_STOP.has(this.src[j])) j++;
    return j - i;
  }

  private blanksLength(i: number): number {
    return skipBlanks(this.src, i) - i;
  }

  private newlineLength(i: number): number {
    if (this.src[i] === '\r') return this.src[i + 1] === '\n' ? 2 : 1;
    return this.src[i] === '\n' ? 1 : 0;
  }

  private endOfLineLength(i: number): number {
    const blanks = this.blanksLength(i);
    const newline = this.newlineLength(i + blanks);
    return newline ? blanks + newline : 0;
  }

  /** Unquoted value characters; a `$` is one unless it starts `${`. */
  private valueCharactersLength(i: number): number {
    const s = this.src;
    let j = i;
    while (j < s.length) {
      if (s[j] === '$') {
        if (j + 1 >= s.length || s[j + 1] === '{') break;
        j += s[j + 1] === '\\' && j + 2 < s.length ? 3 : 2;
      } else if (VALUE_STOP.has(s[j])) {
        break;
      } else {
        j++;
      }
    }
    return Math.min(j, s.length) - i;
  }

  /** Section name or offset characters; `\` takes the next character with it, `$` too unless it starts `${`. */
  private sectionCharactersLength(i: number): number {
    const s = this.src;
    let j = i;
    while (j < s.length) {
      if (s[j] === '\\') {
        j += 2;
      } else if (s[j] === '$') {
        if (s[j + 1] === '{') break;
        j += 2;
      } else if (SECTION_VALUE_STOP.has(s[j])) {
        break;
      } else {
        j++;
      }
    }
    return j - i;
  }

  // ---- actions

  private token(type: TokenType, start: number, end: number): Token {
    return { type, value: '', start, end, textStart: start, textEnd: end };
  }

  /** Consumes `length` characters; the meaningful text is `[start + from, start + to)`. */
  private take(type: TokenType, start: number, length: number, from = 0, to = length): Token {
    this.pos = start + length;
    return { type, value: this.src.slice(start + from, start + to), start, end: start + length, textStart: start + from, textEnd: start + to };
  }

  /** A label-like token without leading blanks and without trailing blanks, line breaks or `alsoTrim`. */
  private trimmed(type: TokenType, start: number, length: number, alsoTrim = ''): Token {
    let from = start;
    let to = start + length;
    while (from < to && isBlank(this.src[from])) from++;
    while (to > from && (isBlank(this.src[to - 1]) || '\r\n'.includes(this.src[to - 1]) || this.src[to - 1] === alsoTrim)) to--;
    return this.take(type, start, length, from - start, to - start);
  }

  private skip(length: number): null {
    this.pos += length;
    return null;
  }

  private end(): Token {
    return this.token('END', this.pos, this.pos);
  }

  private enter(state: State, token: Token): Token {
    this.state = state;
    return token;
  }

  private push(state: State, token: Token): Token {
    this.stack.push(this.state);
    this.state = state;
    return token;
  }

  private leave(token: Token): Token {
    this.state = this.stack.pop() ?? 'INITIAL';
    return token;
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isLetterOrUnderscore(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}

/** `\"`, `\\` and `\$` lose their backslash; any other backslash stays. */
function unescapeDoubleQuoted(raw: string): string {
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    if (raw[k] !== '\\') {
      out += raw[k];
    } else if (k + 1 >= raw.length) {
      out += '\\';
    } else {
      const escaped = raw[++k];
      out += escaped === '"' || escaped === '\\' || escaped === '$' ? escaped : '\\' + escaped;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser: the ini grammar, telling what php-fpm would be told, in the same order

type LineEvent =
  | { kind: 'section'; name: string; start: number; end: number; nameStart: number; nameEnd: number }
  | {
    kind: 'entry';
    computed?: FpmComputed;
    /** The key as php-fpm receives it: the label, or the part before `[` of an offset. */
    name: string;
    keyStart: number;
    keyEnd: number;
    arrayKey?: { base: string; name: string };
    value: string;
    valueStart: number;
    valueEnd: number;
    end: number;
  }
  | { kind: 'error'; message: string; hint?: string; start: number; end: number };

/** A value's decoded text, and what php-fpm computes in it as it loads (see `FpmEntry.computed`). */
interface ParsedValue {
  text: string;
  computed?: FpmComputed;
}

const EMPTY_VALUE: ParsedValue = { text: '' };

/** PHP's constants are case-sensitive and, in practice, upper case: `E_ALL`, `PHP_INT_MAX`. */
function mayNameConstant(word: string): boolean {
  return /^[A-Z_][A-Z0-9_]*$/.test(word) && /[A-Z]/.test(word);
}

/** Unwinds to the line's statement loop, as bison stops at a syntax error. */
class SyntaxStop {
  constructor(readonly event: LineEvent) {}
}

const STRING_PIECES = new Set<TokenType>(['TC_CONSTANT', 'TC_RAW', 'TC_NUMBER', 'TC_STRING', 'TC_WHITESPACE', 'TC_DOLLAR_CURLY', `'"'`]);
const BINARY_OPERATORS = new Set<TokenType>([`'|'`, `'&'`, `'^'`]);
const PREFIX_OPERATORS = new Set<TokenType>([`'~'`, `'!'`, `'('`]);
const RESERVED_WORDS = new Set<TokenType>(['BOOL_TRUE', 'BOOL_FALSE', 'NULL_NULL']);

/** bison's YYMAXDEPTH. */
const BISON_STACK_LIMIT = 10_000;
/** What bison's stack holds when a `key = ` value starts (an offset's `[key]` adds two); measured on php-fpm 8.2. */
const LABEL_STACK_BASE = 6;

/** Plain-language explanations added to the scanner's terse messages. */
const HINTS = {
  sectionClose: 'a section header needs its closing `]` on the same line',
  offsetClose: '`name[key]` needs its closing `]` on the same line',
  offsetAssignment: '`name[key]` must be followed by `= value`',
  indentedSection: 'php-fpm reads an indented `[name]` as an array key: remove the blanks before `[`',
  doubleQuote: 'a quoted value needs its closing `"` on the same line (php-fpm reads one line at a time)',
  singleQuote: "`'` starts raw text that needs its closing `'` on the same line",
  variable: '`${NAME}` needs a name and a closing `}`',
  equalsInValue: 'a value cannot contain `=` unless it is quoted: `key = "a=b"`',
  noKey: 'the line has no key before `=`',
  reservedWord: '`yes`, `no`, `on`, `off`, `true`, `false`, `none` and `null` are reserved words: they cannot be keys, '
    + 'and a value that starts with one and goes on must be quoted',
  operator: '`&`, `|`, `^`, `~`, `!`, `(` and `)` are operators in php-fpm values: quote the value, `key = "…"`',
  noEquals: 'the line has no `=`: php-fpm expects `key = value`',
  lineStart: 'a line starts with a key, a `[section]` header or a `;` comment',
  tooDeep: 'PHP\'s ini parser gives up on operators nested this deeply',
  emptySingleQuotes: "`''` is not an empty value: php-fpm ends the value at the first `'` and reads the second as a "
    + 'key; write `""`',
  tabInKey: 'a key cannot contain a tab',
  characterInKey: (c: string) => `\`${c}\` cannot appear in a key`,
};

class LineParser {
  private current: Token;
  private previous: Token | undefined;
  private readonly events: LineEvent[] = [];
  private statementStart = 0;

  constructor(private readonly lexer: LineLexer, private readonly source: string, private readonly contentEnd: number) {
    this.current = lexer.next();
  }

  parse(): LineEvent[] {
    try {
      this.statements();
    } catch (stop) {
      if (!(stop instanceof SyntaxStop)) throw stop;
      this.events.push(stop.event);
    }
    return this.events;
  }

  private statements(): void {
    for (;;) {
      const token = this.current;
      this.statementStart = token.textStart;
      switch (token.type) {
        case 'END': return;
        case 'END_OF_LINE': this.advance(); break;
        case 'TC_SECTION': this.section(); break;
        case 'TC_LABEL': this.entry(); break;
        case 'TC_OFFSET': this.arrayEntry(); break;
        default: throw this.unexpected(token, [], this.statementHint(token));
      }
    }
  }

  private section(): void {
    const open = this.advance();
    const name = this.current.type === `']'` ? EMPTY_VALUE : this.pieces();
    const nameEnd = this.current.start;
    const close = this.expect(`']'`, open.start, HINTS.sectionClose);
    this.events.push({ kind: 'section', name: name.text, start: open.start, end: close.textEnd, nameStart: open.end, nameEnd });
  }

  private entry(): void {
    const label = this.advance();
    if (this.current.type === `'='`) {
      this.value(label.value, label.textStart, label.textEnd, undefined, LABEL_STACK_BASE);
      return;
    }
    // bison reduces the lone label and php-fpm receives a NULL value; what follows is looked at afterwards.
    // Only a tab can separate the label from a word that follows it.
    const next = this.current;
    const hint = label.value.startsWith("'") && this.source[label.textStart - 1] === "'" ? HINTS.emptySingleQuotes
      : next.type === 'END_OF_LINE' || next.type === 'END' ? HINTS.noEquals
        : next.type.startsWith("'") ? HINTS.characterInKey(next.value) : HINTS.tabInKey;
    this.events.push({ kind: 'error', message: NULL_VALUE_MESSAGE, hint, start: label.textStart, end: label.textEnd });
  }

  private arrayEntry(): void {
    const offset = this.advance();
    const key = this.current.type === `']'` ? EMPTY_VALUE : this.pieces();
    const close = this.expect(`']'`, offset.textStart, HINTS.offsetClose);
    if (this.current.type !== `'='`) {
      throw this.unexpected(this.current, [`'='`], offset.value === '' ? HINTS.indentedSection : HINTS.offsetAssignment);
    }
    this.value(offset.value, offset.textStart, close.textEnd, { base: offset.value, name: key.text }, LABEL_STACK_BASE + 2);
  }

  /** `= value` after a key, and the entry it makes. */
  private value(name: string, keyStart: number, keyEnd: number, arrayKey: { base: string; name: string } | undefined, stackBase: number): void {
    const equals = this.advance();
    const valueStart = equals.end;
    const value = this.stringOrValue(stackBase);
    const valueEnd = value === EMPTY_VALUE ? valueStart : Math.max(valueStart, trimmedEnd(this.source, this.previous?.end ?? valueStart));
    this.events.push({
      kind: 'entry', name, keyStart, keyEnd, ...(arrayKey ? { arrayKey } : {}),
      // An expression's result depends on PHP's constants and environment: keep it as written.
      value: value.computed === 'expression' ? this.source.slice(valueStart, valueEnd) : value.text,
      ...(value.computed ? { computed: value.computed } : {}),
      valueStart, valueEnd,
      end: valueEnd > valueStart ? valueEnd : equals.textEnd,
    });
  }

  private stringOrValue(stackBase: number): ParsedValue {
    const token = this.current;
    if (RESERVED_WORDS.has(token.type)) {
      this.advance();
      return { text: token.value };
    }
    if (token.type === 'END_OF_LINE') {
      this.advance();
      return EMPTY_VALUE;
    }
    return this.expression(stackBase);
  }

  /**
   * `a | b & c`, `~a`, `!a`, `(a)`: one precedence level, left-associative, as in the grammar. Iterative, with
   * bison's limit: once its stack would pass 10 000 symbols, the ini parser gives up ("memory exhausted").
   */
  private expression(stackBase: number): ParsedValue {
    const pending: Token[] = []; // `~`, `!` and `(` not closed yet
    let first: ParsedValue | undefined;
    let isExpression = false;
    for (;;) {
      // An operand: prefixes, then pieces; after it, a binary operator or the closing of open parentheses.
      while (PREFIX_OPERATORS.has(this.current.type)) {
        if (stackBase + pending.length + 1 > BISON_STACK_LIMIT) throw this.exhausted(this.current);
        pending.push(this.advance());
        isExpression = true;
      }
      if (!STRING_PIECES.has(this.current.type)) throw this.unexpected(this.current, [], this.operandHint(this.current));
      const operand = this.pieces();
      first ??= operand;
      for (;;) {
        while (pending.length > 0 && pending[pending.length - 1].type !== `'('`) pending.pop();
        if (BINARY_OPERATORS.has(this.current.type)) break;
        const paren = pending.pop();
        if (!paren) return isExpression ? { text: first.text, computed: 'expression' } : first;
        this.expect(`')'`, paren.start, HINTS.operator, [`'^'`, `'|'`, `'&'`, `')'`]);
      }
      this.advance();
      isExpression = true;
    }
  }

  /** Pieces glued together: words, numbers, blanks, `'raw'`, `"quoted"` and `${VAR}`. */
  private pieces(): ParsedValue {
    let text = '';
    let computed: FpmComputed | undefined;
    do {
      const token = this.current;
      if (token.type === 'TC_DOLLAR_CURLY') {
        text += this.variable();
        computed ??= 'environment';
      } else if (token.type === `'"'`) {
        const quoted = this.quoted();
        text += quoted.text;
        computed ??= quoted.computed;
      } else {
        if (token.type === 'TC_CONSTANT' && mayNameConstant(token.value)) computed ??= 'constant';
        text += this.advance().value;
      }
    } while (STRING_PIECES.has(this.current.type));
    return computed ? { text, computed } : { text };
  }

  private quoted(): ParsedValue {
    const open = this.advance();
    let text = '';
    let computed: FpmComputed | undefined;
    for (;;) {
      if (this.current.type === 'TC_DOLLAR_CURLY') {
        text += this.variable();
        computed = 'environment';
      } else if (this.current.type === 'TC_QUOTED_STRING') {
        text += this.advance().value;
      } else {
        break;
      }
    }
    this.expect(`'"'`, open.textStart, HINTS.doubleQuote, ['TC_DOLLAR_CURLY', 'TC_QUOTED_STRING', `'"'`]);
    return computed ? { text, computed } : { text };
  }

  /** `${NAME}` stays as written: its value is php-fpm's environment when it starts. */
  private variable(): string {
    const open = this.advance();
    const name = this.expect('TC_VARNAME', open.start, HINTS.variable);
    this.expect(`'}'`, open.start, HINTS.variable);
    return '${' + name.value + '}';
  }

  // ---- helpers

  private advance(): Token {
    this.previous = this.current;
    this.current = this.lexer.next();
    return this.previous;
  }

  private expect(type: TokenType, openedAt: number, hint: string, expected: TokenType[] = [type]): Token {
    if (this.current.type !== type) throw this.unexpected(this.current, expected, hint, openedAt);
    return this.advance();
  }

  private exhausted(token: Token): SyntaxStop {
    const end = Math.max(this.contentEnd, token.textEnd);
    return new SyntaxStop({ kind: 'error', message: 'memory exhausted', hint: HINTS.tooDeep, start: token.textStart, end });
  }

  /** bison's `syntax error, unexpected X[, expecting Y or Z]`, pointing at X, or at what was left open. */
  private unexpected(token: Token, expected: TokenType[], hint: string | undefined, openedAt = this.statementStart): SyntaxStop {
    const name = (type: TokenType) => (type === 'END' ? 'end of file' : type);
    let message = `syntax error, unexpected ${name(token.type)}`;
    if (expected.length > 0) message += `, expecting ${expected.map(name).join(' or ')}`;
    // The scanner gave up before the end of the line: on a `'` with no closing quote, or a character it has no rule for.
    const stoppedEarly = token.type === 'END' && token.start < this.contentEnd;
    let start = token.textStart;
    let end = Math.max(token.textEnd, token.textStart + 1);
    if (token.type === 'END' || token.type === 'END_OF_LINE') {
      start = stoppedEarly ? token.start : Math.min(openedAt, this.contentEnd);
      end = Math.max(this.contentEnd, start);
    }
    const event: LineEvent = { kind: 'error', message, start, end };
    const explanation = stoppedEarly && this.source[token.start] === "'" ? HINTS.singleQuote : hint;
    if (explanation) event.hint = explanation;
    return new SyntaxStop(event);
  }

  private statementHint(token: Token): string | undefined {
    if (RESERVED_WORDS.has(token.type)) return HINTS.reservedWord;
    if (token.type === `'='`) {
      // A value's `=` ends the value with an empty END_OF_LINE right before it.
      const before = this.previous;
      const afterValue = before?.type === 'END_OF_LINE' && before.start === before.end && before.start === token.textStart;
      return afterValue ? HINTS.equalsInValue : HINTS.noKey;
    }
    if (STRING_PIECES.has(token.type) && RESERVED_WORDS.has(this.previous?.type ?? 'END')) return HINTS.reservedWord;
    if (OPERATOR_CHARS.has(token.value)) return HINTS.operator;
    return token.type.startsWith("'") ? HINTS.lineStart : undefined;
  }

  private operandHint(token: Token): string | undefined {
    if (RESERVED_WORDS.has(token.type)) return HINTS.reservedWord;
    if (OPERATOR_CHARS.has(token.value) || token.type === 'END_OF_LINE') return HINTS.operator;
    return undefined;
  }
}
