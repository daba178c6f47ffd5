import { comparePositions, range as makeRange, type Position, type Range } from '../../core/text';
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
import { NginxLexer, type NginxWord } from './lexer';

/**
 * Blocks whose entries nginx hands to a custom handler (`cf->handler`): `text/html html;`, `default 0;` are data,
 * not directives, and an entry that opens a block is an error.
 */
export const DATA_BLOCKS: ReadonlySet<string> = new Set(['types', 'map', 'geo', 'split_clients', 'charset_map']);

/**
 * A directive as parsed: its places kept as numbers and its ranges built when asked, as for arguments (a big
 * config holds a directive per line for as long as it is open).
 */
class ParsedDirective implements NginxDirective {
  declare block?: NginxBlock;
  declare rawBody?: { text: string; range: Range };
  private endLine: number;
  private endCharacter: number;

  constructor(
    readonly name: string,
    readonly args: NginxArg[],
    readonly terminator: ';' | '{' | null,
    private readonly nameWord: NginxWord,
    end: Position,
  ) {
    this.endLine = end.line;
    this.endCharacter = end.character;
  }

  get nameRange(): Range {
    return this.nameWord.range;
  }

  get range(): Range {
    return makeRange(this.nameWord.startLine, this.nameWord.startCharacter, this.endLine, this.endCharacter);
  }

  /** Where the directive ends, once its block or raw body has been read. */
  endAt(end: Position): void {
    this.endLine = end.line;
    this.endCharacter = end.character;
  }
}

interface Frame {
  /** Where the statements read here go: a block's children, or the enclosing list for a stray `{`. */
  children: NginxDirective[];
  /** The directive whose block this is; null at the top level and for a stray `{`. */
  owner: ParsedDirective | null;
  isDataBlock: boolean;
}

interface Statement {
  name: NginxWord;
  args: NginxArg[];
  /** Its last token, whose end is where a missing `;` belongs. */
  last: NginxWord;
}

function endOf(statement: Statement): Position {
  return { line: statement.last.endLine, character: statement.last.endCharacter };
}

/**
 * Parses an nginx configuration file into directives, blocks and comments, reporting the syntax errors
 * `nginx -t` reports, with its wording, at its line; then recovers, so the tree covers the whole file.
 * Linear in the file's length; nesting depth is bounded by memory only. Never throws.
 */
export function parseNginx(text: string, options: NginxParseOptions = {}): NginxParseResult {
  return new NginxParser(text, options).parse();
}

class NginxParser {
  private readonly lexer: NginxLexer;
  private readonly comments: NginxComment[] = [];
  private readonly errors: NginxSyntaxError[] = [];
  private readonly stack: Frame[] = [{ children: [], owner: null, isDataBlock: false }];
  private statement: Statement | null = null;

  constructor(
    text: string,
    private readonly options: NginxParseOptions,
  ) {
    this.lexer = new NginxLexer(text, (message, range) => this.report('nginx', message, range));
  }

  parse(): NginxParseResult {
    for (;;) {
      const token = this.lexer.next();
      switch (token.type) {
        case 'comment':
          this.comments.push(token.comment);
          break;
        case 'word':
          this.onWord(token.word);
          break;
        case ';':
          this.onSemicolon(token.range);
          break;
        case '{':
          this.onOpenBrace(token.range);
          break;
        case '}':
          this.onCloseBrace(token.range);
          break;
        case 'eof':
          this.onEndOfFile(token.range);
          return { directives: this.stack[0].children, comments: this.comments, errors: this.errors };
      }
    }
  }

  private get frame(): Frame {
    return this.stack[this.stack.length - 1];
  }

  private onWord(word: NginxWord): void {
    const statement = this.statement;
    if (statement && !this.isMissingSemicolonBefore(word, statement)) {
      statement.args.push(word);
      statement.last = word;
      return;
    }
    if (statement) {
      const at = endOf(statement);
      this.report('missing-semicolon', 'missing ";" at the end of this line', { start: at, end: at });
      this.finish(null, at);
    }
    this.statement = { name: word, args: [], last: word };
  }

