import { nginxDirective, type NginxDirectiveInfo } from '../reference/nginx';
import { definitionsAllowedIn, type NginxContext } from './nginx-context';
import type { NginxNode, NginxTree } from './nginx-tree';
import type { WorkspaceModel } from './workspace';

/** Visits every directive occurrence of every nginx tree, depth first, in document order. */
export function forEachNginxNode(
  source: Pick<WorkspaceModel, 'nginxTrees'> | readonly NginxTree[],
  visit: (node: NginxNode, tree: NginxTree) => void,
): void {
  for (const tree of treesOf(source)) {
    // Indexed: an iterator here allocated a result object for every node of every walk.
    const nodes = tree.inOrder;
    for (let i = 0; i < nodes.length; i++) visit(nodes[i], tree);
  }
}

/**
 * Visits the directive occurrences called one of `names`, tree by tree, each tree's in document order: a rule that
 * looks at a few directives reads only theirs, not every node of a big config.
 */
export function forEachNamedNode(
  source: Pick<WorkspaceModel, 'nginxTrees'> | readonly NginxTree[],
  names: readonly string[],
  visit: (node: NginxNode, tree: NginxTree) => void,
): void {
  for (const tree of treesOf(source)) {
    const nodes = nodesNamed(tree, names);
    for (let i = 0; i < nodes.length; i++) visit(nodes[i], tree);
  }
}

/**
 * The directive occurrences of a tree, of names nginx documents, that a rule picks; in document order. `judgeFor` is
 * given the definitions nginx accepts for a name where it stands and answers with the test for each node there, or
 * undefined when none there can be picked: asked once per name and context, not once per directive.
 */
export function nodesJudgedInPlace(
  tree: NginxTree,
  judgeFor: (allowed: readonly NginxDirectiveInfo[]) => ((node: NginxNode) => boolean) | undefined,
): NginxNode[] {
  const picked: NginxNode[] = [];
  for (const [name, nodes] of tree.byName) {
    if (nginxDirective(name).length === 0) continue;
    let context: NginxContext | undefined;
    let judge: ((node: NginxNode) => boolean) | undefined;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.context !== context) {
        context = node.context;
        judge = judgeFor(definitionsAllowedIn(name, context));
      }
      if (judge !== undefined && judge(node)) picked.push(node);
    }
  }
  return picked.sort((a, b) => a.order - b.order);
}

const NO_NODES: readonly NginxNode[] = [];

/** A tree's nodes called one of `names`, in document order. */
export function nodesNamed(tree: NginxTree, names: readonly string[]): readonly NginxNode[] {
  const lists: (readonly NginxNode[])[] = [];
  for (const name of names) {
    const named = tree.byName.get(name);
    if (named) lists.push(named);
  }
  if (lists.length === 0) return NO_NODES;
  if (lists.length === 1) return lists[0];
  if (lists.length === 2) return mergeInOrder(lists[0], lists[1]);
  // Merging them one by one would take time in the square of their number (a file of unknown names has thousands).
  return lists.flat().sort((a, b) => a.order - b.order);
}

/** Two lists of one tree's nodes, each in document order, as one. */
function mergeInOrder(a: readonly NginxNode[], b: readonly NginxNode[]): NginxNode[] {
  const merged = new Array<NginxNode>(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < merged.length; k++) merged[k] = j >= b.length || (i < a.length && a[i].order < b[j].order) ? a[i++] : b[j++];
  return merged;
}

function treesOf(source: Pick<WorkspaceModel, 'nginxTrees'> | readonly NginxTree[]): readonly NginxTree[] {
  return Array.isArray(source) ? source : (source as Pick<WorkspaceModel, 'nginxTrees'>).nginxTrees;
}
