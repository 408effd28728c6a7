import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { evaluateCondition, explainCondition, type Condition, type RenderFn } from './evaluate.ts';
import { nextFire, parseCron, parseDuration, previousFire } from './cron.ts';

const render: RenderFn = () => { throw new Error('time conditions must not render'); };
// Local-time dates so the tests hold in any time zone. 2024-01-01 is a Monday.
const at = (day: number, h: number, m: number) => new Date(2024, 0, day, h, m, 30);

function passAt(c: Condition, now: Date): boolean {
  return evaluateCondition(c, {}, render, { now: () => now }).pass;
}

describe('time window', () => {
  const office = { time: { after: '09:00', before: '17:00' } };
  const night = { time: { after: '22:00', before: '06:00' } };
  const cases: [string, Condition, Date, boolean][] = [
    ['inside', office, at(1, 12, 0), true],
    ['at after (inclusive)', office, at(1, 9, 0), true],
    ['at before (inclusive minute)', office, at(1, 17, 0), true],
    ['just after before', office, at(1, 17, 1), false],
    ['before after', office, at(1, 8, 59), false],
    ['overnight late', night, at(1, 23, 15), true],
    ['overnight early', night, at(1, 5, 59), true],
    ['overnight midday', night, at(1, 12, 0), false],
    ['only after', { time: { after: '18:00' } }, at(1, 19, 0), true],
    ['only before', { time: { before: '08:00' } }, at(1, 19, 0), false],
    ['malformed', { time: { after: '9am' } }, at(1, 12, 0), false],
    ['negated', { ...office, negate: true }, at(1, 20, 0), true],
  ];
  for (const [name, c, now, want] of cases) it(name, () => assert.equal(passAt(c, now), want));

  it('ignores field data and explains itself', () => {
    const r = evaluateCondition({ ...office, field: 'spec.x', equals: 'y' }, {}, render, { now: () => at(1, 18, 3) });
    assert.equal(r.pass, false);
    assert.equal(r.kind, 'time');
    assert.equal(explainCondition(r), 'time 09:00-17:00: now 18:03');
  });
});

describe('dayOfWeek', () => {
  const cases: [string, Condition['dayOfWeek'], Date, boolean][] = [
    ['weekday on Monday', { weekday: true }, at(1, 10, 0), true],
    ['weekday on Saturday', { weekday: true }, at(6, 10, 0), false],
    ['weekend on Sunday', { weekend: true }, at(7, 10, 0), true],
    ['weekend on Friday', { weekend: true }, at(5, 10, 0), false],
    ['in, case-insensitive', { in: ['Monday', 'TUESDAY'] }, at(2, 10, 0), true],
    ['in abbreviations', { in: ['wed'] }, at(3, 10, 0), true],
    ['in miss', { in: ['monday'] }, at(3, 10, 0), false],
    ['notIn', { notIn: ['saturday', 'sunday'] }, at(4, 10, 0), true],
    ['notIn hit', { notIn: ['thursday'] }, at(4, 10, 0), false],
    ['unknown day', { in: ['funday'] }, at(4, 10, 0), false],
    ['empty spec', {}, at(4, 10, 0), false],
  ];
  for (const [name, dayOfWeek, now, want] of cases) {
    it(name, () => assert.equal(passAt({ dayOfWeek }, now), want));
  }
  it('combines with time: all forms on one condition must hold', () => {
    const c = { dayOfWeek: { weekday: true }, time: { after: '09:00', before: '17:00' } };
    assert.equal(passAt(c, at(1, 10, 0)), true);
    assert.equal(passAt(c, at(6, 10, 0)), false);
    assert.equal(passAt(c, at(1, 20, 0)), false);
  });
});

describe('cron windows', () => {
  const cases: [string, Condition, Date, boolean][] = [
    ['within duration of the last fire', { cron: '0 9 * * 1-5', duration: '8h' }, at(1, 16, 59), true],
    ['past the duration', { cron: '0 9 * * 1-5', duration: '8h' }, at(1, 17, 1), false],
    ['before the first fire of the day', { cron: '0 9 * * 1-5', duration: '8h' }, at(1, 8, 0), false],
    ['weekend does not fire', { cron: '0 9 * * 1-5', duration: '8h' }, at(6, 10, 0), false],
    ['duration in minutes', { cron: '*/15 * * * *', duration: '5m' }, at(1, 10, 17), true],
    ['duration in minutes, gap', { cron: '*/15 * * * *', duration: '5m' }, at(1, 10, 25), false],
    ['duration in days', { cron: '0 0 1 * *', duration: '2d' }, at(2, 23, 0), true],
    ['without duration: one natural period', { cron: '0 * * * *' }, at(1, 10, 45), true],
    ['invalid cron', { cron: '61 * * * *', duration: '1h' }, at(1, 10, 0), false],
    ['invalid duration', { cron: '0 * * * *', duration: 'soon' }, at(1, 10, 0), false],
  ];
  for (const [name, c, now, want] of cases) it(name, () => assert.equal(passAt(c, now), want));

  it('parses fields, names, macros and steps', () => {
    const s = parseCron('0,30 9-17/4 * jan-mar MON-fri');
    assert.deepEqual([...s.minutes], [0, 30]);
    assert.deepEqual([...s.hours], [9, 13, 17]);
    assert.deepEqual([...s.months], [1, 2, 3]);
    assert.deepEqual([...s.weekdays].sort(), [1, 2, 3, 4, 5]);
    assert.deepEqual([...parseCron('@hourly').minutes], [0]);
    assert.ok(parseCron('0 0 * * 7').weekdays.has(0));
    assert.throws(() => parseCron('* * *'), /expected 5 fields/);
  });
  it('finds previous and next fires across days', () => {
    const s = parseCron('30 8 * * 1');
    assert.deepEqual(previousFire(s, at(3, 12, 0)), new Date(2024, 0, 1, 8, 30));
    assert.deepEqual(nextFire(s, at(3, 12, 0)), new Date(2024, 0, 8, 8, 30));
    assert.equal(previousFire(s, at(3, 12, 0), 3600_000), undefined);
  });
  it('day-of-month and day-of-week restricted together match either (cron rule)', () => {
    const s = parseCron('0 0 13 * 5');
    assert.deepEqual(nextFire(s, at(1, 0, 0)), new Date(2024, 0, 5, 0, 0));
  });
  it('parses Go and extended durations', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('2d'), 172_800_000);
    assert.equal(parseDuration('1mo'), 30 * 86_400_000);
    assert.equal(parseDuration('45'), 45_000);
    assert.equal(parseDuration('1x'), undefined);
  });
});
