import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveSettings } from '../../../server/src/core/settings';
import { Engine, type Analysis } from '../../../server/src/engine/engine';
import { explainGroups, type ExplainedCause } from '../../../server/src/logs/explain';
import { analyzeLogText } from '../../../server/src/logs/log-reader';
import { classifyFile } from '../../../server/src/model/classify';
import { OverlayFileSystem } from '../../../server/src/model/host';

/** The logs captured from real nginx and PHP-FPM (test/programs/logs-capture.test.ts) and the origin that wrote them. */
export const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'logs');
/** Where the captured origin stood, as its logs and configs name it. */
export const ORIGIN_ROOT = '/srv/origin';

export function readFixtureLog(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The captured origin's files, by path relative to its folder. */
export function readFixtureOrigin(): Record<string, string> {
  const dir = join(FIXTURES, 'origin');
  const files = (folder: string): string[] => readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(join(folder, entry.name)) : [join(folder, entry.name)]));
  return Object.fromEntries(files(dir).map((path) => [relative(dir, path).split('\\').join('/'), readFileSync(path, 'utf8')]));
}

/** The origin's configs analysed as the editor would, each file at its place under /srv/origin. */
export function originAnalysis(files: Record<string, string> = readFixtureOrigin()): Analysis {
  const host = new OverlayFileSystem();
  const engine = new Engine(host, resolveSettings({}));
  for (const [path, text] of Object.entries(files)) {
    const id = `${ORIGIN_ROOT}/${path}`;
    host.set(id, text);
    const kind = classifyFile(id, text);
    if (kind) engine.setFile(id, text, kind);
  }
  return engine.analyze();
}

/** A log explained against the captured origin (or `files`, an origin of the test's own). */
export function explainLog(text: string, files?: Record<string, string>): ExplainedCause[] {
  return explainGroups(analyzeLogText(text).groups, originAnalysis(files));
}
