import type { Fix, Related } from '../../core/findings';
import type { Rule, RuleContext } from '../../core/rule';
import type { Range } from '../../core/text';
import type { NginxNode, NginxTree } from '../../model/nginx-tree';
import { forEachNamedNode } from '../../model/nginx-walk';
import { parseNginxSize } from '../../model/nginx-values';
import type { PassKind } from '../../model/targets';
import { lookupDirective, type Level, type Lookup } from './levels-and-edits';
import { setInBlockEdits, type DirectiveValue } from './pass-helpers';

type Module = 'proxy' | 'fastcgi' | 'uwsgi' | 'grpc';

const MODULE_OF: Record<PassKind, Module> = { proxy_pass: 'proxy', fastcgi_pass: 'fastcgi', uwsgi_pass: 'uwsgi', grpc_pass: 'grpc' };
/** The modules whose merge step checks the buffer sizes against each other (grpc has no `grpc_buffers`). */
const CHECKED_MODULES: readonly Module[] = ['proxy', 'fastcgi', 'uwsgi'];

const KB = 1024;
/** nginx's default for `*_buffer_size` and each of `*_buffers`: one memory page, 4k on x86. */
const PAGE = 4 * KB;
/** Below this an explicit header buffer is smaller than what nginx's docs suggest (`4k|8k`). */
const SMALL = 8 * KB;
const FIXED_BUFFER_SIZE = 32 * KB;
const FIXED_BUFFERS = { count: 16, size: 16 * KB };

type SizeDirective = 'buffer_size' | 'buffers' | 'busy_buffers_size' | 'temp_file_write_size' | 'max_temp_file_size';
const SIZE_DIRECTIVES: readonly SizeDirective[] = ['buffer_size', 'buffers', 'busy_buffers_size', 'temp_file_write_size', 'max_temp_file_size'];

/** Each module's directive names, spelled once: looked up for every block of a big config. */
const NAMES = Object.fromEntries(
  (['proxy', 'fastcgi', 'uwsgi', 'grpc'] as const).map((m) => [m, Object.fromEntries(SIZE_DIRECTIVES.map((d) => [d, `${m}_${d}`]))]),
) as Record<Module, Record<SizeDirective, string>>;

/** Blocks whose configuration nginx merges with the enclosing one, running the checks below. */
const MERGED_BLOCK_NAMES = ['server', 'location', 'if', 'limit_except'];
const MERGED_BLOCKS: ReadonlySet<string> = new Set(MERGED_BLOCK_NAMES);

export const rule: Rule = {
  id: 'nginx/upstream-buffer-too-small',
  format: 'nginx',
  defaultSeverity: 'warning',
  title: 'Upstream header buffer too small, or buffer sizes nginx refuses',
  docs: `Flags the buffer nginx reads a backend's response headers into when it is too small, and buffer
sizes that contradict each other.

* **Warning:** an explicit \`proxy_buffer_size\`, \`fastcgi_buffer_size\`, \`uwsgi_buffer_size\` or
  \`grpc_buffer_size\` below 8k, in force where the matching \`*_pass\` is.
* **Hint:** a \`fastcgi_pass\` (PHP-FPM) with nginx's default \`fastcgi_buffer_size\`: one memory page,
  4k on x86.
* **Error:** sizes nginx refuses at start: fewer than 2 \`*_buffers\`; \`*_busy_buffers_size\` (by
  default twice the larger of \`*_buffer_size\` and one of \`*_buffers\`) smaller than that size or
  more than all \`*_buffers\` minus one; \`*_temp_file_write_size\` or \`*_max_temp_file_size\` (unless
  0) smaller than that size.

Sizes are taken as nginx inherits them from enclosing blocks. The hint and the errors leave alone a
block whose sizes may come from a file the workspace does not hold (a snippet whose main config is
not in view, an \`include\` that reads nothing).

**At runtime:** response headers larger than the buffer (big session cookies, many \`Set-Cookie\`,
long \`Link\` or \`Content-Security-Policy\` headers) make nginx log \`upstream sent too big header while
reading response header from upstream\` and answer 502. Contradicting sizes make \`nginx -t\` fail,
e.g. \`"fastcgi_busy_buffers_size" must be less than the size of all "fastcgi_buffers" minus one
buffer\`: the configuration is not loaded, and a fresh start leaves the origin down.

**What to change:** set \`*_buffer_size 32k;\` and \`*_buffers 16 16k;\` together (quick fix). Raising
\`fastcgi_buffer_size\` to 32k alone, with the default \`fastcgi_buffers 8 4k\`, makes nginx refuse to
start: the busy buffers (2 × 32k) would exceed 7 × 4k.`,
  check(ctx) {
    reportSmallBuffers(ctx);
    reportRefusedSizes(ctx);
  },
};

