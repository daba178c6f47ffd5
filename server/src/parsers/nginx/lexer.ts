import { isBetweenCrAndLf, range as makeRange, ownString, type Position, type Range } from '../../core/text';
import type { NginxArg, NginxComment } from './ast';
import { ParsedComment } from './span';

/**
 * nginx's tokenizer, ngx_conf_read_token() in src/core/ngx_conf_file.c, character for character, plus the
 * OpenResty rules for raw `*_by_lua_block` bodies. It reports the errors that depend on characters alone;
 * those that depend on the statement (`unexpected ";"` with no name, …) are the parser's.
 */

/**
 * An argument as read: its place kept as numbers and its `range` built when asked. A big config holds hundreds of
 * thousands of arguments for as long as it is open, and few of their ranges are ever asked for.
 */
export abstract class NginxWord implements NginxArg {
  abstract readonly value: string;
  abstract readonly raw: string;
  abstract readonly quote: '"' | "'" | null;
  abstract readonly range: Range;
  /** The same word `lines` lines further down (up, when negative). */
  abstract shifted(lines: number): NginxWord;
}

/** Most arguments: bare, on one line, their value as written. Three fields where a word in general takes seven. */
class BareWord extends NginxWord {
  constructor(
    readonly value: string,
    private readonly line: number,
    private readonly character: number,
  ) {
    super();
  }

  get raw(): string {
    return this.value;
  }

  get quote(): null {
    return null;
  }

  get range(): Range {
    return makeRange(this.line, this.character, this.line, this.character + this.value.length);
  }

  shifted(lines: number): BareWord {
    return new BareWord(this.value, this.line + lines, this.character);
  }
}

/** A bare word at `line` and `character`, as `takeWord` makes it: for a parse that keeps only a word's value and place. */
export function bareWordAt(value: string, line: number, character: number): NginxWord {
  return new BareWord(value, line, character);
}

/** A quoted word, one with escapes, or one that runs over lines. */
class WrittenWord extends NginxWord {
  constructor(
    readonly value: string,
    readonly raw: string,
    readonly quote: '"' | "'" | null,
    private readonly startLine: number,
    private readonly startCharacter: number,
    private readonly endLine: number,
    private readonly endCharacter: number,
  ) {
    super();
  }

  get range(): Range {
    return makeRange(this.startLine, this.startCharacter, this.endLine, this.endCharacter);
  }

  shifted(lines: number): WrittenWord {
    return new WrittenWord(this.value, this.raw, this.quote, this.startLine + lines, this.startCharacter, this.endLine + lines, this.endCharacter);
  }
}

/**
 * What `next()` read. A token is a number and its details stay on the lexer (`wordValue`, `comment`, `markLine`…):
 * a big config has hundreds of thousands of tokens, and an object for each was garbage the parser dropped at once.
 */
export const Token = { Word: 0, Comment: 1, Semicolon: 2, OpenBrace: 3, CloseBrace: 4, EndOfFile: 5 } as const;
export type TokenKind = (typeof Token)[keyof typeof Token];

/** No token ended at this character. */
const NONE = -1;

export interface LuaBody {
  text: string;
  range: Range;
  /** Just past the closing `}`, or the end of the file when it is missing. */
  end: Position;
}

type LexErrorSink = (message: string, range: Range) => void;

/** Where to start reading: an offset, its line, and the offset that line starts at. */
export interface LexStart {
  offset: number;
  line: number;
  lineStart: number;
}

/**
 * The blanks and line breaks of nginx's reader, shared with the re-reading after an edit (reparse.ts). Exported in a
 * list, not one by one: then the loops here compare with the constants themselves, not with a property read of the
 * module's exports on every character.
 */
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
export { CR, LF, SPACE, TAB };
const DOUBLE_QUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const SINGLE_QUOTE = 39;
const CLOSE_PAREN = 41;
const MINUS = 45;
const SEMICOLON = 59;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** A lookup table of ASCII codes: 1 for each of `codes`. */
function asciiTable(codes: number[]): Uint8Array {
  const table = new Uint8Array(0x80);
  for (const code of codes) table[code] = 1;
  return table;
}

