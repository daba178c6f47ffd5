import { MAX_RECORDED_ERRORS } from '../../core/listing';
import { comparePositions, range as makeRange, ownString, type Range } from '../../core/text';
import { isRawBlockDirective, nginxDirective } from '../../reference/nginx';
import type {
  NginxArg,
  NginxBlock,
  NginxComment,
  NginxDirective,
  NginxParseOptions,
  NginxParseResult,
  NginxSyntaxError,
  NginxSyntaxErrorKind,
} from './ast';
import { bareWordAt, NginxLexer, Token, type LexStart, type NginxWord } from './lexer';
import { ParsedSpan } from './span';

/**
 * Blocks whose entries nginx hands to a custom handler (`cf->handler`): `text/html html;`, `default 0;` are data,
 * not directives, and an entry that opens a block is an error.
 */
export const DATA_BLOCKS: ReadonlySet<string> = new Set(['types', 'map', 'geo', 'split_clients', 'charset_map']);

/**
 * How many arguments, and up to which character of its line, a directive keeps as values and places only (see
 * `argForm`): ten bits for each place, three places in one small integer.
 */
const PACKED_ARGS = 3;
const PLACE_BITS = 10;
const PLACE_LIMIT = 1 << PLACE_BITS;

/** `nameWidth` of a name that runs over lines (a quoted one): its end is kept in `nameEnds`. */
const SPANS_LINES = -1;
const nameEnds = new WeakMap<ParsedDirective, { line: number; character: number }>();

/**
 * A directive as parsed. Most arguments are bare words on the directive's first line: for those only the value and
 * the place are kept, and the word objects are made when `args` is first asked for. An analysis reads the values
 * (`argValues`) and asks for words only to report or edit: a 68k-line config has 124,000 arguments, and an object
 * for each took about 4 of the 74 ms its analysis took, in making them and in collecting them. A big config keeps
 * one of these per directive as long as it is open, and collecting them costs by their size: each field is kept to
 * what cannot be told from the others.
 */
class ParsedDirective extends ParsedSpan implements NginxDirective {
  declare block?: ParsedBlock;
  declare rawBody?: { text: string; range: Range };

  constructor(
    readonly name: string,
    readonly argValues: readonly string[],
    /** The words; until they are first asked for, where each starts on the first line, `PLACE_BITS` bits each, the first lowest. */
    private argForm: NginxArg[] | number,
    readonly terminator: ';' | '{' | null,
    startLine: number,
    startCharacter: number,
    /** Characters from the name's start to its end on the same line, or `SPANS_LINES`. */
    private readonly nameWidth: number,
    endLine: number,
    endCharacter: number,
  ) {
    super(startLine, startCharacter, endLine, endCharacter);
  }

  /** A directive whose name ends at `nameEndLine` and `nameEndCharacter`. */
  static read(
    name: string, argValues: readonly string[], argForm: NginxArg[] | number, terminator: ';' | '{' | null, startLine: number, startCharacter: number,
    nameEndLine: number, nameEndCharacter: number, endLine: number, endCharacter: number,
  ): ParsedDirective {
    const sameLine = nameEndLine === startLine;
    const directive = new ParsedDirective(
      name, argValues, argForm, terminator, startLine, startCharacter, sameLine ? nameEndCharacter - startCharacter : SPANS_LINES, endLine, endCharacter,
    );
    if (!sameLine) nameEnds.set(directive, { line: nameEndLine, character: nameEndCharacter });
    return directive;
  }

  get nameRange(): Range {
    const end = this.nameWidth === SPANS_LINES ? nameEnds.get(this)! : { line: this.startLine, character: this.startCharacter + this.nameWidth };
    return makeRange(this.startLine, this.startCharacter, end.line, end.character);
  }

  get args(): NginxArg[] {
    const form = this.argForm;
    if (typeof form !== 'number') return form;
    const words: NginxArg[] = [];
    for (let i = 0; i < this.argValues.length; i++) words.push(bareWordAt(this.argValues[i], this.startLine, (form >> (PLACE_BITS * i)) & (PLACE_LIMIT - 1)));
    this.argForm = words;
    return words;
  }

