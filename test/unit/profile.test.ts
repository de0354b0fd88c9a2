// azureProfile.json read while az rewrites it in place (_session.py Session.save truncates, then writes): the
// reads az's saving can meet, in order, and what the subscription name comes out as.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILE_REREADS, profileNames, tenantFromProfile, type ProfileIo } from '../../src/az/profile.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const FULL = `\uFEFF${JSON.stringify({ installationId: '0', subscriptions: [{ id: SUB, name: 'Contoso Dev' }] })}`;

/** Answers the reads in turn (the last one repeats); an Error is a failed read. */
function io(reads: Array<string | Error>): ProfileIo & { reads: number; slept: number[] } {
  const o = {
    reads: 0,
    slept: [] as number[],
    async readFile() {
      const r = reads[Math.min(o.reads++, reads.length - 1)]!;
      if (r instanceof Error) throw r;
      return r;
    },
    async sleep(ms: number) {
      o.slept.push(ms);
    },
  };
  return o;
}

const env = { AZURE_CONFIG_DIR: '/nowhere' };

const CASES: Array<[name: string, reads: Array<string | Error>, name: string | undefined, reads: number]> = [
  ['a whole file', [FULL], 'Contoso Dev', 1],
  ['truncated by a save in progress (empty), then whole', ['', FULL], 'Contoso Dev', 2],
  ['the BOM only, then half, then whole', ['\uFEFF', FULL.slice(0, 30), FULL], 'Contoso Dev', 3],
  ['never whole: no name, after a few brief re-reads', [''], undefined, PROFILE_REREADS + 1],
  ['no file: no name at once', [Object.assign(new Error('ENOENT'), { code: 'ENOENT' })], undefined, 1],
  [
    'another subscription only',
    [`\uFEFF${JSON.stringify({ subscriptions: [{ id: 'x', name: 'Other' }] })}`],
    undefined,
    1,
  ],
];

for (const [title, reads, expected, count] of CASES) {
  test(`profile read: ${title}`, async () => {
    const fake = io(reads);
    assert.equal((await profileNames(env, fake))(SUB), expected);
    assert.equal(fake.reads, count);
    assert.ok(fake.slept.reduce((a, b) => a + b, 0) <= 200, 'brief');
  });
}

test('the tenant of a subscription by id or name, else of the default one, for an MFA re-sign-in', async () => {
  const profile = `\uFEFF${JSON.stringify({
    subscriptions: [
      { id: SUB, name: 'Contoso Dev', tenantId: 't-dev', isDefault: false },
      { id: 'other', name: 'Contoso Prod', tenantId: 't-prod', isDefault: true },
    ],
  })}`;
  assert.equal(await tenantFromProfile(env, SUB.toUpperCase(), io([profile])), 't-dev');
  assert.equal(await tenantFromProfile(env, 'contoso dev', io([profile])), 't-dev');
  assert.equal(await tenantFromProfile(env, undefined, io([profile])), 't-prod');
  assert.equal(await tenantFromProfile(env, 'nope', io([profile])), undefined);
  assert.equal(
    await tenantFromProfile(env, undefined, io(['', profile])),
    't-prod',
    'read again after a half-done save',
  );
});