/** The characters that end a run of a word's ordinary characters, bare or inside either quote (see `skipPlainRun`). */
function stopTable(...codes: number[]): Uint8Array {
  return asciiTable([BACKSLASH, DOLLAR, LF, CR, ...codes]);
}
const BARE_WORD_STOPS = stopTable(SPACE, TAB, SEMICOLON, OPEN_BRACE);
const DOUBLE_QUOTED_STOPS = stopTable(DOUBLE_QUOTE);
const SINGLE_QUOTED_STOPS = stopTable(SINGLE_QUOTE);

/** The characters that begin something other than a bare word between tokens (see `readPlainWord`). */
const NOT_A_PLAIN_START = asciiTable([SPACE, TAB, LF, CR, SEMICOLON, OPEN_BRACE, CLOSE_BRACE, HASH, DOUBLE_QUOTE, SINGLE_QUOTE, BACKSLASH]);

/** Longest word `readPlainWord` takes: far below nginx's buffer, so no limit can speak inside it. */
const PLAIN_WORD_MAX = 1024;

/** nginx reads a file through a buffer this many bytes long, and one parameter may not fill it (NGX_CONF_BUFFER). */
const CONF_BUFFER_BYTES = 4096;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

/** Bytes this UTF-16 unit takes in UTF-8; a surrogate pair's two units add up to its 4 bytes. */
function utf8Length(c: number): number {
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  return (c & 0xf800) === 0xd800 ? 2 : 3;
}

/** UTF-16 units of the character at `offset`: 2 for a surrogate pair, 0 at the end. */
function charLength(text: string, offset: number): number {
  if (offset >= text.length) return 0;
  const code = text.codePointAt(offset) ?? 0;
  return code > 0xffff ? 2 : 1;
}

/** The longest run of whole characters from `offset` that fits in `bytes` UTF-8 bytes. */
function utf8Prefix(text: string, offset: number, bytes: number): string {
  let end = offset;
  for (let used = 0; end < text.length; end++) {
    used += utf8Length(text.charCodeAt(end));
    if (used > bytes) break;
  }
  return text.slice(offset, end);
}

/** What nginx stores for a word: `\"`, `\'`, `\\`, `\t`, `\r`, `\n` unescaped, any other backslash kept. */
function unescapeNginx(source: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < source.length - 1; i++) {
    if (source.charCodeAt(i) !== BACKSLASH) continue;
    const next = source[i + 1];
    let replacement: string;
    switch (next) {
      case '"':
      case "'":
      case '\\':
        replacement = next;
        break;
      case 't':
        replacement = '\t';
        break;
      case 'r':
        replacement = '\r';
        break;
      case 'n':
        replacement = '\n';
        break;
      default:
        continue;
    }
    out += source.slice(copied, i) + replacement;
    copied = i + 2;
    i++;
  }
  return out + source.slice(copied);
}

export class NginxLexer {
  /** Offset of the next character, and where it stands. */
  private pos = 0;
  private line = 0;
  private lineStart = 0;
  /** UTF-8 offset of `pos`: nginx's buffer limit counts bytes. */
  private byte = 0;

  // ngx_conf_read_token()'s state flags.
  private lastSpace = true;
  private needSpace = false;
  /** After a backslash: the next character is taken as is (nginx's `quoted`). */
  private escaped = false;
  private variable = false;
  /** The open quote's character code, or 0 (nginx's `d_quoted` / `s_quoted`). */
  private quote = 0;
  private inComment = false;

  /** nginx's `start`: where the parameter being read began, in bytes for the buffer limit, and where to report it. */
  private paramByte = 0;
  private paramOffset = 0;
  private paramReportOffset = 0;
  private paramLine = 0;
  private paramLineStart = 0;

  /** The word or comment being read, and whether a backslash was read in it (only then is there anything to unescape). */
  private wordHasBackslash = false;
  private tokenOffset = 0;
  private tokenLine = 0;
  private tokenCharacter = 0;

