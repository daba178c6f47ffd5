import type { Settings } from '../core/settings';
import { capacityFormula, fpmCapacity, spareServers } from '../model/fpm-capacity';

/**
 * The blocks people write by hand, as LSP snippets (`${1:default}`, `${2|a,b|}` tab stops). Literal text is
 * escaped by `snippet`, so nginx variables and regexes are written here as they appear in the config.
 */
export interface SnippetTemplate {
  label: string;
  detail: string;
  /** In LSP snippet syntax. */
  body: string;
}

/** A tab stop, already in snippet syntax. */
interface TabStop {
  snippet: string;
}

function tab(index: number, placeholder: string): TabStop {
  return { snippet: `\${${index}:${placeholder.replace(/[\\$}]/g, '\\$&')}}` };
}

/** A choice between values, the first one preselected; a single value is a plain placeholder. */
function choice(index: number, values: readonly string[]): TabStop {
  const distinct = [...new Set(values)];
  if (distinct.length === 1) return tab(index, distinct[0]);
  return { snippet: `\${${index}|${distinct.map((v) => v.replace(/[\\$}|,]/g, '\\$&')).join(',')}|}` };
}

/** Repeats the value typed at a tab stop. */
function mirror(index: number): TabStop {
  return { snippet: `$${index}` };
}

/** Template literal tag: written text and interpolated values are escaped, interpolated tab stops are not. */
function snippet(strings: TemplateStringsArray, ...parts: Array<TabStop | string | number>): string {
  const escape = (text: string) => text.replace(/[\\$}]/g, '\\$&');
  return strings.map((text, i) => {
    const part = parts[i];
    return escape(text) + (part === undefined ? '' : typeof part === 'object' ? part.snippet : escape(String(part)));
  }).join('');
}

/**
 * A location proxying to an app behind Cloudflare: the headers that keep the visitor's host, address and
 * scheme, and HTTP/1.1 without `Connection: close` so upstream keepalive works.
 */
export function reverseProxyLocation(targets: readonly string[]): SnippetTemplate {
  return {
    label: 'location (reverse proxy)',
    detail: 'location that proxies to an app, with the headers a Cloudflare origin needs',
    body: snippet`location ${tab(1, '/')} {
\tproxy_pass ${choice(2, [...targets, 'http://127.0.0.1:3000'])};
\tproxy_http_version 1.1;
\tproxy_set_header Connection "";
\tproxy_set_header Host $host;
\tproxy_set_header X-Real-IP $remote_addr;
\tproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
\tproxy_set_header X-Forwarded-Proto $scheme;
\tproxy_set_header CF-Connecting-IP $http_cf_connecting_ip;
}`,
  };
}

/** A PHP location passing existing scripts to a PHP-FPM pool of the workspace (its `listen` as nginx writes it). */
export function phpLocation(poolAddresses: readonly string[]): SnippetTemplate {
  return {
    label: 'location (PHP-FPM)',
    detail: 'location that passes .php scripts to a PHP-FPM pool',
    body: snippet`location ~ \\.php$ {
\ttry_files $fastcgi_script_name =404;
\tinclude fastcgi_params;
\tfastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;
\tfastcgi_pass ${choice(1, [...poolAddresses, 'unix:/run/php/php-fpm.sock'])};
}`,
  };
}

/**
 * A pool sized by the capacity model: floor((memory − reserved) / memory per child) children, 5 (php-fpm's
 * sample) while the server's memory is unknown; spare servers in the sample's proportions.
 */
export function fpmPool(settings: Settings): SnippetTemplate {
  const capacity = fpmCapacity(settings);
  const maxChildren = capacity ? Math.max(1, capacity.workers) : 5;
  const reason = capacity ? `pm.max_children = ${capacityFormula(settings)}` : 'set originDoctor.server.memoryMB to size pm.max_children from the server\'s memory';
  const spare = spareServers(maxChildren);
  return {
    label: 'pool',
    detail: `PHP-FPM pool, pm.max_children ${maxChildren}`,
    body: snippet`[${tab(1, 'www')}]
user = ${tab(2, 'www-data')}
group = ${tab(3, 'www-data')}
listen = /run/php/${mirror(1)}.sock
listen.owner = www-data
listen.group = www-data
listen.mode = 0660
pm = dynamic
; ${reason}
pm.max_children = ${maxChildren}
pm.start_servers = ${spare.start}
pm.min_spare_servers = ${spare.minSpare}
pm.max_spare_servers = ${spare.maxSpare}`,
  };
}

/**
 * An ingress rule, and the catch-all rule cloudflared requires last (`withCatchAll`). `asKey` writes the
 * `ingress:` key too, for a config that has none yet.
 */
export function ingressRule(services: readonly string[], withCatchAll: boolean, asKey: boolean): SnippetTemplate {
  // Written from the rule's `-`: the editor indents the lines after the first like the line it inserts on.
  const rule = snippet`hostname: ${tab(1, 'app.example.com')}
  service: ${choice(2, [...services, 'http://127.0.0.1:80'])}${withCatchAll ? '\n- service: http_status:404' : ''}`;
  const body = asKey ? `ingress:\n  - ${rule.replace(/\n/g, '\n  ')}` : rule;
  return {
    label: asKey ? 'ingress (rule + catch-all)' : withCatchAll ? 'ingress rule + catch-all' : 'ingress rule',
    detail: 'cloudflared ingress rule routing a hostname to a service',
    body,
  };
}

/** What a snippet inserts with its defaults: the first choice, each placeholder's text (mirrors too), no tab stops. */
export function snippetPreview(body: string): string {
  const PLACEHOLDER = /\$\{(\d+):((?:\\.|[^}\\])*)\}/g;
  const defaults = new Map<string, string>();
  for (const [, index, text] of body.matchAll(PLACEHOLDER)) defaults.set(index, text);
  return body
    .replace(/\$\{\d+\|((?:\\.|[^,|\\])*)(?:,(?:\\.|[^,|\\])*)*\|\}/g, '$1')
    .replace(PLACEHOLDER, '$2')
    .replace(/(?<!\\)\$(\d+)/g, (_, index: string) => defaults.get(index) ?? '')
    .replace(/\\([\\$}|,])/g, '$1');
}
