import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { iniValueSurprise } from '../../../server/src/model/fpm-ini-values';
import { decodeListen, listenKind } from '../../../server/src/model/fpm-listen';
import {
  atoi, decodeBoolean, decodeChoice, decodeEventMechanism, decodeInteger, decodeOctalMode, decodeProcessManager, decodeRlimit, decodeTime,
} from '../../../server/src/model/fpm-values';

describe('atoi, as glibc computes it', () => {
  it('reads blanks, a sign and digits, and stops at anything else', () => {
    assert.equal(atoi('42'), 42);
    assert.equal(atoi('  -7x'), -7);
    assert.equal(atoi('+3'), 3);
    assert.equal(atoi('60m'), 60);
    assert.equal(atoi('abc'), 0);
    assert.equal(atoi(''), 0);
  });

  it('keeps the low 32 bits of what strtol saturates at 64', () => {
    assert.equal(atoi('99999999999'), 1215752191);
    assert.equal(atoi('4294967297'), 1);
    assert.equal(atoi('99999999999999999999999'), -1);
  });
});

describe('fpm_conf_set_integer', () => {
  it('takes digits with an optional leading minus', () => {
    assert.deepEqual(decodeInteger('10'), { ok: true, value: 10 });
    assert.deepEqual(decodeInteger('-1'), { ok: true, value: -1 });
  });

  it("refuses anything else in php-fpm's words", () => {
    for (const value of ['5k', '1.5', '+3', '0x10', ' 7', '5-']) {
      assert.deepEqual(decodeInteger(value), { ok: false, refusal: 'is not a valid number (greater or equal than zero)' }, value);
    }
  });

  it('warns where the number read is not the one written', () => {
    assert.deepEqual(decodeInteger(''), { ok: true, value: 0, surprise: 'php-fpm reads an empty value as 0' });
    assert.deepEqual(decodeInteger('-'), { ok: true, value: 0, surprise: 'php-fpm reads `-` as 0' });
    assert.deepEqual(decodeInteger('99999999999'), { ok: true, value: 1215752191, surprise: "`99999999999` does not fit in php-fpm's 32-bit integer: it reads 1215752191" });
  });
});

describe('fpm_conf_set_time', () => {
  it('reads a number with one unit, or none', () => {
    assert.deepEqual(decodeTime('30'), { ok: true, value: 30 });
    assert.deepEqual(decodeTime('30s'), { ok: true, value: 30 });
    assert.deepEqual(decodeTime('5m'), { ok: true, value: 300 });
    assert.deepEqual(decodeTime('1h'), { ok: true, value: 3600 });
    assert.deepEqual(decodeTime('2d'), { ok: true, value: 172800 });
  });

  it('refuses an empty value and an unknown last character', () => {
    assert.deepEqual(decodeTime(''), { ok: false, refusal: 'invalid time value' });
    assert.deepEqual(decodeTime('5x'), { ok: false, refusal: 'unknown suffix used in time value' });
    assert.deepEqual(decodeTime('5S'), { ok: false, refusal: 'unknown suffix used in time value' });
  });

  it('warns that only the last letter is a unit: 60ms is 60 seconds', () => {
    assert.deepEqual(decodeTime('60ms'), {
      ok: true,
      value: 60,
      surprise: 'php-fpm reads `60ms` as 60 seconds: only the last letter (`s`) is a unit, and what stands before it (`60m`) is read up to its first non-digit',
    });
    assert.deepEqual(decodeTime('1.5m'), {
      ok: true,
      value: 60,
      surprise: 'php-fpm reads `1.5m` as 60 seconds: only the last letter (`m`) is a unit, and what stands before it (`1.5`) is read up to its first non-digit',
    });
  });

  it('warns about numbers without digits, negative times and overflows', () => {
    assert.deepEqual(decodeTime('abc5'), { ok: true, value: 0, surprise: 'php-fpm reads `abc5` as 0 seconds: it reads a number only up to its first non-digit' });
    assert.deepEqual(decodeTime('s'), { ok: true, value: 0, surprise: 'php-fpm reads `s` as 0 seconds: there is no number before the unit' });
    assert.deepEqual(decodeTime('-5'), { ok: true, value: -5, surprise: 'php-fpm reads `-5` as -5 seconds, a negative time' });
    assert.deepEqual(decodeTime('99999d'), {
      ok: true, value: 49979008, surprise: 'php-fpm reads `99999d` as 49979008 seconds: the number of seconds overflows its 32-bit integer',
    });
  });
});

