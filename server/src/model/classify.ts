/**
 * Which of our formats a file holds, decided the same way in the server, the client and the CLI:
 * first by the well-known names and folders of each program, then by content.
 */
export type FileKind = 'nginx' | 'php-fpm' | 'cloudflared' | 'compose';

const NGINX_NAMES = new Set([
  'nginx.conf', 'fastcgi_params', 'fastcgi.conf', 'proxy_params', 'uwsgi_params', 'scgi_params', 'mime.types',
]);
const COMPOSE_NAMES = new Set(['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml']);

/** Significant lines read before deciding: enough for any real config, bounded for huge files. */
const LINES_SAMPLED = 400;

export function classifyFile(path: string, text: string): FileKind | undefined {
  return classifyByPath(path, text) ?? classifyByContent(path, text);
}

/** The names and folders each program's packages use (the patterns the extension contributes). */
export function classifyByPath(path: string, text = ''): FileKind | undefined {
  const normalized = path.replace(/\\/g, '/');
  const base = normalized.slice(normalized.lastIndexOf('/') + 1);
  const dirs = normalized.slice(0, normalized.length - base.length);
  if (COMPOSE_NAMES.has(base)) return 'compose';
  if (isYamlName(base)) {
    if (/(^|\/)\.?cloudflared\/$/.test(dirs)) return 'cloudflared';
    return undefined;
  }
  if (base === 'php-fpm.conf') return 'php-fpm';
  if (base.endsWith('.conf') && /(^|\/)(php-fpm\.d|pool\.d|fpm)\//.test(dirs)) return 'php-fpm';
  if (NGINX_NAMES.has(base) || base.endsWith('.nginx')) return 'nginx';
  if (/(^|\/)(sites-available|sites-enabled)\/$/.test(dirs)) return 'nginx';
  if (/(^|\/)nginx\//.test(dirs) && (base.endsWith('.conf') || base.endsWith('.conf.template'))) {
    // A php-fpm pool kept under an nginx folder still says so in its content.
    return classifyByContent(path, text) === 'php-fpm' ? 'php-fpm' : 'nginx';
  }
  return undefined;
}

/** Content alone: `;`-terminated directives and `{ }` blocks are nginx, `[section]`/`key = value` is PHP-FPM. */
export function classifyByContent(fileName: string, text: string): FileKind | undefined {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? '';
  if (isYamlName(base)) {
    if (COMPOSE_NAMES.has(base)) return 'compose';
    return /^(tunnel|ingress)[ \t]*:/m.test(text) ? 'cloudflared' : undefined;
  }
  let nginxVotes = 0;
  let fpmVotes = 0;
  let sampled = 0;
  const lineBreak = /\r\n|\r|\n/g;
  for (let start = 0; start <= text.length; ) {
    const match = lineBreak.exec(text);
    const end = match ? match.index : text.length;
    const line = text.slice(start, end).trim();
    start = match ? end + match[0].length : text.length + 1;
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (++sampled > LINES_SAMPLED) break;
    if (/^\[[^\]]+\]$/.test(line) || /^[A-Za-z_][\w.]*(\[[^\]]*\])?\s*=/.test(line)) fpmVotes++;
    else if (/[;{}]\s*(#.*)?$/.test(line)) nginxVotes++;
  }
  if (nginxVotes === 0 && fpmVotes === 0) return undefined;
  // A clear majority, so a stray line of the other shape does not flip the verdict.
  if (nginxVotes >= 2 * fpmVotes) return 'nginx';
  if (fpmVotes >= 2 * nginxVotes) return 'php-fpm';
  return undefined;
}

function isYamlName(base: string): boolean {
  return base.endsWith('.yml') || base.endsWith('.yaml');
}