  /** A `;` or `{` that ended a word: returned on the next call (its place is already in the marks). */
  private pending: TokenKind | typeof NONE = NONE;
  private lastOpenBraceLine = 0;
  private lastOpenBraceCharacter = 0;

  /**
   * The last `Token.Word` as numbers and strings: the parser makes an `NginxWord` of it only for an argument, as a
   * directive's name is kept in the directive itself.
   */
  wordValue = '';
  wordRaw = '';
  wordQuote: NginxWord['quote'] = null;
  wordStartLine = 0;
  wordStartCharacter = 0;
  wordEndLine = 0;
  wordEndCharacter = 0;
  /** The last `Token.Comment`'s comment. */
  comment: NginxComment | null = null;
  /** Where the last punctuation (one character long) or the end of the file is. */
  markLine = 0;
  markCharacter = 0;

  /**
   * Reads `text` from its start, or from `from`: a place where nginx begins a statement (just after `{`, `;` or `}`).
   * `detached`: the words, comments and Lua bodies read are strings of their own, not views into `text`.
   */
  constructor(
    private readonly text: string,
    private readonly report: LexErrorSink,
    from?: LexStart,
    private readonly detached = false,
  ) {
    if (from) {
      this.pos = from.offset;
      this.line = from.line;
      this.lineStart = from.lineStart;
    } else if (text.charCodeAt(0) === 0xfeff) {
      // An editor hides a byte order mark; nginx would take it for the start of the first word.
      this.advance(0xfeff);
    }
    this.beginStatement(this.pos, this.byte);
  }

  /** Offset of the next character to read. */
  get offset(): number {
    return this.pos;
  }

  /** Whether the last word is bare: written as its value, on one line (`bareWordAt` makes it from its value and start). */
  get wordIsBare(): boolean {
    const value = this.wordValue;
    // The last test: an escaped CR ending the word before an LF is not counted in its range.
    return this.wordQuote === null && value === this.wordRaw && this.wordStartLine === this.wordEndLine && this.wordEndCharacter === this.wordStartCharacter + value.length;
  }

  /** The last word read, as an argument. */
  takeWord(): NginxWord {
    const value = this.wordValue;
    if (this.wordIsBare) return new BareWord(value, this.wordStartLine, this.wordStartCharacter);
    return new WrittenWord(value, this.wordRaw, this.wordQuote, this.wordStartLine, this.wordStartCharacter, this.wordEndLine, this.wordEndCharacter);
  }

  next(): TokenKind {
    const pending = this.pending;
    if (pending === NONE) return this.scan();
    this.pending = NONE;
    return pending;
  }

  /**
   * Reads the body of a `*_by_lua_block` whose `{` was the last token, as OpenResty does: braces are counted,
   * skipping Lua strings, long brackets `[[ ]]` / `[=[ ]=]` and comments.
   */
  readLuaBody(): LuaBody {
    const from = this.pos;
    const bodyStart = this.here(from);
    const scan = scanLuaBlock(this.text, from);
    if (scan.error) {
      const { message, offset, length } = scan.error;
      if (offset < from) {
        const line = this.lastOpenBraceLine;
        const character = this.lastOpenBraceCharacter;
        this.report(message, makeRange(line, character, line, character + 1));
      } else {
        this.skipTo(offset);
        const start = this.here(offset);
        this.skipTo(offset + length);
        this.report(message, { start, end: this.here(offset + length) });
      }
    }
    const bodyEnd = scan.close >= 0 ? scan.close : this.text.length;
    this.skipTo(bodyEnd);
    const body: LuaBody = {
      text: this.cut(from, bodyEnd),
      range: { start: bodyStart, end: this.here(bodyEnd) },
      end: this.here(bodyEnd),
    };
    if (scan.close >= 0) {
      this.skipTo(scan.close + 1);
      body.end = this.here(this.pos);
    }
    this.beginStatement(this.pos, this.byte);
    return body;
  }