  /** A copy whose end, and its block's, lies `endLines` lines further down. */
  withBlockChildren(children: NginxDirective[], endLines: number): ParsedDirective {
    const copy = this.moved(this.argForm, 0, endLines);
    if (this.block) {
      copy.block = this.block.moved(0, endLines);
      copy.block.children = children;
    }
    return copy;
  }

  /** A copy `lines` lines further down, its arguments too; its block, if any, without children yet (see `shiftedDown`). */
  shiftedShell(lines: number): ParsedDirective {
    // Places lie on the first line, which moves with the copy.
    const form = this.argForm;
    const copy = this.moved(typeof form === 'number' ? form : form.map((arg) => (arg as NginxWord).shifted(lines)), lines, lines);
    if (this.block) copy.block = this.block.moved(lines, lines);
    if (this.rawBody) copy.rawBody = { text: this.rawBody.text, range: shiftedRange(this.rawBody.range, lines, lines) };
    return copy;
  }

  /** A copy with `argForm`, its start `startLines` and its end `endLines` lines further down; no block or raw body yet. */
  private moved(argForm: NginxArg[] | number, startLines: number, endLines: number): ParsedDirective {
    const copy = new ParsedDirective(
      this.name, this.argValues, argForm, this.terminator, this.startLine + startLines, this.startCharacter, this.nameWidth, this.endLine + endLines, this.endCharacter,
    );
    const nameEnd = this.nameWidth === SPANS_LINES ? nameEnds.get(this)! : undefined;
    if (nameEnd) nameEnds.set(copy, { line: nameEnd.line + startLines, character: nameEnd.character });
    return copy;
  }
}

/** A block as parsed: until its `}` is read, it ends just past its `{`. */
class ParsedBlock extends ParsedSpan implements NginxBlock {
  children: NginxDirective[] = [];
  closed = false;

  constructor(startLine: number, startCharacter: number) {
    super(startLine, startCharacter, startLine, startCharacter + 1);
  }

  /** A copy without children, its start `startLines` and its end `endLines` lines further down. */
  moved(startLines: number, endLines: number): ParsedBlock {
    const copy = new ParsedBlock(this.startLine + startLines, this.startCharacter);
    copy.closed = this.closed;
    copy.endAt(this.endLine + endLines, this.endCharacter);
    return copy;
  }
}

interface Frame {
  /** Where this level's statements start on the parser's stack of children. */
  firstChild: number;
  /** The directive whose block this is; null at the top level and for a stray `{`. */
  owner: ParsedDirective | null;
  isDataBlock: boolean;
}

/** Names are few and repeat on every line: one string each is kept, not one per directive. */
const internedNames = new Map<string, string>();
const MAX_INTERNED_NAMES = 4096;

function internName(name: string): string {
  const known = internedNames.get(name);
  if (known !== undefined) return known;
  if (internedNames.size >= MAX_INTERNED_NAMES) return name;
  // Not the name as read: it may be a view into the whole text of the first file that used it.
  const own = ownString(name);
  internedNames.set(own, own);
  return own;
}

/**
 * Parses an nginx configuration file into directives, blocks and comments, reporting the syntax errors
 * `nginx -t` reports, with its wording, at its line; then recovers, so the tree covers the whole file.
 * Linear in the file's length; nesting depth is bounded by memory only. Never throws.
 */
export function parseNginx(text: string, options: NginxParseOptions = {}): NginxParseResult {
  const parser = new NginxParser(text, options, { isDataBlock: false, inBlock: false });
  parser.run();
  return parser.result();
}

/** The parses that read a raw Lua body (see `readsRawBody`). */
const withRawBodies = new WeakSet<NginxParseResult>();

/** Whether reading the file took in a `*_by_lua_block` body, whose end OpenResty finds by looking ahead. */
export function readsRawBody(parse: NginxParseResult): boolean {
  return withRawBodies.has(parse);
}

/** Records that a parse put together from parts (see reparse.ts) took in a raw Lua body. */
export function markReadsRawBody(parse: NginxParseResult): void {
  withRawBodies.add(parse);
}

