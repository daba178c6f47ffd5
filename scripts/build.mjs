// Bundles the client, the language server and the CLI into dist/ with esbuild.
//   --if-missing   build only when dist/ lacks a bundle (npm start on a fresh clone)
//   --production   minify, no source maps (the .vsix)
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const bundles = [
  { entry: 'client/src/extension.ts', out: 'dist/client.js', external: ['vscode'] },
  { entry: 'server/src/lsp/main.ts', out: 'dist/server.js' },
  { entry: 'server/src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
];

const present = bundles.filter((b) => existsSync(join(root, b.entry)));
if (args.has('--if-missing') && present.every((b) => existsSync(join(root, b.out)))) process.exit(0);

await Promise.all(
  present.map((b) =>
    build({
      absWorkingDir: root,
      entryPoints: [b.entry],
      outfile: b.out,
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      external: b.external ?? [],
      banner: b.banner ? { js: b.banner } : undefined,
      minify: production,
      sourcemap: !production,
      logLevel: 'warning',
    }),
  ),
);

// esbuild writes strings in ASCII but keeps some comments as written: one non-ASCII character makes V8 hold the whole
// bundle's source as two bytes a character, 3 MB more in every server for the life of the process.
for (const b of present) {
  const text = readFileSync(join(root, b.out), 'latin1');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) {
    const line = text.slice(0, at).split('\n').length;
    console.error(`build: ${b.out} line ${line} has a non-ASCII character (in a comment kept by esbuild?); write it in ASCII`);
    process.exit(1);
  }
}