  private scan(): TokenKind {
    const text = this.text;
    while (this.pos < text.length) {
      this.skipPlainRun();
      if (this.pos >= text.length) break;
      const c = text.charCodeAt(this.pos);
      if (this.lastSpace && !this.inComment && this.readPlainWord(c)) return Token.Word;
      const byte = this.byte;
      // nginx refills its buffer before reading this byte and finds the parameter already fills it.
      if (byte - this.paramByte === CONF_BUFFER_BYTES) this.reportTooLong();
      const token = this.read(c);
      this.advance(c);
      // The same for the later bytes of a multi-byte character.
      const limit = this.paramByte + CONF_BUFFER_BYTES;
      if (limit > byte && limit < this.byte) this.reportTooLong();
      if (token !== NONE) return token;
    }
    return this.endOfFile();
  }

  /**
   * Skips, in one tight loop, the characters for which a step of `read` would change nothing but the position:
   * blanks between tokens, a comment's text, a word's ordinary characters. Most of a config is such runs, and
   * stepping them one call at a time made the lexer the largest cost of an analysis. It stops short of nginx's
   * buffer limit, so `scan` still sees every byte where that limit may speak.
   */
  private skipPlainRun(): void {
    if (this.escaped || this.needSpace) return;
    const text = this.text;
    const length = text.length;
    const safeEnd = this.paramByte + CONF_BUFFER_BYTES - 4;
    let pos = this.pos;
    let byte = this.byte;
    if (this.inComment) {
      // Up to the line break (a lone CR also breaks a line, so it takes the careful path).
      for (let c = text.charCodeAt(pos); pos < length && c !== LF && c !== CR && byte < safeEnd; c = text.charCodeAt(++pos)) byte += utf8Length(c);
    } else if (this.lastSpace) {
      // Between tokens nginx moves `start` along with every blank; the step for the next character sets it again.
      // Blanks and line breaks take a byte each, so `byte` moves with `pos`; the line is kept in locals meanwhile.
      const from = pos;
      let line = this.line;
      let lineStart = this.lineStart;
      for (;;) {
        const c = text.charCodeAt(pos);
        if (c === SPACE || c === TAB) {
          pos++;
        } else if (c === LF || (c === CR && text.charCodeAt(pos + 1) !== LF)) {
          pos++;
          line++;
          lineStart = pos;
        } else if (c === CR) {
          pos += 2;
          line++;
          lineStart = pos;
        } else {
          break;
        }
      }
      this.line = line;
      this.lineStart = lineStart;
      byte += pos - from;
      if (pos > from) {
        this.markParamStartAt(pos - 1, byte - 1, text.charCodeAt(pos - 1));
      }
    } else if (!this.variable) {
      const stops = this.quote === 0 ? BARE_WORD_STOPS : this.quote === DOUBLE_QUOTE ? DOUBLE_QUOTED_STOPS : SINGLE_QUOTED_STOPS;
      for (; pos < length && byte < safeEnd; pos++) {
        const c = text.charCodeAt(pos);
        if (c < 0x80) {
          if (stops[c] === 1) break;
          byte++;
        } else {
          byte += utf8Length(c);
        }
      }
    }
    this.pos = pos;
    this.byte = byte;
  }

  /**
   * Reads, in one loop, a word as most are written: bare, ASCII, short, without backslashes or `${`, ended by a
   * blank, a line break, `;` or `{`, which is left for the next step. This is what `read` would make of it one
   * character at a time, and where it would stop. Anything else (or a parameter already near nginx's buffer limit)
   * returns false, having changed nothing, for `read` to take.
   */
  private readPlainWord(first: number): boolean {
    if (first >= 0x80 || NOT_A_PLAIN_START[first] === 1 || this.byte - this.paramByte >= CONF_BUFFER_BYTES) return false;
    const text = this.text;
    const start = this.pos;
    const limit = Math.min(text.length, start + PLAIN_WORD_MAX);
    let end = start;
    for (; end < limit; end++) {
      const c = text.charCodeAt(end);
      if (c >= 0x80) return false;
      if (BARE_WORD_STOPS[c] !== 1) continue;
      if (c === BACKSLASH) return false;
      if (c !== DOLLAR) break;
      // `${name}`: the `{` does not end the word.
      if (text.charCodeAt(end + 1) === OPEN_BRACE) return false;
    }
    // At the end of the file, or a long word: the careful path.
    if (end === limit) return false;
    this.markParamStart(first);
    const value = this.cut(start, end);
    this.wordValue = value;
    this.wordRaw = value;
    this.wordQuote = null;
    this.wordStartLine = this.wordEndLine = this.line;
    this.wordStartCharacter = start - this.lineStart;
    this.wordEndCharacter = end - this.lineStart;
    this.byte += end - start;
    this.pos = end;
    return true;
  }