/** Where a run of statements parsed on its own (see `parseNginxStatements`) begins and how it may end. */
export interface StatementRun {
  /** Where to start reading: just after a `{`, `;` or `}`, where nginx's reader starts a statement afresh. The file's start when absent. */
  from?: LexStart;
  /** Read as the entries of a data block (`map`, `types`…). */
  isDataBlock: boolean;
  /** The statements are a block's content: its `}` ends the run. */
  inBlock: boolean;
  /** Asked after each statement that ends this level with `;` or `}`: true ends the run there (`offset` is just past it). */
  endsAt?: (offset: number) => boolean;
  /**
   * The directives read will be kept in parses of later versions of the file (see reparse.ts): their words and
   * comments must not be views into this version's text, or each version a statement was re-read in stays alive.
   */
  detached?: boolean;
}

/** A run of statements as parsed, and what ended it at which offset: the block's `}`, an end asked for, or the file's end. */
export interface ParsedStatements extends NginxParseResult {
  end: { by: 'close'; offset: number } | { by: 'asked'; offset: number } | { by: 'file' };
  readRawBody: boolean;
}

/** Parses statements from `run.from` as `parseNginx` would read them there, up to where `run` says they end. */
export function parseNginxStatements(text: string, run: StatementRun, options: NginxParseOptions = {}): ParsedStatements {
  const parser = new NginxParser(text, options, run);
  const end = parser.run();
  const result = parser.result();
  return { ...result, end, readRawBody: readsRawBody(result) };
}

/**
 * A copy of a block directive with other children: the rest of it stays as parsed, its end and its block's moved
 * `endLines` lines down (an edit inside it added lines).
 */
export function withChildren(directive: NginxDirective, children: NginxDirective[], endLines = 0): NginxDirective {
  if (directive instanceof ParsedDirective) return directive.withBlockChildren(children, endLines);
  // A directive made as a plain object (not by this parser) has its ranges as its own fields.
  const { range, block } = directive;
  return {
    ...directive,
    range: shiftedRange(range, 0, endLines),
    block: block && { ...block, children, range: shiftedRange(block.range, 0, endLines) },
  };
}

/** Each copy `shiftedDown` made, to the directive it copies. */
const shiftedCopies = new WeakMap<NginxDirective, NginxDirective>();

/**
 * A copy of a parsed directive, with its arguments and everything in its block, `lines` lines further down (up, when
 * negative): where an edit above it that added or removed lines leaves it. Undefined for one this parser did not
 * make. Iterative, as blocks nest as deep as memory allows.
 */
export function shiftedDown(directive: NginxDirective, lines: number): NginxDirective | undefined {
  if (!(directive instanceof ParsedDirective)) return undefined;
  const copy = directive.shiftedShell(lines);
  const pending: Array<{ from: ParsedBlock; to: ParsedBlock }> = directive.block ? [{ from: directive.block, to: copy.block! }] : [];
  while (pending.length > 0) {
    const { from, to } = pending.pop()!;
    const children: NginxDirective[] = [];
    for (const child of from.children) {
      if (!(child instanceof ParsedDirective)) return undefined;
      const moved = child.shiftedShell(lines);
      if (child.block) pending.push({ from: child.block, to: moved.block! });
      children.push(moved);
    }
    to.children = children;
  }
  shiftedCopies.set(copy, directive);
  return copy;
}

/** The directive `directive` is a copy of, when `shiftedDown` made it. */
export function shiftedFrom(directive: NginxDirective): NginxDirective | undefined {
  return shiftedCopies.get(directive);
}

/** A range with its start `startLines` and its end `endLines` lines further down. */
export function shiftedRange(range: Range, startLines: number, endLines: number): Range {
  return makeRange(range.start.line + startLines, range.start.character, range.end.line + endLines, range.end.character);
}

class NginxParser {
  private readonly lexer: NginxLexer;
  private readonly comments: NginxComment[] = [];
  private readonly errors: NginxSyntaxError[] = [];
  private readonly stack: Frame[];
  /**
   * The directives read so far at every open level, innermost last (the first `childCount`): a level's are cut off
   * into its block's list when it closes, so no list grows by `push` and is then copied without its spare room. The
   * count moves back rather than the list being cut, as setting a list's length is slow in V8.
   */
  private readonly children: NginxDirective[] = [];
  private childCount = 0;
  /** Whether a statement is open: its name's value and place, its arguments so far (the first `argCount`, cut off when it ends), where its last word ends. */
  private open = false;
  private name = '';
  private nameStartLine = 0;
  private nameStartCharacter = 0;
  private nameEndLine = 0;
  private nameEndCharacter = 0;
  /** Each argument's value; its word where it is not bare on the name's line, else its character there. */
  private readonly argValues: string[] = [];
  private readonly argWords: Array<NginxWord | undefined> = [];
  private readonly argCharacters: number[] = [];
  private argCount = 0;
  /** Whether the open statement's arguments so far can be kept as values and places only (see `ParsedDirective`). */
  private argsPackable = true;
  private lastEndLine = 0;
  private lastEndCharacter = 0;
  /** The names read so far, each with the argument lists its last directives had (see `NameSeen`). */
  private readonly namesSeen = new Map<string, NameSeen>();

