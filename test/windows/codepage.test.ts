import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeOutput, parseChcp } from '../../src/windows/codepage.js';
import { classifyEventResult } from '../../src/windows/event.js';
import { classifyNet } from '../../src/windows/service.js';
import { fail, fixture, fixtureBytes } from './fakes.js';

describe('console code page', () => {
  it("chcp's number, in English or German", () => {
    assert.equal(parseChcp(fixture('chcp-en.txt')), 437);
    assert.equal(parseChcp(fixtureBytes('chcp-de.cp850.bin').toString('latin1')), 850);
  });

  it('decodes code page 850 (umlauts), 437, Shift_JIS and UTF-8', () => {
    const bytes = fixtureBytes('net-no-service-de.cp850.bin');
    assert.match(decodeOutput(bytes, 850), /Der Dienstname ist ungültig\./);
    assert.doesNotMatch(bytes.toString('utf8'), /ungültig/, 'read as UTF-8 it is garbled');
    assert.equal(decodeOutput(Buffer.from([0x81, 0xe1]), 437), 'üß');
    assert.equal(decodeOutput(Buffer.from([0x83, 0x56]), 932), 'シ');
    assert.equal(decodeOutput(Buffer.from('é', 'utf8'), null), 'é');
  });
});

describe('a German Windows: decided by numbers and type names, not English words', () => {
  it('net.exe: System error 5 (Systemfehler 5) is access denied; HELPMSG 2185 is no such service', () => {
    const denied = decodeOutput(fixtureBytes('net-denied-de.cp850.bin'), 850);
    assert.equal(classifyNet(fail(2, denied), 's').outcome, 'denied');
    const missing = decodeOutput(fixtureBytes('net-no-service-de.cp850.bin'), 850);
    assert.equal(classifyNet(fail(2, missing), 's').outcome, 'missing');
  });

  it("PowerShell: .NET Framework's translated message, the exception type decides", () => {
    const attempt = classifyEventResult(fail(1, fixture('powershell-event-denied-de.txt')), 'event');
    assert.equal(attempt.outcome, 'denied');
    assert.match(attempt.detail, /Der Zugriff auf den Pfad/);
  });
});