  /** One step of ngx_conf_read_token() for the character at `pos`; returns a token when one ends here. */
  private read(c: number): TokenKind | typeof NONE {
    if (this.inComment) {
      if (c !== LF) return NONE;
      this.inComment = false;
      const beforeCr = this.pos - 1 > this.tokenOffset && this.text.charCodeAt(this.pos - 1) === CR;
      const comment = this.commentToken(beforeCr ? this.pos - 1 : this.pos);
      this.markParamStart(c);
      return comment;
    }

    if (this.escaped) {
      this.escaped = false;
      return NONE;
    }

    if (this.needSpace) {
      if (isSpace(c)) {
        this.needSpace = false;
        this.lastSpace = true;
        return NONE;
      }
      if (c === SEMICOLON || c === OPEN_BRACE) return this.punctuation(c);
      // nginx stops at anything else right after a closing quote but `)` (`if ($a = "b")`). To go on, we read it
      // as the start of the next token; a `}` is left to the parser, which reports the unterminated statement.
      if (c !== CLOSE_PAREN && c !== CLOSE_BRACE) this.reportUnexpected();
      this.needSpace = false;
      this.lastSpace = true;
    }

    if (this.lastSpace) {
      this.markParamStart(c);
      if (isSpace(c)) return NONE;
      switch (c) {
        case SEMICOLON:
        case OPEN_BRACE:
        case CLOSE_BRACE:
          return this.punctuation(c);
        case HASH:
          this.inComment = true;
          this.beginToken();
          return NONE;
        case DOUBLE_QUOTE:
        case SINGLE_QUOTE:
          this.quote = c;
          break;
        case BACKSLASH:
          this.escaped = true;
          break;
        case DOLLAR:
          this.variable = true;
          break;
      }
      this.lastSpace = false;
      this.beginToken();
      return NONE;
    }

    // Inside a word. `${name}`: a `{` right after `$` does not end it.
    if (c === OPEN_BRACE && this.variable) return NONE;
    this.variable = false;
    if (c === BACKSLASH) {
      this.escaped = true;
      this.wordHasBackslash = true;
      return NONE;
    }
    if (c === DOLLAR) {
      this.variable = true;
      return NONE;
    }
    if (this.quote !== 0) {
      if (c !== this.quote) return NONE;
      this.needSpace = true;
      return this.wordToken(this.pos + 1, true);
    }
    if (!isSpace(c) && c !== SEMICOLON && c !== OPEN_BRACE) return NONE;
    this.lastSpace = true;
    const word = this.wordToken(this.pos, false);
    if (c === SEMICOLON || c === OPEN_BRACE) this.pending = this.punctuation(c);
    return word;
  }

  /** What is left at the end of the file: a comment or an unterminated word, then the end itself. */
  private endOfFile(): TokenKind {
    const end = this.text.length;
    if (this.inComment) {
      this.inComment = false;
      return this.commentToken(end);
    }
    if (!this.lastSpace && !this.needSpace) {
      this.lastSpace = true;
      return this.wordToken(end, false);
    }
    this.markLine = this.line;
    this.markCharacter = this.characterAt(end);
    return Token.EndOfFile;
  }

