/**
 * Names a config writes are looked up in tables of known ones. A plain object as the table also "knows" what every
 * object inherits (`constructor`, `toString`, `__proto__`…): such a name typed in a config must be read as any other
 * unknown name, never as a value from the object's prototype.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { documentSymbolsOf } from '../../../server/src/features/symbols';
import { SYMBOL_KIND } from '../../../server/src/features/symbols-types';
import { childContext, MAIN_CONTEXT, RAW_CONTEXT } from '../../../server/src/model/nginx-context';
import { parsePassTarget, passEndpoint, targetPort } from '../../../server/src/model/targets';
import { decodeBody } from '../../../server/src/probe/body';
import { parseGoDuration } from '../../../server/src/rules/cloudflared/lib/go-duration';
import { workspace } from '../engine-harness';

const INHERITED = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

test('a pass to an unknown scheme has no default port', () => {
  // `__proto__` cannot be a scheme (no `_` in one).
  for (const name of INHERITED.filter((inherited) => /^[a-z]+$/i.test(inherited))) {
    const target = parsePassTarget(`${name}://backend`);
    assert.equal(target.scheme, name.toLowerCase());
    assert.equal(targetPort(target), undefined, name);
    assert.equal(passEndpoint(target), undefined, name);
  }
});

test('a block of an unknown name opens a raw context, not a family of its own', () => {
  const http = childContext(MAIN_CONTEXT, 'http');
  for (const name of INHERITED) {
    assert.equal(childContext(MAIN_CONTEXT, name), RAW_CONTEXT, name);
    assert.equal(childContext(http, name), RAW_CONTEXT, name);
  }
});

test('a cloudflared duration with an unknown unit is refused as cloudflared refuses it', () => {
  for (const name of INHERITED) {
    assert.deepEqual(parseGoDuration(`1${name}`), { error: `time: unknown unit "${name}" in duration "1${name}"` });
  }
});

test('an nginx block of an unknown name is outlined as an object', () => {
  const text = INHERITED.map((name) => `${name} { }\n`).join('');
  const { engine } = workspace({ '/o/nginx/odd.conf': text });
  assert.deepEqual(documentSymbolsOf(engine, '/o/nginx/odd.conf')?.map((symbol) => [symbol.name, symbol.kind]), INHERITED.map((name) => [name, SYMBOL_KIND.Object]));
});

test('a probed body in a coding of an inherited name is not decoded (as one Node cannot decode)', () => {
  for (const name of INHERITED) assert.equal(decodeBody(Buffer.from('body'), name, false), undefined, name);
});
