import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { renderProbeReport } from '../../../client/src/probe/report-html';
import { probeOrigin } from '../../../server/src/probe/probe';
import { listen } from './servers';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const PAGE_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'p', 'span', 'section', 'strong', 'code', 'table', 'tr', 'th', 'td', 'br', 'svg', 'rect', 'ul', 'li', 'dl', 'dt', 'dd']);

test('the panel page: strict CSP, no script or resource, everything from the network escaped', async (t) => {
  const port = await listen(t, createServer((_request, response) => {
    response.writeHead(502, HOSTILE.replace(/[<>]/g, '"'), { Server: HOSTILE, 'X-Note': `"'&${HOSTILE}` });
    response.end(HOSTILE);
  }));
  const result = await probeOrigin({ url: `http://127.0.0.1:${port}/${encodeURIComponent('<b>')}`, timeoutMs: 800 });
  const html = renderProbeReport(result, 'Tm9uY2U=');

  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-Tm9uY2U=';">/);
  assert.match(html, /<style nonce="Tm9uY2U=">/);
  // Escaped text holds no `<`, so every tag in the page is the page's own.
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  const names = new Set(tags.map((tag) => /^<([a-z0-9]+)/i.exec(tag)![1].toLowerCase()));
  assert.deepEqual([...names].filter((n) => !PAGE_TAGS.has(n)), [], 'only layout tags: no script, img, iframe, link, object');
  assert.deepEqual(tags.filter((tag) => /\s(src|href|action|style|on\w+)=/i.test(tag)), [], 'no attribute that loads, runs or styles inline');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;'));
  assert.ok(html.includes('&quot;&#39;&amp;&lt;script&gt;'));
});

test('the panel page: verdict and next step first, a bar per exchange, status line, headers', async (t) => {
  const port = await listen(t, createServer((_request, response) => {
    response.writeHead(502, { Server: 'nginx' });
    response.end('bad gateway');
  }));
  const result = await probeOrigin({ url: `http://127.0.0.1:${port}/`, timeoutMs: 800 });
  const html = renderProbeReport(result, 'n');
  const order = ['class="badge bad">problem', '<h2>origin-5xx</h2>', 'Next step:', '<h2>Timing</h2>', '<h2>Response</h2>', '<h2>DNS</h2>'].map((s) => html.indexOf(s));
  assert.ok(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1])), `sections in order: ${order}`);
  assert.equal(html.match(/<svg viewBox="0 0 1000 10"/g)?.length, 2, 'one bar per exchange (HEAD, GET)');
  assert.match(html, /<rect class="connect" x="0\.0"/);
  assert.match(html, /<rect class="firstByte"/);
  assert.match(html, /<strong>HTTP\/1\.1 502 Bad Gateway<\/strong>/);
  assert.match(html, /<tr><th>Server<\/th><td>nginx<\/td><\/tr>/);
  assert.match(html, /<code>\/var\/log\/nginx\/error\.log<\/code>/, 'commands in backticks become code');
});