  private punctuation(c: typeof SEMICOLON | typeof OPEN_BRACE | typeof CLOSE_BRACE): TokenKind {
    this.markLine = this.line;
    this.markCharacter = this.characterAt(this.pos);
    if (c === OPEN_BRACE) {
      this.lastOpenBraceLine = this.markLine;
      this.lastOpenBraceCharacter = this.markCharacter;
    }
    // A new ngx_conf_read_token() call begins after it.
    this.beginStatement(this.pos + 1, this.byte + 1);
    return c === SEMICOLON ? Token.Semicolon : c === OPEN_BRACE ? Token.OpenBrace : Token.CloseBrace;
  }

  private wordToken(end: number, closedQuote: boolean): TokenKind {
    const raw = this.cut(this.tokenOffset, end);
    const quote = this.quote === DOUBLE_QUOTE ? '"' : this.quote === SINGLE_QUOTE ? "'" : null;
    const inner = quote === null ? raw : raw.slice(1, closedQuote ? -1 : undefined);
    const value = this.wordHasBackslash ? unescapeNginx(inner) : inner;
    this.quote = 0;
    this.wordValue = this.detached && value !== raw ? ownString(value) : value;
    this.wordRaw = raw;
    this.wordQuote = quote;
    this.wordStartLine = this.tokenLine;
    this.wordStartCharacter = this.tokenCharacter;
    this.wordEndLine = this.line;
    this.wordEndCharacter = this.characterAt(end);
    return Token.Word;
  }

  private commentToken(end: number): TokenKind {
    const text = this.cut(this.tokenOffset + 1, end);
    this.comment = new ParsedComment(text, this.tokenLine, this.tokenCharacter, this.line, this.characterAt(end));
    return Token.Comment;
  }

  /** The text between two offsets: a view into `text` where V8 makes one, unless the lexer reads detached. */
  private cut(start: number, end: number): string {
    const part = this.text.slice(start, end);
    return this.detached ? ownString(part) : part;
  }

  private beginToken(): void {
    // A word that starts with a backslash: `read` has just set `escaped` for it.
    this.wordHasBackslash = this.escaped;
    this.tokenOffset = this.pos;
    this.tokenLine = this.line;
    this.tokenCharacter = this.characterAt(this.pos);
  }

  /** What ngx_conf_read_token() sets up on entry. */
  private beginStatement(offset: number, byte: number): void {
    this.lastSpace = true;
    this.needSpace = false;
    this.escaped = false;
    this.variable = false;
    this.quote = 0;
    this.inComment = false;
    this.paramByte = byte;
    this.paramOffset = offset;
    this.paramReportOffset = offset;
    this.paramLine = this.line;
    this.paramLineStart = this.lineStart;
  }

  /** nginx moves `start` to every character read between parameters; after a quote, to the next one. */
  private markParamStart(c: number): void {
    this.markParamStartAt(this.pos, this.byte, c);
  }

  private markParamStartAt(pos: number, byte: number, c: number): void {
    const afterQuote = c === DOUBLE_QUOTE || c === SINGLE_QUOTE ? 1 : 0;
    this.paramByte = byte + afterQuote;
    this.paramOffset = pos + afterQuote;
    this.paramReportOffset = pos;
    this.paramLine = this.line;
    this.paramLineStart = this.lineStart;
  }

  private reportTooLong(): void {
    const message =
      this.quote === DOUBLE_QUOTE
        ? 'too long parameter, probably missing terminating """ character'
        : this.quote === SINGLE_QUOTE
          ? `too long parameter, probably missing terminating "'" character`
          : `too long parameter "${utf8Prefix(this.text, this.paramOffset, 10)}..." started`;
    const character = this.paramReportOffset - this.paramLineStart;
    const length = charLength(this.text, this.paramReportOffset);
    this.report(message, {
      start: { line: this.paramLine, character },
      end: { line: this.paramLine, character: character + length },
    });
  }

  private reportUnexpected(): void {
    const length = charLength(this.text, this.pos);
    const char = this.text.slice(this.pos, this.pos + length);
    this.report(`unexpected "${char}"`, { start: this.here(this.pos), end: this.here(this.pos + length) });
  }

