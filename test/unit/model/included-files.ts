import { workspace } from '../engine-harness';

/** The files the configuration rooted at `root` reads, in the order its tree holds them. */
export function includedFiles(files: Record<string, string>, root: string): string[] {
  const { engine } = workspace(files);
  const tree = engine.analyze().model.nginxTrees.find((candidate) => candidate.root.id === root);
  return tree ? [...tree.files.keys()] : [];
}
