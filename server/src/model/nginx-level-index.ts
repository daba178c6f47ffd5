import type { NginxNode } from './nginx-tree';

/**
 * One level's directives (a block's children, or a tree's top) by name, and its `include`s:
 * built once per level and model, so looking a setting up from every block of a big config stays linear.
 */
export interface LevelIndex {
  byName: Map<string, NginxNode[]>;
  includes: NginxNode[];
}

const levelIndexes = new WeakMap<readonly NginxNode[], LevelIndex>();

export function levelIndex(children: readonly NginxNode[]): LevelIndex {
  let index = levelIndexes.get(children);
  if (index) return index;
  index = { byName: new Map(), includes: [] };
  for (const child of children) {
    const name = child.directive.name;
    const list = index.byName.get(name);
    if (list) list.push(child);
    else index.byName.set(name, [child]);
    if (name === 'include') index.includes.push(child);
  }
  levelIndexes.set(children, index);
  return index;
}

/** Small blocks are faster to scan than to index; the index pays off on http levels with thousands of servers. */
const SCANNED_LEVEL = 16;

/** The first directive called `name` among a level's children. */
export function firstNamed(children: readonly NginxNode[], name: string): NginxNode | undefined {
  if (children.length >= SCANNED_LEVEL) return levelIndex(children).byName.get(name)?.[0];
  // A loop rather than `find`, whose callback would be made anew on each of the many lookups of a rule.
  for (let i = 0; i < children.length; i++) if (children[i].directive.name === name) return children[i];
  return undefined;
}

const NONE: readonly NginxNode[] = [];

/** Every directive called `name` among a level's children, in their order (a list not to be changed). */
export function allNamed(children: readonly NginxNode[], name: string): readonly NginxNode[] {
  if (children.length >= SCANNED_LEVEL) return levelIndex(children).byName.get(name) ?? NONE;
  let named: NginxNode[] | undefined;
  for (let i = 0; i < children.length; i++) if (children[i].directive.name === name) (named ??= []).push(children[i]);
  return named ?? NONE;
}

/** Whether a level holds an `include`. */
export function hasInclude(children: readonly NginxNode[]): boolean {
  return firstNamed(children, 'include') !== undefined;
}
