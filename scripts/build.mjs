// Bundles the client, the language server and the CLI into dist/ with esbuild.
//   --if-missing   build only when dist/ lacks a bundle (npm start on a fresh clone)
//   --production   minify, no source maps (the .vsix)
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
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
