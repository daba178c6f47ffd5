import { moreErrorsAfter } from '../../core/listing';
import type { Rule, RuleContext } from '../../core/rule';
import type { Range } from '../../core/text';
import type { NginxNode } from '../../model/nginx-tree';
import { nodesJudgedInPlace } from '../../model/nginx-walk';
import type { NginxDirectiveInfo } from '../../reference/nginx';

export const rule: Rule = {
  id: 'nginx/syntax',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'Syntax error nginx refuses to load',
  docs: `Flags what nginx's configuration reader rejects before it looks at any value: an unexpected
\`}\`, \`;\` or \`{\`, a file that ends inside a block or a directive, text glued to a closing quote,
a block directive written without \`{\` (\`directive "server" has no opening "{"\`) and a simple
directive given a block (\`directive "listen" is not terminated by ";"\`). The message is the one
\`nginx -t\` prints, at the line where it prints it.

A line that lacks its \`;\` before a line that starts with a directive name (\`listen 80\` followed by
\`server_name x;\`) is reported as a missing \`;\` at the end of the first line, where nginx itself
would complain about \`invalid parameter "server_name"\` one line later.

**At runtime:** \`nginx -t\` fails; a reload is refused and a fresh start does not happen, so Cloudflare
gets no origin and shows 502 (or 521).

**What to change:** add or remove the character the message names.`,
  check(ctx) {
    for (const file of ctx.model.nginx) {
      const { errors, errorsNotRecorded } = file.parse;
      errors.forEach((error, i) => {
        const fixes = error.kind === 'missing-semicolon'
          ? [{ title: 'Insert ";"', edits: [{ file: file.id, range: error.range, newText: ';' }], isPreferred: true }]
          : undefined;
        const more = i === errors.length - 1 ? moreErrorsAfter(errorsNotRecorded) : '';
        ctx.report({ file: file.id, range: error.range, message: error.message + more, fixes });
      });
    }
    for (const tree of ctx.model.nginxTrees) {
      for (const node of nodesJudgedInPlace(tree, blockMismatchTest)) {
        const { directive } = node;
        if (directive.terminator === ';') report(ctx, node.file.id, lastCharacter(directive.range), `directive "${directive.name}" has no opening "{"`);
        else report(ctx, node.file.id, firstCharacter(directive.block!.range), `directive "${directive.name}" is not terminated by ";"`);
      }
    }
  },
};

/** Where every definition of the name takes a block, or none does: the test for a node written the other way. */
function blockMismatchTest(allowed: readonly NginxDirectiveInfo[]): ((node: NginxNode) => boolean) | undefined {
  if (allowed.length === 0) return undefined;
  if (allowed.every(takesBlock)) return lacksBlock;
  return allowed.some(takesBlock) ? undefined : hasNeedlessBlock;
}

/** A block directive ended by `;`. */
function lacksBlock(node: NginxNode): boolean {
  return node.directive.terminator === ';' && isJudged(node);
}

/** A simple directive given a block. */
function hasNeedlessBlock(node: NginxNode): boolean {
  return node.directive.terminator === '{' && node.directive.block !== undefined && isJudged(node);
}

/** Raw bodies (Lua) and the data of raw blocks are not directives nginx reads. */
function isJudged(node: NginxNode): boolean {
  return node.context.block !== 'raw' && !node.directive.rawBody;
}

function takesBlock(definition: NginxDirectiveInfo): boolean {
  return definition.isBlock;
}

function report(ctx: RuleContext, file: string, range: Range, message: string): void {
  ctx.report({ file, range, message });
}

function lastCharacter(range: Range): Range {
  return { start: { line: range.end.line, character: Math.max(0, range.end.character - 1) }, end: range.end };
}

function firstCharacter(range: Range): Range {
  return { start: range.start, end: { line: range.start.line, character: range.start.character + 1 } };
}