  /** Position of an offset on the current line, up to one past the character at `pos`. */
  private here(offset: number): Position {
    return { line: this.line, character: this.characterAt(offset) };
  }

  /** The column of an offset on the current line, up to one past the character at `pos`. */
  private characterAt(offset: number): number {
    return offset - this.lineStart - (isBetweenCrAndLf(this.text, offset) ? 1 : 0);
  }

  private advance(c: number): void {
    this.byte += utf8Length(c);
    this.pos++;
    if (c === LF || (c === CR && this.text.charCodeAt(this.pos) !== LF)) {
      this.line++;
      this.lineStart = this.pos;
    }
  }

  private skipTo(offset: number): void {
    while (this.pos < offset) this.advance(this.text.charCodeAt(this.pos));
  }
}

interface LuaBlockScan {
  /** Offset of the `}` that closes the block, or -1 when it is missing. */
  close: number;
  /** OpenResty's message, at the characters it points to (`offset` may be the block's own `{`, just before `from`). */
  error?: { message: string; offset: number; length: number };
}

/**
 * Finds the end of a Lua block body starting at `from`, just past its `{`, with the token rules of
 * lua-nginx-module's ngx_http_lua_lex(): `{`, `}`, long brackets `[=*[`, comments `--[=*[` and `--…`,
 * and one-line strings `"…"` / `'…'` with backslash escapes. A quote that does not close on its line is an
 * ordinary character there.
 */
function scanLuaBlock(text: string, from: number): LuaBlockScan {
  let depth = 1;
  /** OpenResty reports a missing `}` at the line of the last `{` it read. */
  let lastOpen = from - 1;
  /** Quotes before these offsets cannot close on their line: a scan from an earlier quote already failed there. */
  const unclosedUntil = { [DOUBLE_QUOTE]: -1, [SINGLE_QUOTE]: -1 };
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE) {
      depth++;
      lastOpen = i++;
    } else if (c === CLOSE_BRACE) {
      if (--depth === 0) return { close: i };
      i++;
    } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const end = i < unclosedUntil[c] ? -1 : luaShortStringEnd(text, i);
      if (end < 0) {
        unclosedUntil[c] = Math.max(unclosedUntil[c], lineEndFrom(text, i));
        i++;
      } else {
        i = end;
      }
    } else if (c === OPEN_BRACKET || (c === MINUS && text.charCodeAt(i + 1) === MINUS)) {
      const bracket = c === OPEN_BRACKET ? i : i + 2;
      const level = longBracketLevel(text, bracket);
      if (level >= 0) {
        const closing = `]${'='.repeat(level)}]`;
        const openingEnd = bracket + level + 2;
        const found = text.indexOf(closing, openingEnd);
        if (found < 0) {
          const message = `Lua code block missing the closing long bracket "${closing}", the inlined Lua code may be too long`;
          return { close: -1, error: { message, offset: i, length: openingEnd - i } };
        }
        i = found + closing.length;
      } else if (c === MINUS) {
        i = lineEndFrom(text, i);
      } else {
        i++;
      }
    } else {
      i++;
    }
  }
  const message = 'unexpected end of file, expecting terminating characters for lua code block';
  return { close: -1, error: { message, offset: lastOpen, length: 1 } };
}

/** `[[` → 0, `[==[` → 2, anything else → -1. */
function longBracketLevel(text: string, offset: number): number {
  if (text.charCodeAt(offset) !== OPEN_BRACKET) return -1;
  let i = offset + 1;
  while (text.charCodeAt(i) === 61 /* = */) i++;
  return text.charCodeAt(i) === OPEN_BRACKET ? i - offset - 1 : -1;
}

/** Offset just past the closing quote of a one-line Lua string, or -1 when the line ends first. */
function luaShortStringEnd(text: string, open: number): number {
  const quote = text.charCodeAt(open);
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === LF) return -1;
    if (c === BACKSLASH) {
      if (i + 1 >= text.length || text.charCodeAt(i + 1) === LF) return -1;
      i++;
    }
  }
  return -1;
}

function lineEndFrom(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  return lf < 0 ? text.length : lf;
}
