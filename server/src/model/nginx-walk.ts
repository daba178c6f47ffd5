import type { NginxNode, NginxTree } from './nginx-tree';
import type { WorkspaceModel } from './workspace';

/** Visits every directive occurrence of every nginx tree, depth first, in document order. */
export function forEachNginxNode(
  source: Pick<WorkspaceModel, 'nginxTrees'> | readonly NginxTree[],
  visit: (node: NginxNode, tree: NginxTree) => void,
): void {
  const trees = Array.isArray(source) ? source : (source as Pick<WorkspaceModel, 'nginxTrees'>).nginxTrees;
  for (const tree of trees) {
    // Indexed: an iterator here allocated a result object for every node of every walk.
    const nodes = tree.inOrder;
    for (let i = 0; i < nodes.length; i++) visit(nodes[i], tree);
  }
}