/** A size in force: written in a directive, or nginx's default when `node` is absent. */
interface Sized {
  bytes: number;
  node?: NginxNode;
}

/** One module's buffer directives as nginx merges them for one block. */
interface BufferConfig {
  module: Module;
  bufferSize: Sized;
  /** Absent for grpc. */
  buffers?: { count: number; size: number; node?: NginxNode };
  /** The explicit ones only: their defaults derive from the other sizes. */
  busy?: Sized;
  tempWrite?: Sized;
  maxTemp?: Sized;
}

function reportSmallBuffers(ctx: RuleContext): void {
  const small = new Map<NginxNode, NginxTree>();
  for (const pass of ctx.model.origin.passes) {
    const module = MODULE_OF[pass.kind];
    const lookup = lookupDirective(pass.node.parent, pass.tree, NAMES[module].buffer_size);
    if (!lookup.known) continue;
    if (lookup.node) {
      const bytes = sizeOf(lookup.node);
      if (bytes !== undefined && bytes < SMALL) small.set(lookup.node, pass.tree);
    } else if (module === 'fastcgi') {
      reportDefaultFastcgiBuffer(ctx, pass.node, pass.tree);
    }
  }
  for (const [node, tree] of small) {
    const module = node.directive.name.slice(0, -'_buffer_size'.length) as Module;
    const config = readConfig(module, node.parent, tree);
    const plan = config && fixPlan(config, FIXED_BUFFER_SIZE);
    ctx.report({
      file: node.file.id,
      range: argsRange(node),
      message: `"${node.directive.name} ${node.directive.args[0].value}" is smaller than the response headers of many backends (large cookies, many Set-Cookie headers): nginx logs "upstream sent too big header while reading response header from upstream" and answers 502. ${advice(plan, module)}`,
      fixes: fixes(node, plan),
    });
  }
}

function reportDefaultFastcgiBuffer(ctx: RuleContext, pass: NginxNode, tree: NginxTree): void {
  const config = readConfig('fastcgi', pass.parent, tree);
  const plan = config && fixPlan(config, FIXED_BUFFER_SIZE);
  ctx.report({
    file: pass.file.id,
    range: pass.directive.nameRange,
    severity: 'hint',
    message: `fastcgi_buffer_size is nginx's default, one memory page (4k on x86): PHP response headers larger than that (a big session cookie, many Set-Cookie headers) make nginx log "upstream sent too big header while reading response header from upstream" and answer 502. ${advice(plan, 'fastcgi')}`,
    fixes: fixes(pass, plan),
  });
}