  constructor(
    text: string,
    private readonly options: NginxParseOptions,
    private readonly statements: StatementRun,
  ) {
    this.lexer = new NginxLexer(text, (message, range) => this.report('nginx', message, range), statements.from, statements.detached);
    this.stack = [{ firstChild: 0, owner: null, isDataBlock: statements.isDataBlock }];
  }

  /** Whether a raw Lua body was read. */
  private readRawBody = false;

  result(): NginxParseResult {
    const result: NginxParseResult = { directives: this.children.slice(0, this.childCount), comments: this.comments, errors: this.errors };
    if (this.errorsNotRecorded > 0) result.errorsNotRecorded = this.errorsNotRecorded;
    if (this.readRawBody) withRawBodies.add(result);
    return result;
  }

  /** Reads to the end of the file, or as far as `statements` says. */
  run(): ParsedStatements['end'] {
    const lexer = this.lexer;
    const endsAt = this.statements.endsAt;
    for (;;) {
      switch (lexer.next()) {
        case Token.Comment:
          this.comments.push(lexer.comment as NginxComment);
          break;
        case Token.Word:
          this.onWord();
          break;
        case Token.Semicolon:
          this.onSemicolon(lexer.markLine, lexer.markCharacter);
          if (endsAt && this.stack.length === 1 && !this.open && endsAt(lexer.offset)) return { by: 'asked', offset: lexer.offset };
          break;
        case Token.OpenBrace:
          this.onOpenBrace(lexer.markLine, lexer.markCharacter);
          break;
        case Token.CloseBrace:
          if (this.onCloseBrace(lexer.markLine, lexer.markCharacter)) return { by: 'close', offset: lexer.offset - 1 };
          if (endsAt && this.stack.length === 1 && endsAt(lexer.offset)) return { by: 'asked', offset: lexer.offset };
          break;
        case Token.EndOfFile:
          this.onEndOfFile(lexer.markLine, lexer.markCharacter);
          return { by: 'file' };
      }
    }
  }

  private get frame(): Frame {
    return this.stack[this.stack.length - 1];
  }

  private onWord(): void {
    const lexer = this.lexer;
    if (this.open && !this.isMissingSemicolonBefore()) {
      this.addArgument();
      this.lastEndLine = lexer.wordEndLine;
      this.lastEndCharacter = lexer.wordEndCharacter;
      return;
    }
    if (this.open) {
      const at = { line: this.lastEndLine, character: this.lastEndCharacter };
      this.report('missing-semicolon', 'missing ";" at the end of this line', { start: at, end: at });
      this.finish(null, this.lastEndLine, this.lastEndCharacter);
    }
    this.open = true;
    this.name = lexer.wordValue;
    this.nameStartLine = lexer.wordStartLine;
    this.nameStartCharacter = lexer.wordStartCharacter;
    this.nameEndLine = this.lastEndLine = lexer.wordEndLine;
    this.nameEndCharacter = this.lastEndCharacter = lexer.wordEndCharacter;
  }

  private addArgument(): void {
    const lexer = this.lexer;
    const index = this.argCount++;
    this.argValues[index] = lexer.wordValue;
    if (lexer.wordIsBare && lexer.wordStartLine === this.nameStartLine) {
      this.argWords[index] = undefined;
      this.argCharacters[index] = lexer.wordStartCharacter;
      this.argsPackable &&= index < PACKED_ARGS && lexer.wordStartCharacter < PLACE_LIMIT;
      return;
    }
    this.argWords[index] = lexer.takeWord();
    this.argsPackable = false;
  }

