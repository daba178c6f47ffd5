/**
 * The editor's requests on a small origin of any text (see origins.ts), at any place of any of its files: hover,
 * completion, outline, folding, links, formatting, go to definition and references, the origin map and the probe's
 * targets. None may throw, and every range an answer holds must lie inside its document.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { resolveSettings } from '../../../server/src/core/settings';
import { LineIndex, type Position, type Range } from '../../../server/src/core/text';
import { completionsAt, resolveCompletion } from '../../../server/src/features/completion';
import { foldingRangesOf } from '../../../server/src/features/folding';
import { formatEdits } from '../../../server/src/features/format';
import { gzipToggleActions } from '../../../server/src/features/gzip-toggle';
import { hoverAt } from '../../../server/src/features/hover';
import { documentLinksOf } from '../../../server/src/features/links';
import { definitionAt, referencesAt } from '../../../server/src/features/origin-links';
import { originMap } from '../../../server/src/features/origin-map';
import { probeTargets } from '../../../server/src/features/probe-targets';
import { documentSymbolsOf, workspaceSymbolsOf } from '../../../server/src/features/symbols';
import type { OutlineSymbol } from '../../../server/src/features/symbols-types';
import type { ParsedFile } from '../../../server/src/model/workspace';
import type { NginxParseResult } from '../../../server/src/parsers/nginx/ast';
import { workspace } from '../engine-harness';
import { fuzzParameters } from './budget';
import { anyOrigin, anySettings, ORIGIN_KINDS } from './origins';
import { assertRangeInside } from './ranges';

/** Cases in `npm test` (a few seconds); `npm run fuzz` runs 50 times as many. */
const CASES = 200;

/** A place in one file of the origin, and a second one for the requests that take a range. */
interface Place {
  path: string;
  /** Fractions of the file's lines and of the line's length: any file gets a place inside it. */
  line: number;
  character: number;
  otherLine: number;
  otherCharacter: number;
  /** A word typed into the workspace symbol search. */
  query: string;
}

const anyPlace: fc.Arbitrary<Place> = fc.record({
  path: fc.constantFrom(...Object.keys(ORIGIN_KINDS)),
  line: fc.double({ min: 0, max: 1, noNaN: true }),
  character: fc.double({ min: 0, max: 1, noNaN: true }),
  otherLine: fc.double({ min: 0, max: 1, noNaN: true }),
  otherCharacter: fc.double({ min: 0, max: 1, noNaN: true }),
  query: fc.constantFrom('', 'a', 'shop', 'www', 'server', 'upstream', 'backend', 'location'),
});

function positionIn(lines: LineIndex, lineFraction: number, characterFraction: number): Position {
  const line = Math.min(lines.lineCount - 1, Math.floor(lineFraction * lines.lineCount));
  const length = lines.lineEnd(line) - lines.lineStarts[line];
  return { line, character: Math.min(length, Math.floor(characterFraction * (length + 1))) };
}

function* outlineRanges(symbols: readonly OutlineSymbol[]): Generator<[string, Range]> {
  const pending = [...symbols];
  for (let symbol = pending.pop(); symbol; symbol = pending.pop()) {
    yield [`symbol ${symbol.name}`, symbol.range];
    yield [`selection of symbol ${symbol.name}`, symbol.selectionRange];
    pending.push(...(symbol.children ?? []));
  }
}

test('every editor request at any place of a damaged or arbitrary origin: none throws, every range inside its document', () => {
  fc.assert(
    fc.property(anyOrigin, anySettings, anyPlace, (texts, userSettings, place) => {
      const { engine, host } = workspace(texts, userSettings, { kinds: ORIGIN_KINDS });
      const { model } = engine.analyze();
      const { path } = place;
      const lines = new LineIndex(texts[path]);
      const inside = (range: Range, what: string, file = path) => assertRangeInside(file === path ? lines : new LineIndex(texts[file]), range, `${what} in ${file}`);
      const position = positionIn(lines, place.line, place.character);
      const other = positionIn(lines, place.otherLine, place.otherCharacter);
      const range = other.line < position.line || (other.line === position.line && other.character < position.character)
        ? { start: other, end: position }
        : { start: position, end: other };

      hoverAt(engine, path, position);
      for (const entry of completionsAt(engine, path, position, resolveSettings(userSettings))) {
        inside(entry.textEdit.range, `completion ${entry.label}`);
        resolveCompletion(entry);
      }
      for (const fold of foldingRangesOf(engine, path) ?? []) {
        assert.ok(fold.startLine >= 0 && fold.startLine <= fold.endLine && fold.endLine < lines.lineCount, `fold ${fold.startLine}-${fold.endLine} in ${path} of ${lines.lineCount} lines`);
      }
      for (const [what, symbolRange] of outlineRanges(documentSymbolsOf(engine, path) ?? [])) inside(symbolRange, what);
      for (const symbol of workspaceSymbolsOf(engine, place.query)) inside(symbol.range, `workspace symbol ${symbol.name}`, symbol.file);
      for (const link of documentLinksOf(engine, path, host)) inside(link.range, `link to ${link.target}`);
      const extraDirectives = resolveSettings(userSettings).nginx.extraDirectives;
      for (const options of [{ tabSize: 4, insertSpaces: true }, { tabSize: 2, insertSpaces: false, alignMapValues: true }]) {
        for (const edit of formatEdits(ORIGIN_KINDS[path], texts[path], options, extraDirectives) ?? []) inside(edit.range, 'formatting edit');
        for (const edit of formatEdits(ORIGIN_KINDS[path], texts[path], options, extraDirectives, range) ?? []) inside(edit.range, 'range formatting edit');
      }
      for (const target of [...definitionAt(model, path, position), ...referencesAt(model, path, position)]) inside(target.range, 'definition or reference', target.file);
      originMap(model.origin);
      probeTargets(model);
      const file = engine.parsedFile(path);
      if (ORIGIN_KINDS[path] === 'nginx' && file) {
        for (const fix of gzipToggleActions(file as ParsedFile<NginxParseResult>, range)) for (const edit of fix.edits) inside(edit.range, `${fix.title} edit`, edit.file);
      }
    }),
    fuzzParameters(CASES),
  );
});
