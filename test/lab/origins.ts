import { burst, type BurstOptions, type Reply } from './burst';
import { FASTCGI_PARAMS, nginxMainConfig, nginxService, type NginxOptions } from './nginx-service';
import { FPM_CONF, FPM_POOL_DIR, phpFpmMainConfig, phpFpmService } from './php-fpm-service';
import type { Site } from './scenario';
import type { Service } from './processes';

/** The main nginx config of every origin, relative to the origin folder. */
export const NGINX_CONF = 'nginx/nginx.conf';
export const FPM_POOL = `${FPM_POOL_DIR}/www.conf`;
/** The document root PHP scripts are written to. */
export const WEB_ROOT = 'www';

export interface PhpOrigin {
  /** The `server` blocks of nginx's `http` block. */
  servers: string;
  /** The pool file's text. */
  pool: string;
  /** PHP scripts by file name, in the web root. */
  scripts: Record<string, string>;
}

/** nginx in front of PHP-FPM, laid out as on Debian: nginx/nginx.conf, php/fpm/pool.d/www.conf. */
export function writePhpOrigin(site: Site, origin: PhpOrigin): Service[] {
  const { folder } = site;
  folder.write(NGINX_CONF, nginxMainConfig(folder, origin.servers));
  folder.write('nginx/fastcgi_params', FASTCGI_PARAMS);
  folder.write(FPM_CONF, phpFpmMainConfig(folder));
  folder.write(FPM_POOL, origin.pool);
  folder.makeDir('run/php');
  for (const [name, text] of Object.entries(origin.scripts)) folder.write(`${WEB_ROOT}/${name}`, text);
  return [phpFpmService(folder), nginxService(folder)];
}

/** nginx alone (its backends are Node servers the scenario starts first). */
export function writeNginxOrigin(site: Site, servers: string, options: NginxOptions = {}): Service {
  site.folder.write(NGINX_CONF, nginxMainConfig(site.folder, servers));
  return nginxService(site.folder, options);
}

/** The visitors of most scenarios: 20 requests, 10 at a time, within 10 s. */
export function visitors(url: string, options: Partial<BurstOptions> = {}): () => Promise<Reply[]> {
  return () => burst({ url, requests: 20, concurrency: 10, deadlineMs: 10_000, ...options });
}

/** The PHP-FPM socket path Debian's php8.2-fpm uses, inside the origin folder. */
export function fpmSocket(site: Site, version = '8.2'): string {
  return site.folder.path(`run/php/php${version}-fpm.sock`);
}

/**
 * A site that passes *.php to PHP-FPM, as Debian's default site does; `extra` lines go into its PHP
 * location.
 */
export function phpServer(site: Site, options: { port: number; fastcgiPass?: string; extra?: readonly string[] }): string {
  const extra = (options.extra ?? []).map((line) => `\n            ${line}`).join('');
  return `    server {
        listen 127.0.0.1:${options.port};
        root ${site.folder.path(WEB_ROOT)};
        location ~ \\.php$ {
            include fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_pass ${options.fastcgiPass ?? `unix:${fpmSocket(site)}`};${extra}
        }
    }`;
}

/** Debian's www pool: www-data workers, a socket nginx's www-data workers may use; then `lines`. */
export function wwwPool(site: Site, lines: string): string {
  return `[www]
user = www-data
group = www-data
listen = ${fpmSocket(site)}
listen.owner = www-data
listen.group = www-data
${lines}`;
}
