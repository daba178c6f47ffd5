import { comparePositions, type Position, type Range } from '../../core/text';
import { isRawBlockDirective, nginxDirective } from '../../reference/nginx';
import type {
  NginxArg,
  NginxComment,
  NginxDirective,
  NginxParseOptions,
  NginxParseResult,
  NginxSyntaxError,
  NginxSyntaxErrorKind,
} from './ast';
import { NginxLexer } from './lexer';

/**
 * Blocks whose entries nginx hands to a custom handler (`cf->handler`): `text/html html;`, `default 0;` are data,
 * not directives, and an entry that opens a block is an error.
 */
export const DATA_BLOCKS: ReadonlySet<string> = new Set(['types', 'map', 'geo', 'split_clients', 'charset_map']);

interface Frame {
  /** Where the statements read here go: a block's children, or the enclosing list for a stray `{`. */
  children: NginxDirective[];
  /** The directive whose block this is; null at the top level and for a stray `{`. */
  owner: NginxDirective | null;
  isDataBlock: boolean;
}

interface Statement {
  name: NginxArg;
  args: NginxArg[];
  /** End of its last token: where a missing `;` belongs. */
  end: Position;
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

  private onWord(word: NginxArg): void {
    const statement = this.statement;
    if (statement && !this.isMissingSemicolonBefore(word, statement)) {
      statement.args.push(word);
      statement.end = word.range.end;
      return;
    }
    if (statement) {
      const at = statement.end;
      this.report('missing-semicolon', 'missing ";" at the end of this line', { start: at, end: at });
      this.finish(null, at);
    }
    this.statement = { name: word, args: [], end: word.range.end };
  }

  /**
   * A known directive name, bare, first on its line, while the statement before it is still open: most likely
   * that statement lacks its `;`. Not inside data blocks, where entries are not directives, nor after a name
   * that always opens a block (`location /x` waits for its `{`, possibly on a later line).
   */
  private isMissingSemicolonBefore(word: NginxArg, statement: Statement): boolean {
    const isDirectiveName = this.options.isDirectiveName;
    return (
      isDirectiveName !== undefined &&
      word.quote === null &&
      word.range.start.line > statement.end.line &&
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
      directive.range.end = body.end;
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
      this.finish(null, unterminated.end);
    }
    if (this.stack.length === 1) {
      if (!unterminated) this.report('nginx', 'unexpected "}"', range);
      return;
    }
    const owner = this.stack.pop()?.owner;
    if (owner?.block) {
      owner.block.closed = true;
      owner.block.range.end = range.end;
      owner.range.end = range.end;
    }
  }

  private onEndOfFile(range: Range): void {
    const unterminated = this.statement;
    if (unterminated) {
      this.report('nginx', 'unexpected end of file, expecting ";" or "}"', range);
      this.finish(null, unterminated.end);
    } else if (this.stack.length > 1) {
      this.report('nginx', 'unexpected end of file, expecting "}"', range);
    }
    while (this.stack.length > 1) {
      const owner = this.stack.pop()?.owner;
      if (owner?.block) {
        owner.block.range.end = range.end;
        owner.range.end = range.end;
      }
    }
  }

  /** Ends the open statement as a directive of the current frame. */
  private finish(terminator: NginxDirective['terminator'], end: Position): NginxDirective {
    const { name, args } = this.statement as Statement;
    this.statement = null;
    const directive: NginxDirective = {
      name: name.value,
      nameRange: name.range,
      args,
      range: { start: name.range.start, end },
      terminator,
    };
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

/** `location`, `http`, `if`, `content_by_lua_block`…: every definition of the name takes a block. */
function alwaysOpensBlock(name: string): boolean {
  if (isRawBlockDirective(name)) return true;
  const definitions = nginxDirective(name);
  return definitions.length > 0 && definitions.every((definition) => definition.isBlock);
}
