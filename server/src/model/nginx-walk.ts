import type { NginxNode, NginxTree } from './nginx-tree';
import type { WorkspaceModel } from './workspace';

/** Visits every directive occurrence of every nginx tree, depth first, in document order, without recursion. */
export function forEachNginxNode(
  source: Pick<WorkspaceModel, 'nginxTrees'> | readonly NginxTree[],
  visit: (node: NginxNode, tree: NginxTree) => void,
): void {
  const trees = Array.isArray(source) ? source : (source as Pick<WorkspaceModel, 'nginxTrees'>).nginxTrees;
  for (const tree of trees) {
    const stack: NginxNode[] = [...tree.nodes].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      visit(node, tree);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
  }
}

/** The `include` that brought this directive's file into the tree, if it was included. */
export function includeSiteOf(node: NginxNode): NginxNode | undefined {
  let top = node;
  while (top.parent && top.parent.file === node.file) top = top.parent;
  return top.includedBy;
}
