import { existsSync, rmSync } from 'node:fs';
import { LogFile } from './log-file';
import type { OriginFolder } from './origin-folder';
import { LabProcess } from './processes';

export interface NginxOptions {
  /** The main config, relative to the origin folder. */
  conf?: string;
  /** A hosts file nginx sees as /etc/hosts (in its own mount namespace; the machine's stays as it is). */
  hostsFile?: string;
}

/** The error log every nginx of the lab writes, relative to the origin folder. */
export const NGINX_ERROR_LOG = 'log/nginx-error.log';

/**
 * Debian's nginx in the foreground with a master and workers, its pid file and error log in the
 * origin folder (given with -g, so the config under test stays as a site would write it).
 */
export function nginxService(origin: OriginFolder, options: NginxOptions = {}): LabProcess {
  const pidFile = origin.path('run/nginx.pid');
  const globals = `daemon off; master_process on; pid ${pidFile}; error_log ${origin.path(NGINX_ERROR_LOG)};`;
  const nginx = ['nginx', '-p', `${origin.path('nginx')}/`, '-c', origin.path(options.conf ?? 'nginx/nginx.conf'), '-g', globals];
  // `mount --bind` over /etc/hosts inside a private mount namespace: seen by this nginx alone.
  const [command, ...args] = options.hostsFile
    ? ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', options.hostsFile, ...nginx]
    : nginx;
  return new LabProcess({
    name: 'nginx',
    command,
    args,
    output: new LogFile(origin.path('log/nginx.out')),
    // nginx writes its pid file once its listening sockets are open.
    ready: () => existsSync(pidFile),
    beforeStart: () => rmSync(pidFile, { force: true }),
  });
}

/**
 * The parts of a main config that keep nginx inside the origin folder: temp paths and the access
 * log. Workers run as www-data, as on Debian.
 */
export function nginxMainConfig(origin: OriginFolder, httpBody: string): string {
  const tmp = (name: string) => origin.path(`tmp/nginx-${name}`);
  return `user www-data;
worker_processes 1;

events {
    worker_connections 512;
}

http {
    access_log ${origin.path('log/nginx-access.log')};
    client_body_temp_path ${tmp('body')};
    proxy_temp_path ${tmp('proxy')};
    fastcgi_temp_path ${tmp('fastcgi')};
    uwsgi_temp_path ${tmp('uwsgi')};
    scgi_temp_path ${tmp('scgi')};

${httpBody}
}
`;
}

/** The FastCGI parameters PHP-FPM needs, as Debian's fastcgi_params gives them. */
export const FASTCGI_PARAMS = `fastcgi_param  QUERY_STRING       $query_string;
fastcgi_param  REQUEST_METHOD     $request_method;
fastcgi_param  CONTENT_TYPE       $content_type;
fastcgi_param  CONTENT_LENGTH     $content_length;
fastcgi_param  SCRIPT_NAME        $fastcgi_script_name;
fastcgi_param  REQUEST_URI        $request_uri;
fastcgi_param  DOCUMENT_URI       $document_uri;
fastcgi_param  DOCUMENT_ROOT      $document_root;
fastcgi_param  SERVER_PROTOCOL    $server_protocol;
fastcgi_param  GATEWAY_INTERFACE  CGI/1.1;
fastcgi_param  SERVER_SOFTWARE    nginx/$nginx_version;
fastcgi_param  REMOTE_ADDR        $remote_addr;
fastcgi_param  REMOTE_PORT        $remote_port;
fastcgi_param  SERVER_ADDR        $server_addr;
fastcgi_param  SERVER_PORT        $server_port;
fastcgi_param  SERVER_NAME        $server_name;
`;
