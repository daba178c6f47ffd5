/**
 * Small origins for the engine's property tests (nginx main config and site, PHP-FPM pool, cloudflared tunnel,
 * compose file), each file coherent with the others, lightly damaged or any text of its format; and the settings
 * the rules read.
 */
import fc from 'fast-check';
import type { FileKind } from '../../../server/src/model/classify';
import {
  cloudflaredText,
  CLOUDFLARED_TOKENS,
  coherentOrigin,
  composeText,
  COMPOSE_TOKENS,
  damaged,
  fpmText,
  FPM_TOKENS,
  nginxText,
  NGINX_TOKENS,
  type OriginTexts,
  withLineEnds,
} from './arbitraries';

/** Where each file of an origin lies in the workspace, and what it holds. */
const FILES: Record<keyof OriginTexts, { path: string; kind: FileKind }> = {
  nginxMain: { path: '/f/nginx/nginx.conf', kind: 'nginx' },
  nginxSite: { path: '/f/nginx/sites-enabled/shop.conf', kind: 'nginx' },
  fpmPool: { path: '/f/php-fpm/pool.d/www.conf', kind: 'php-fpm' },
  cloudflared: { path: '/f/cloudflared/config.yml', kind: 'cloudflared' },
  compose: { path: '/f/docker-compose.yml', kind: 'compose' },
};
export const ORIGIN_KINDS: Record<string, FileKind> = Object.fromEntries(Object.values(FILES).map(({ path, kind }) => [path, kind]));

export function originTexts(origin: OriginTexts): Record<string, string> {
  return Object.fromEntries(Object.entries(origin).map(([file, text]) => [FILES[file as keyof OriginTexts].path, text]));
}

/**
 * Each file of a coherent origin as it is, lightly damaged (with other line ends), or replaced by any text of its
 * format (the example damaged among them): rules see relations that hold, half-hold and break.
 */
function variants(text: string, tokens: readonly string[], anything: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(text) },
    { weight: 3, arbitrary: withLineEnds(damaged(fc.constant(text), tokens, 2)) },
    { weight: 2, arbitrary: anything },
  );
}

export const anyOrigin: fc.Arbitrary<Record<string, string>> = coherentOrigin
  .chain((files) => fc.record({
    nginxMain: variants(files.nginxMain, NGINX_TOKENS, nginxText),
    nginxSite: variants(files.nginxSite, NGINX_TOKENS, nginxText),
    fpmPool: variants(files.fpmPool, FPM_TOKENS, fpmText),
    cloudflared: variants(files.cloudflared, CLOUDFLARED_TOKENS, cloudflaredText),
    compose: variants(files.compose, COMPOSE_TOKENS, composeText),
  }))
  .map(originTexts);

/** The settings rules read: the nginx version whose defaults apply, memory for PHP-FPM sizing, Cloudflare in front. */
export const anySettings = fc.record({
  behindCloudflare: fc.boolean(),
  nginx: fc.record({
    version: fc.constantFrom('1.18.0', '1.22.1', '1.25.1', '1.27.4'),
    extraDirectives: fc.constantFrom([], ['client_max_body_szie']),
  }),
  server: fc.record({ memoryMB: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined }) }),
  phpFpm: fc.record({ processMemoryMB: fc.integer({ min: 1, max: 1024 }) }),
});