  /**
   * A known directive name, bare, first on its line, while the statement before it is still open: most likely
   * that statement lacks its `;`. Not inside data blocks, where entries are not directives, nor after a name
   * that always opens a block (`location /x` waits for its `{`, possibly on a later line).
   */
  private isMissingSemicolonBefore(word: NginxWord, statement: Statement): boolean {
    const isDirectiveName = this.options.isDirectiveName;
    return (
      isDirectiveName !== undefined &&
      word.quote === null &&
      word.startLine > statement.last.endLine &&
      !this.frame.isDataBlock &&
      isDirectiveName(word.value) &&
      !alwaysOpensBlock(statement.name.value)
    );
  }

  private onSemicolon(range: Range): void {
    if (this.statement) this.finish(';', range.end);
    else this.report('nginx', 'unexpected ";"', range);
  }

  private onOpenBrace(range: Range): void {
    if (!this.statement) {
      this.report('nginx', 'unexpected "{"', range);
      // Read the stray block's content into the enclosing list, so that its `}` closes nothing else.
      this.stack.push({ children: this.frame.children, owner: null, isDataBlock: this.frame.isDataBlock });
      return;
    }
    const inDataBlock = this.frame.isDataBlock;
    if (inDataBlock) this.report('nginx', 'unexpected "{"', range);
    const directive = this.finish('{', range.end);
    if (!inDataBlock && isRawBlockDirective(directive.name)) {
      const body = this.lexer.readLuaBody();
      directive.rawBody = { text: body.text, range: body.range };
      directive.endAt(body.end);
      return;
    }
    directive.block = { children: [], range: { start: range.start, end: range.end }, closed: false };
    this.stack.push({
      children: directive.block.children,
      owner: directive,
      isDataBlock: DATA_BLOCKS.has(directive.name),
    });
  }

  private onCloseBrace(range: Range): void {
    const unterminated = this.statement;
    if (unterminated) {
      this.report('nginx', 'unexpected "}"', range);
      this.finish(null, endOf(unterminated));
    }
    if (this.stack.length === 1) {
      if (!unterminated) this.report('nginx', 'unexpected "}"', range);
      return;
    }
    const owner = this.stack.pop()?.owner;
    if (owner?.block) {
      owner.block.children = fitted(owner.block.children);
      owner.block.closed = true;
      owner.block.range.end = range.end;
      owner.endAt(range.end);
    }
  }

  private onEndOfFile(range: Range): void {
    const unterminated = this.statement;
    if (unterminated) {
      this.report('nginx', 'unexpected end of file, expecting ";" or "}"', range);
      this.finish(null, endOf(unterminated));
    } else if (this.stack.length > 1) {
      this.report('nginx', 'unexpected end of file, expecting "}"', range);
    }
    while (this.stack.length > 1) {
      const owner = this.stack.pop()?.owner;
      if (owner?.block) {
        owner.block.range.end = range.end;
        owner.endAt(range.end);
      }
    }
  }

  /** Ends the open statement as a directive of the current frame. */
  private finish(terminator: NginxDirective['terminator'], end: Position): ParsedDirective {
    const { name, args } = this.statement as Statement;
    this.statement = null;
    const directive = new ParsedDirective(name.value, fitted(args), terminator, name, end);
    this.frame.children.push(directive);
    return directive;
  }

  /** Keeps errors in document order; the lexer may report a long parameter after a later missing `;`. */
  private report(kind: NginxSyntaxErrorKind, message: string, range: Range): void {
    const errors = this.errors;
    let at = errors.length;
    while (at > 0 && comparePositions(errors[at - 1].range.start, range.start) > 0) at--;
    errors.splice(at, 0, { kind, message, range });
  }
}

/**
 * A copy of a list that grew by `push` without its spare room: V8 grows an array's store by half plus 16 slots, and
 * a big config holds hundreds of thousands of short lists (arguments, block children) for as long as it is open.
 */
function fitted<T>(list: T[]): T[] {
  return list.slice();
}

/** `location`, `http`, `if`, `content_by_lua_block`…: every definition of the name takes a block. */
function alwaysOpensBlock(name: string): boolean {
  if (isRawBlockDirective(name)) return true;
  const definitions = nginxDirective(name);
  return definitions.length > 0 && definitions.every((definition) => definition.isBlock);
}
