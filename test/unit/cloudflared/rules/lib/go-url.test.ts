import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseGoUrl, splitsAsHostPort } from '../../../../../server/src/rules/cloudflared/lib/go-url';

type Expected = { error: string } | { scheme: string; hostname: string; port: string; path: string; opaque: string };

/** URLs and what Go's `url.Parse` made of each. */
const GO_RESULTS: Array<[string, Expected]> = [
  ["https://localhost:8000", { scheme: "https", hostname: "localhost", port: "8000", path: "", opaque: "" }],
  ["https://local host:8000", { error: "parse \"https://local host:8000\": invalid character \" \" in host name" }],
  ["localhost:8000", { scheme: "localhost", hostname: "", port: "", path: "", opaque: "8000" }],
  ["127.0.0.1:8080", { error: "parse \"127.0.0.1:8080\": first path segment in URL cannot contain colon" }],
  ["http://[::1]:80", { scheme: "http", hostname: "::1", port: "80", path: "", opaque: "" }],
  ["http://[::1", { error: "parse \"http://[::1\": missing ']' in host" }],
  ["http://a:b", { error: "parse \"http://a:b\": invalid port \":b\" after host" }],
  ["http://:80", { scheme: "http", hostname: "", port: "80", path: "", opaque: "" }],
  ["http://user@host:1", { scheme: "http", hostname: "host", port: "1", path: "", opaque: "" }],
  ["http://us er@h", { error: "parse \"http://us er@h\": net/url: invalid userinfo" }],
  ["http://a%zz", { error: "parse \"http://a%zz\": invalid URL escape \"%zz\"" }],
  ["http://h/p%zz", { error: "parse \"http://h/p%zz\": invalid URL escape \"%zz\"" }],
  ["http://h/#%zz", { error: "parse \"http://h/#%zz\": invalid URL escape \"%zz\"" }],
  ["http://h?x#y", { scheme: "http", hostname: "h", port: "", path: "", opaque: "" }],
  ["http://h/", { scheme: "http", hostname: "h", port: "", path: "/", opaque: "" }],
  ["https://localhost:8000/static/", { scheme: "https", hostname: "localhost", port: "8000", path: "/static/", opaque: "" }],
  ["tcp://127.0.0.1", { scheme: "tcp", hostname: "127.0.0.1", port: "", path: "", opaque: "" }],
  ["unix:/x", { scheme: "unix", hostname: "", port: "", path: "/x", opaque: "" }],
  ["http:foo", { scheme: "http", hostname: "", port: "", path: "", opaque: "foo" }],
  ["http:///foo", { scheme: "http", hostname: "", port: "", path: "/foo", opaque: "" }],
  ["", { scheme: "", hostname: "", port: "", path: "", opaque: "" }],
  ["HTTP://Host:80", { scheme: "http", hostname: "Host", port: "80", path: "", opaque: "" }],
  ["http://h:80/?q", { scheme: "http", hostname: "h", port: "80", path: "/", opaque: "" }],
  ["http://h:8080:90", { scheme: "http", hostname: "h:8080", port: "90", path: "", opaque: "" }],
  ["http://a\tb", { error: "parse \"http://a\\tb\": net/url: invalid control character in URL" }],
];

test('each URL parses as Go parses it, or fails with Go\'s error', () => {
  for (const [raw, expected] of GO_RESULTS) {
    const parsed = parseGoUrl(raw);
    const got = 'error' in parsed ? parsed : (({ scheme, hostname, port, path, opaque }) => ({ scheme, hostname, port, path, opaque }))(parsed.url);
    assert.deepEqual(got, expected, raw);
  }
});

test('offsets point at the hostname and the path in the raw text', () => {
  const raw = 'https://user@LocalHost:8000/static/?v=1#top';
  const parsed = parseGoUrl(raw);
  assert.ok('url' in parsed);
  const { hostnameStart, hostnameEnd, pathStart, pathEnd } = parsed.url;
  assert.deepEqual([raw.slice(hostnameStart, hostnameEnd), raw.slice(pathStart, pathEnd)], ['LocalHost', '/static/']);
});

test('net.SplitHostPort: which hostnames carry a port', () => {
  const cases: Array<[string, boolean]> = [
    ['a:1', true], ['a:', true], [':80', true], ['[::1]:80', true], ['https://example.com', true], ['test.example.com:443', true],
    ['a', false], ['[::1]', false], ['a:b:c', false], ['[a]b:1', false], ['a]:1', false], ['[a:1', false], ['*.example.com', false],
  ];
  for (const [hostname, splits] of cases) assert.equal(splitsAsHostPort(hostname) !== undefined, splits, hostname);
});
