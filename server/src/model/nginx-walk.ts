import type { NginxNode, NginxTree } from './nginx-tree';
import type { WorkspaceModel } from './workspace';

/** Visits every directive occurrence of every nginx tree, depth first, in document order, without recursion. */
export function forEachNginxNode(
  source: Pick<WorkspaceModel, 'nginxTrees'> | readonly NginxTree[],
  visit: (node: NginxNode, tree: NginxTree) => void,
): void {
  const trees = Array.isArray(source) ? source : (source as Pick<WorkspaceModel, 'nginxTrees'>).nginxTrees;
  // The levels being walked and the next index in each: as deep as the nesting, where a stack of pending nodes
  // would grow as wide as the widest level (thousands of servers in one http block).
  const levels: (readonly NginxNode[])[] = [];
  const next: number[] = [];
  for (const tree of trees) {
    levels.push(tree.nodes);
    next.push(0);
    while (levels.length > 0) {
      const top = levels.length - 1;
      const level = levels[top];
      const index = next[top];
      if (index >= level.length) {
        levels.pop();
        next.pop();
        continue;
      }
      next[top] = index + 1;
      const node = level[index];
      visit(node, tree);
      if (node.children.length > 0) {
        levels.push(node.children);
        next.push(0);
      }
    }
  }
}

/** The `include` that brought this directive's file into the tree, if it was included. */
export function includeSiteOf(node: NginxNode): NginxNode | undefined {
  let top = node;
  while (top.parent && top.parent.file === node.file) top = top.parent;
  return top.includedBy;
}