/** Evaluates every block nginx merges, as its merge step does, and reports each refused combination once. */
function reportRefusedSizes(ctx: RuleContext): void {
  const reported = new Set<string>();
  const configured = levelsWithBufferSettings(ctx);
  const evaluate = (level: Level, tree: NginxTree) => {
    for (const { module, levels } of configured.get(tree) ?? []) {
      if (level && !mayDifferFromDefaultsOrParent(level, levels)) continue;
      const config = readConfig(module, level, tree);
      const problem = config && firstProblem(config);
      if (!config || !problem) continue;
      const blamed = innermost(problem.involved);
      const key = `${blamed.file.id}:${blamed.directive.range.start.line}:${blamed.directive.range.start.character}:${problem.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const blamedConfig = readConfig(module, blamed.parent, tree);
      const plan = blamedConfig && fixPlan(blamedConfig, blamedConfig.bufferSize.bytes);
      const related: Related[] = problem.involved
        .filter((node) => node !== blamed)
        .map((node) => ({ file: node.file.id, range: node.directive.range, message: `"${node.directive.name}" is set here` }));
      ctx.report({
        file: blamed.file.id,
        range: argsRange(blamed),
        severity: 'error',
        message: `nginx -t fails: ${problem.message}. The configuration is not loaded: a reload keeps the old one, and a fresh start leaves the origin down (502). ${advice(plan, module)}`,
        related,
        fixes: fixes(blamed, plan),
      });
    }
  };
  for (const tree of ctx.model.nginxTrees) {
    // A snippet's own top level is merged into the blocks that include it.
    if (tree.inferred && tree.rootContext.family === 'http') evaluate(null, tree);
  }
  // Only trees that set a size somewhere can have a block that differs from nginx's defaults.
  forEachNamedNode(ctx.model.nginxTrees.filter((tree) => configured.has(tree)), MERGED_BLOCK_NAMES, (node, tree) => {
    if (node.directive.block && node.context.family === 'http') evaluate(node, tree);
  });
}

/**
 * Whether a block's sizes for a module can differ from what is already judged. A nested block that sets none of
 * them merges to exactly its parent's (judged there); an outermost one that sets none, under levels that set none
 * either, has nginx's defaults, which always pass. (Included files are spliced in, so their sizes count as set
 * where the `include` stands; one that reads nothing makes the sizes unknown, and unknown sizes are never judged.)
 */
function mayDifferFromDefaultsOrParent(block: NginxNode, levelsSetting: ReadonlySet<Level>): boolean {
  if (levelsSetting.has(block)) return true;
  if (block.parent && MERGED_BLOCKS.has(block.parent.directive.name)) return false;
  for (let level = block.parent; level; level = level.parent) if (levelsSetting.has(level)) return true;
  return levelsSetting.has(null);
}

/** A module whose buffer sizes a tree sets, and the levels that set them. */
interface ModuleLevels {
  module: Module;
  levels: Set<Level>;
}

/**
 * For each tree, the modules whose buffer sizes it sets anywhere in view, and the levels (blocks, or `null` for
 * the top) that set them: nginx's defaults always pass its checks, and a size set out of view makes `readConfig`
 * unknown anyway, so other modules need no evaluation in any block.
 */
function levelsWithBufferSettings(ctx: RuleContext): Map<NginxTree, ModuleLevels[]> {
  // Lists rather than maps of modules: every block of a big config goes through its tree's.
  const found = new Map<NginxTree, ModuleLevels[]>();
  for (const tree of ctx.model.nginxTrees) {
    const modules: ModuleLevels[] = [];
    for (const module of CHECKED_MODULES) {
      const levels = new Set<Level>();
      for (const name of SIZE_DIRECTIVES) for (const node of tree.byName.get(NAMES[module][name]) ?? []) levels.add(node.parent);
      if (levels.size > 0) modules.push({ module, levels });
    }
    if (modules.length > 0) found.set(tree, modules);
  }
  return found;
}

/**
 * The module's sizes as nginx merges them in a block (`level`). Undefined when a size is not one nginx
 * accepts (another finding), or when the header or busy buffers may be set where we cannot see. The
 * temp-file sizes count only where seen: their defaults never fail, and nginx checks them last.
 */
function readConfig(module: Module, level: Level, tree: NginxTree): BufferConfig | undefined {
  // Plain calls, no callbacks made for them: this runs for every block that sets a size.
  const names = NAMES[module];
  const bufferSize = sizeFound(lookupDirective(level, tree, names.buffer_size));
  if (bufferSize === null) return undefined;
  if (module === 'grpc') return { module, bufferSize: bufferSize ?? { bytes: PAGE } };
  const buffersFound = lookupDirective(level, tree, names.buffers);
  if (!buffersFound.known) return undefined;
  const buffers = buffersFound.node ? readBuffers(buffersFound.node) : { count: 8, size: PAGE };
  const busy = sizeFound(lookupDirective(level, tree, names.busy_buffers_size));
  const tempWrite = seenSizeFound(lookupDirective(level, tree, names.temp_file_write_size));
  const maxTemp = seenSizeFound(lookupDirective(level, tree, names.max_temp_file_size));
  if (!buffers || busy === null || tempWrite === null || maxTemp === null) return undefined;
  // Written out rather than spread: this runs for every block that sets a size, and spreading is slow.
  return {
    module,
    bufferSize: bufferSize ?? { bytes: PAGE },
    buffers: { count: buffers.count, size: buffers.size, node: buffersFound.node },
    busy,
    tempWrite,
    maxTemp,
  };
}

/** The size a lookup found: undefined where none is set (nginx's default), null where it cannot be told. */
function sizeFound(found: Lookup): Sized | undefined | null {
  if (!found.known) return null;
  if (!found.node) return undefined;
  const bytes = sizeOf(found.node);
  return bytes === undefined ? null : { bytes, node: found.node };
}

/** The same for a size that counts only where seen: one set out of view is taken for the default. */
function seenSizeFound(found: Lookup): Sized | undefined | null {
  return found.known ? sizeFound(found) : undefined;
}

function readBuffers(node: NginxNode): { count: number; size: number } | undefined {
  const [count, size] = node.directive.argValues;
  const bytes = size === undefined ? undefined : parseNginxSize(size);
  return count !== undefined && /^\d+$/.test(count) && Number(count) > 0 && bytes ? { count: Number(count), size: bytes } : undefined;
}

function sizeOf(node: NginxNode): number | undefined {
  const value = node.directive.argValues[0];
  return value === undefined ? undefined : parseNginxSize(value);
}

interface Problem {
  /** nginx's own message, then the numbers behind it. */
  message: string;
  /** The directives behind it, in the order to blame them when they stand in the same block. */
  involved: NginxNode[];
}

/** The first check of ngx_http_proxy_merge_loc_conf (and its fastcgi and uwsgi twins) that fails. */
function firstProblem(config: BufferConfig): Problem | undefined {
  const { module: m, bufferSize, buffers, busy, tempWrite, maxTemp } = config;
  if (!buffers) return undefined;
  const present = (...nodes: Array<NginxNode | undefined>) => nodes.filter((n): n is NginxNode => n !== undefined);
  if (buffers.count < 2) return { message: `there must be at least 2 "${m}_buffers"`, involved: present(buffers.node) };
  const size = Math.max(bufferSize.bytes, buffers.size);
  const sizeNode = bufferSize.bytes >= buffers.size ? bufferSize.node : buffers.node;
  const busyBytes = busy?.bytes ?? 2 * size;
  const reference = () => `the maximum of the value of "${m}_buffer_size" and one of the "${m}_buffers"`;
  if (busyBytes < size) {
    return {
      message: `"${m}_busy_buffers_size" must be equal to or greater than ${reference()} (${formatSize(busyBytes)} < ${formatSize(size)})`,
      involved: present(busy?.node, sizeNode),
    };
  }
  const allButOne = (buffers.count - 1) * buffers.size;
  if (busyBytes > allButOne) {
    const busyText = busy ? formatSize(busyBytes) : `by default 2 × ${formatSize(size)} = ${formatSize(busyBytes)}`;
    return {
      message: `"${m}_busy_buffers_size" must be less than the size of all "${m}_buffers" minus one buffer (${busyText} > ${buffers.count - 1} × ${formatSize(buffers.size)} = ${formatSize(allButOne)})`,
      involved: present(busy?.node, buffers.node, bufferSize.node),
    };
  }
  if (tempWrite && tempWrite.bytes < size) {
    return {
      message: `"${m}_temp_file_write_size" must be equal to or greater than ${reference()} (${formatSize(tempWrite.bytes)} < ${formatSize(size)})`,
      involved: present(tempWrite.node, sizeNode),
    };
  }
  if (maxTemp && maxTemp.bytes !== 0 && maxTemp.bytes < size) {
    return {
      message: `"${m}_max_temp_file_size" must be equal to zero to disable temporary files usage or must be equal to or greater than ${reference()} (${formatSize(maxTemp.bytes)} < ${formatSize(size)})`,
      involved: present(maxTemp.node, sizeNode),
    };
  }
  return undefined;
}

/** The directive set in the innermost block, where a fix changes the fewest other blocks. */
function innermost(nodes: readonly NginxNode[]): NginxNode {
  const depth = (node: NginxNode) => {
    let levels = 0;
    for (let level = node.parent; level; level = level.parent) levels++;
    return levels;
  };
  return nodes.reduce((best, node) => (depth(node) > depth(best) ? node : best));
}

/**
 * The fewest directives that give a block a header buffer of `bufferSize` with sizes nginx accepts: the
 * first of these that passes nginx's checks — the buffer size alone; with the busy size at nginx's
 * default (twice the larger buffer) where one is set; with `*_buffers 16 16k` (more when the busy size
 * needs it); with both. Undefined when none does (a temp-file size still disagrees).
 */
function fixPlan(config: BufferConfig, bufferSize: number): DirectiveValue[] | undefined {
  const m = config.module;
  const base: DirectiveValue[] = bufferSize === config.bufferSize.bytes ? [] : [{ name: `${m}_buffer_size`, value: formatSize(bufferSize), current: config.bufferSize.node }];
  const withSize = { ...config, bufferSize: { bytes: bufferSize } };
  if (!config.buffers) return base;
  const candidates: Array<{ buffers?: { count: number; size: number }; resetBusy: boolean }> = [
    { resetBusy: false },
    { resetBusy: true },
    { buffers: FIXED_BUFFERS, resetBusy: false },
    { buffers: FIXED_BUFFERS, resetBusy: true },
  ];
  for (const candidate of candidates) {
    if (candidate.resetBusy && !config.busy) continue;
    const buffers = candidate.buffers ?? config.buffers;
    const size = Math.max(bufferSize, buffers.size);
    const busy = candidate.resetBusy ? 2 * size : config.busy?.bytes;
    // Enough buffers for the busy size: nginx wants it no more than all of them minus one.
    const count = candidate.buffers ? Math.max(buffers.count, Math.ceil((busy ?? 2 * size) / buffers.size) + 1) : buffers.count;
    const planned = { ...withSize, buffers: { count, size: buffers.size }, busy: busy === undefined ? undefined : { bytes: busy } };
    if (firstProblem(planned)) continue;
    return [
      ...base,
      ...(candidate.buffers ? [{ name: `${m}_buffers`, value: `${count} ${formatSize(buffers.size)}`, current: config.buffers.node }] : []),
      ...(candidate.resetBusy ? [{ name: `${m}_busy_buffers_size`, value: formatSize(busy!), current: config.busy!.node }] : []),
    ];
  }
  return undefined;
}

function advice(plan: DirectiveValue[] | undefined, module: Module): string {
  if (!plan || plan.length === 0) return `Make "${module}_buffer_size", "${module}_buffers" and "${module}_busy_buffers_size" agree.`;
  return `Set ${plan.map((d) => `"${d.name} ${d.value};"`).join(' and ')}.`;
}

function fixes(anchor: NginxNode, plan: DirectiveValue[] | undefined): Fix[] {
  if (!plan || plan.length === 0) return [];
  return [{ title: `Set ${plan.map((d) => `${d.name} ${d.value}`).join(', ')}`, isPreferred: true, edits: setInBlockEdits(anchor, plan) }];
}

function argsRange(node: NginxNode): Range {
  const args = node.directive.args;
  return { start: args[0].range.start, end: args[args.length - 1].range.end };
}

/** Sizes as nginx users write them: `32k`, `1m`, else bytes. */
function formatSize(bytes: number): string {
  if (bytes % (KB * KB) === 0) return `${bytes / (KB * KB)}m`;
  if (bytes % KB === 0) return `${bytes / KB}k`;
  return String(bytes);
}
