import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './paths';

/** What scripts/editor-tools.mjs installs (into .cache/editor-tools/) and finds. */
export interface EditorTools {
  /** Node 24's binary: code-server 4.139 runs under Node 24 only. */
  node: string;
  nodeVersion: string;
  /** code-server's entry script, run with `node`. */
  codeServer: string;
  codeServerVersion: string;
  /** Debian's Chromium, driven by playwright-core. */
  chromium: string;
}

interface EditorToolsModule {
  ensureEditorTools(options?: { log?: (line: string) => void }): Promise<EditorTools>;
}

/** The tools, installed first when this machine does not have them yet; rejects with the reason when it cannot. */
export async function editorTools(log: (line: string) => void = (line) => console.log(line)): Promise<EditorTools> {
  const script = pathToFileURL(join(REPO_ROOT, 'scripts', 'editor-tools.mjs')).href;
  const tools = (await import(script)) as EditorToolsModule;
  return tools.ensureEditorTools({ log });
}