describe('fpm_conf_set_boolean (8.2 compares the decoded text exactly)', () => {
  it('takes what the ini scanner makes of yes/no and the words php-fpm lists', () => {
    for (const value of ['1', 'yes', 'on', 'true']) assert.deepEqual(decodeBoolean(value), { ok: true, value: true }, value);
    for (const value of ['', '0', 'no', 'off', 'none', 'false']) assert.deepEqual(decodeBoolean(value), { ok: true, value: false }, value);
  });

  it('refuses other spellings, such as a quoted "Yes"', () => {
    for (const value of ['Yes', 'TRUE', 'null', '2', ' ', 'maybe']) {
      assert.deepEqual(decodeBoolean(value), { ok: false, refusal: 'invalid boolean value' }, value);
    }
  });
});

describe('choices', () => {
  it('pm, case-insensitive', () => {
    assert.deepEqual(decodeProcessManager('Static'), { ok: true, value: 'static' });
    assert.deepEqual(decodeProcessManager('fork'), { ok: false, refusal: 'invalid process manager (static, dynamic or ondemand)' });
  });

  it('log_level and syslog.facility, with their own refusals', () => {
    assert.deepEqual(decodeChoice('log_level', 'WARN'), { ok: true, value: 'warn' });
    assert.deepEqual(decodeChoice('log_level', 'verbose'), { ok: false, refusal: "invalid value for 'log_level'" });
    assert.deepEqual(decodeChoice('syslog.facility', 'LOCAL7'), { ok: true, value: 'local7' });
    assert.deepEqual(decodeChoice('syslog.facility', 'foo'), { ok: false, refusal: 'invalid value' });
    assert.equal(decodeChoice('pm', 'static'), undefined);
  });

  it('events.mechanism: what php-fpm on Linux is built with', () => {
    assert.deepEqual(decodeEventMechanism('EPOLL'), { ok: true, value: 'epoll' });
    assert.deepEqual(decodeEventMechanism('kqueue'), { ok: false, refusal: "event mechanism 'kqueue' is not available on this system" });
  });

  it('rlimit_core: unlimited or a number of 0 or more', () => {
    assert.deepEqual(decodeRlimit('UNLIMITED'), { ok: true, value: -1 });
    assert.deepEqual(decodeRlimit('0'), { ok: true, value: 0 });
    assert.deepEqual(decodeRlimit('-1'), { ok: false, refusal: "must be greater than zero or 'unlimited'" });
    assert.deepEqual(decodeRlimit('abc'), { ok: false, refusal: 'is not a valid number (greater or equal than zero)' });
  });
});

describe('listen.mode (strtoul base 8, never refused)', () => {
  it('reads octal, with or without a leading 0, and leaves an empty mode to the default', () => {
    assert.deepEqual(decodeOctalMode('0660'), { ok: true, value: 0o660 });
    assert.deepEqual(decodeOctalMode('666'), { ok: true, value: 0o666 });
    assert.deepEqual(decodeOctalMode(''), { ok: true, value: 0o660 });
  });

  it('warns about text that is not octal', () => {
    assert.deepEqual(decodeOctalMode('abc'), { ok: true, value: 0, surprise: '`abc` is not an octal mode: php-fpm reads it as 0000, a socket only root can connect to' });
    assert.deepEqual(decodeOctalMode('0779'), { ok: true, value: 0o77, surprise: '`0779` is not an octal mode: php-fpm reads it as 0077' });
    assert.deepEqual(decodeOctalMode('0x1ff'), { ok: true, value: 0, surprise: '`0x1ff` is not an octal mode: php-fpm reads it as 0000, a socket only root can connect to' });
  });
});