  /** The open statement's argument places, packed (see `ParsedDirective`). */
  private argPlaces(): number {
    let places = 0;
    for (let i = 0; i < this.argCount; i++) places |= this.argCharacters[i] << (PLACE_BITS * i);
    return places;
  }

  /** The open statement's words, where they are made at once: those read as words, and the others from their places. */
  private words(): NginxArg[] {
    const words: NginxArg[] = [];
    for (let i = 0; i < this.argCount; i++) {
      words.push(this.argWords[i] ?? bareWordAt(this.argValues[i], this.nameStartLine, this.argCharacters[i]));
    }
    return words;
  }

  /**
   * The word just read is a known directive name, bare, first on its line, while the statement before it is still
   * open: most likely that statement lacks its `;`. Not inside data blocks, where entries are not directives, nor
   * after a name that always opens a block (`location /x` waits for its `{`, possibly on a later line).
   */
  private isMissingSemicolonBefore(): boolean {
    const isDirectiveName = this.options.isDirectiveName;
    const lexer = this.lexer;
    return (
      isDirectiveName !== undefined &&
      lexer.wordQuote === null &&
      lexer.wordStartLine > this.lastEndLine &&
      !this.frame.isDataBlock &&
      isDirectiveName(lexer.wordValue) &&
      !alwaysOpensBlock(this.name)
    );
  }

  private onSemicolon(line: number, character: number): void {
    if (this.open) this.finish(';', line, character + 1);
    else this.report('nginx', 'unexpected ";"', oneCharacter(line, character));
  }

  private onOpenBrace(line: number, character: number): void {
    if (!this.open) {
      this.report('nginx', 'unexpected "{"', oneCharacter(line, character));
      // Read the stray block's content into the enclosing level, so that its `}` closes nothing else.
      this.stack.push({ firstChild: this.frame.firstChild, owner: null, isDataBlock: this.frame.isDataBlock });
      return;
    }
    const inDataBlock = this.frame.isDataBlock;
    if (inDataBlock) this.report('nginx', 'unexpected "{"', oneCharacter(line, character));
    const directive = this.finish('{', line, character + 1);
    if (!inDataBlock && isRawBlockDirective(directive.name)) {
      const body = this.lexer.readLuaBody();
      this.readRawBody = true;
      directive.rawBody = { text: body.text, range: body.range };
      directive.endAt(body.end.line, body.end.character);
      return;
    }
    directive.block = new ParsedBlock(line, character);
    this.stack.push({ firstChild: this.childCount, owner: directive, isDataBlock: DATA_BLOCKS.has(directive.name) });
  }

  /** True when the `}` closes the block whose content is being parsed on its own. */
  private onCloseBrace(line: number, character: number): boolean {
    const unterminated = this.open;
    if (unterminated) {
      this.report('nginx', 'unexpected "}"', oneCharacter(line, character));
      this.finish(null, this.lastEndLine, this.lastEndCharacter);
    }
    if (this.stack.length === 1) {
      if (this.statements.inBlock) return true;
      if (!unterminated) this.report('nginx', 'unexpected "}"', oneCharacter(line, character));
      return false;
    }
    const owner = this.closeFrame(line, character + 1);
    if (owner?.block) owner.block.closed = true;
    return false;
  }

  private onEndOfFile(line: number, character: number): void {
    const at = { start: { line, character }, end: { line, character } };
    if (this.open) {
      this.report('nginx', 'unexpected end of file, expecting ";" or "}"', at);
      this.finish(null, this.lastEndLine, this.lastEndCharacter);
    } else if (this.stack.length > 1) {
      this.report('nginx', 'unexpected end of file, expecting "}"', at);
    }
    while (this.stack.length > 1) this.closeFrame(line, character);
  }

  /** Ends the innermost level at this place: its directives become its block's children (a stray `{` keeps them). */
  private closeFrame(line: number, character: number): ParsedDirective | null {
    const frame = this.stack.pop() as Frame;
    const owner = frame.owner;
    if (owner?.block) {
      owner.block.children = this.children.slice(frame.firstChild, this.childCount);
      this.childCount = frame.firstChild;
      owner.block.endAt(line, character);
      owner.endAt(line, character);
    }
    return owner;
  }

