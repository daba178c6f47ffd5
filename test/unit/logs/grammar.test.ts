import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { causeOf } from '../../../server/src/logs/causes';
import { parseLogLine } from '../../../server/src/logs/log-event';
import { FIXTURES, readFixtureLog } from './fixture-workspace';

const SYNTAXES = join(__dirname, '..', '..', '..', '..', 'syntaxes');

interface Grammar {
  scopeName: string;
  repository: Record<string, { begin?: string; match?: string; patterns?: Array<{ match?: string }> }>;
}

function grammar(name: string): Grammar {
  return JSON.parse(readFileSync(join(SYNTAXES, name), 'utf8')) as Grammar;
}

/** The grammars use only syntax Oniguruma and JavaScript share, so their patterns can be checked here. */
function patterns(g: Grammar): string[] {
  return Object.values(g.repository).flatMap((rule) => [rule.begin, rule.match, ...(rule.patterns ?? []).map((p) => p.match)]).filter((p): p is string => p !== undefined);
}

const LOGS = readdirSync(FIXTURES).filter((name) => name.endsWith('.log'));

for (const [file, program, scope] of [['nginx-error-log.tmLanguage.json', 'nginx', 'text.log.nginx-error'], ['php-fpm-log.tmLanguage.json', 'php-fpm', 'text.log.php-fpm']] as const) {
  test(`${file}: every captured ${program} line starts a line rule, every cause message is a cause token`, () => {
    const g = grammar(file);
    assert.equal(g.scopeName, scope);
    for (const source of patterns(g)) assert.doesNotThrow(() => new RegExp(source), source);
    const line = new RegExp(g.repository.line.begin!);
    const cause = new RegExp(g.repository.cause.match!);
    const lines = LOGS.flatMap((name) => readFixtureLog(name).split('\n')).filter((l) => parseLogLine(l)?.program === program);
    assert.ok(lines.length > 10);
    for (const text of lines) {
      assert.match(text, line);
      if (causeOf(parseLogLine(text)!)) assert.match(text, cause);
    }
  });
}