describe('listen, as php-fpm opens it at start', () => {
  it('tells TCP, port-only and unix socket addresses apart', () => {
    assert.equal(listenKind('127.0.0.1:9000'), 'tcp');
    assert.equal(listenKind('[::1]:9000'), 'tcp');
    assert.equal(listenKind('9000'), 'port');
    assert.equal(listenKind('/run/php/php-fpm.sock'), 'unix');
    assert.equal(listenKind('php.sock'), 'unix');
  });

  it('accepts what php-fpm 8.2 binds', () => {
    for (const address of ['127.0.0.1:9000', '[::1]:9000', 'localhost:9000', '*:9000', '9000', '/run/php.sock', 'php.sock', '127.0.0.1:65535']) {
      assert.deepEqual(decodeListen(address), { ok: true, value: listenKind(address) }, address);
    }
  });

  it("refuses ports and hosts php-fpm cannot open, in php-fpm's words", () => {
    assert.deepEqual(decodeListen('127.0.0.1:abc'), { ok: false, refusal: "invalid port value 'abc'" });
    assert.deepEqual(decodeListen('127.0.0.1:0'), { ok: false, refusal: "invalid port value '0'" });
    assert.deepEqual(decodeListen('99999'), { ok: false, refusal: "invalid port value '99999'" });
    assert.deepEqual(decodeListen('unix:/run/php.sock'), {
      ok: false, refusal: "invalid port value '/run/php.sock' — php-fpm takes a socket path without `unix:` (that is nginx's spelling)",
    });
    assert.deepEqual(decodeListen('127.0.0.1:9000abc'), { ok: false, refusal: 'getaddrinfo: Servname not supported for ai_socktype' });
    assert.deepEqual(decodeListen('[::1]'), { ok: false, refusal: 'getaddrinfo: Servname not supported for ai_socktype' });
    for (const address of [':9000', '::1', '[::1:9000', '[]:9000']) {
      assert.deepEqual(decodeListen(address), { ok: false, refusal: 'getaddrinfo: Name or service not known' }, address);
    }
  });

  it('warns that an address without port is a socket file', () => {
    assert.deepEqual(decodeListen('127.0.0.1'), {
      ok: true, value: 'unix', surprise: '`127.0.0.1` has no port, so php-fpm creates a unix socket file of that name (relative to its prefix) instead of listening on TCP',
    });
  });
});

describe('php.ini values of php_value[…]', () => {
  it('reads sizes as zend_ini_parse_quantity does', () => {
    for (const value of ['256M', '1 G', ' 512k ', '-1', '0x10M', '134217728', '0', '']) assert.equal(iniValueSurprise('memory_limit', value), undefined, value);
    assert.equal(iniValueSurprise('memory_limit', '256MB'), '`256MB` is not a size PHP reads: it warns "Invalid quantity" and keeps only the leading digits; write e.g. `256M`');
    assert.equal(iniValueSurprise('upload_max_filesize', '1.5G')?.startsWith('`1.5G` is not a size PHP reads'), true);
    assert.equal(iniValueSurprise('post_max_size', '64'), 'post_max_size = 64 means 64 bytes: a size without K, M or G counts bytes; write e.g. `64M`');
  });

  it('reads max_execution_time as whole seconds', () => {
    assert.equal(iniValueSurprise('max_execution_time', '300'), undefined);
    assert.equal(iniValueSurprise('max_execution_time', '5m'), 'PHP reads `5m` as 5 seconds: max_execution_time is a number of seconds, without unit');
  });

  it('leaves other settings alone', () => {
    assert.equal(iniValueSurprise('error_reporting', 'E_ALL'), undefined);
  });
});