  /** Ends the open statement as a directive of the current level. */
  private finish(terminator: NginxDirective['terminator'], endLine: number, endCharacter: number): ParsedDirective {
    const packed = this.argsPackable;
    let seen = this.namesSeen.get(this.name);
    if (seen === undefined) this.namesSeen.set(this.name, (seen = new NameSeen(internName(this.name))));
    const directive = ParsedDirective.read(
      seen.name, seen.values(this.argValues, this.argCount), packed ? this.argPlaces() : this.words(), terminator,
      this.nameStartLine, this.nameStartCharacter, this.nameEndLine, this.nameEndCharacter, endLine, endCharacter,
    );
    this.open = false;
    this.argCount = 0;
    this.argsPackable = true;
    this.children[this.childCount++] = directive;
    return directive;
  }

  /** Syntax errors past the first `MAX_RECORDED_ERRORS`, counted only. */
  private errorsNotRecorded = 0;

  /**
   * Keeps the first `MAX_RECORDED_ERRORS` errors, in document order; the lexer may report a long parameter after a
   * later missing `;`.
   */
  private report(kind: NginxSyntaxErrorKind, message: string, range: Range): void {
    const errors = this.errors;
    let at = errors.length;
    while (at > 0 && comparePositions(errors[at - 1].range.start, range.start) > 0) at--;
    if (errors.length === MAX_RECORDED_ERRORS) {
      this.errorsNotRecorded++;
      if (at === errors.length) return;
      errors.pop();
    }
    errors.splice(at, 0, { kind, message, range });
  }
}

/** How many of a name's latest argument lists a parse keeps to share with the next directives of that name. */
const RECENT_LISTS = 4;
/** How many directives of a name are compared before the comparing stops where fewer than one in eight shared a list. */
const COMPARED_BEFORE_GIVING_UP = 64;

/**
 * A name read in a parse: its one kept string, and the argument lists of its latest directives. Configs repeat
 * whole lines (`proxy_http_version 1.1;`, `proxy_set_header Host $host;` in every site): a directive whose values
 * are those of a recent one of its name shares that list, values and all, rather than keeping its own. Lists are
 * never changed once made, so sharing them is safe; kept per parse, so none is a view into another file's text.
 */
class NameSeen {
  private readonly recent: Array<readonly string[]> = [];
  private next = 0;
  /** Directives of this name compared with the recent lists, and how many of them shared one. */
  private compared = 0;
  private shared = 0;

  constructor(readonly name: string) {}

  /** The first `count` of `values`, as a recent list of this name that holds the same, or as a list of their own. */
  values(values: readonly string[], count: number): readonly string[] {
    // A name whose values differ each time (`server_name`, `root`, `proxy_pass` of every site) is compared no more.
    if (this.compared >= COMPARED_BEFORE_GIVING_UP && this.shared * 8 < this.compared) return firstValues(values, count);
    this.compared++;
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) {
      if (!holdsSame(recent[i], values, count)) continue;
      this.shared++;
      return recent[i];
    }
    const list = firstValues(values, count);
    if (recent.length < RECENT_LISTS) recent.push(list);
    else recent[this.next] = list;
    this.next = (this.next + 1) % RECENT_LISTS;
    return list;
  }
}

function holdsSame(list: readonly string[], values: readonly string[], count: number): boolean {
  if (list.length !== count) return false;
  for (let i = 0; i < count; i++) if (list[i] !== values[i]) return false;
  return true;
}

/**
 * The first `count` argument values as a list of their own. The short lists most directives have are written as literals:
 * V8 learns to make a literal's lists where long-lived objects go, while `slice` makes each in the young generation,
 * to be copied out of it later (a big config keeps one list per directive as long as it is open).
 */
function firstValues(values: readonly string[], count: number): string[] {
  switch (count) {
    case 0:
      return [];
    case 1:
      return [values[0]];
    case 2:
      return [values[0], values[1]];
    case 3:
      return [values[0], values[1], values[2]];
    default:
      return values.slice(0, count);
  }
}

function oneCharacter(line: number, character: number): Range {
  return makeRange(line, character, line, character + 1);
}

/** `location`, `http`, `if`, `content_by_lua_block`…: every definition of the name takes a block. */
function alwaysOpensBlock(name: string): boolean {
  if (isRawBlockDirective(name)) return true;
  const definitions = nginxDirective(name);
  return definitions.length > 0 && definitions.every((definition) => definition.isBlock);
}
