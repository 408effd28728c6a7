import { buildJobSpec } from './jobs.ts';
import { defineKind } from './meta.ts';

export const cronJobs = defineKind({
  key: 'cronJobs',
  gvk: { group: 'batch', version: 'v1', kind: 'CronJob' },
  plural: 'cronjobs',
  namespaced: true,
  defaultNameSuffix: '-cronjob',
  nameRule: 'label1123',
  body(f, meta, ctx) {
    const schedule = f.requiredString('schedule');
    if (schedule !== undefined && schedule.split(/\s+/).length !== 5 && !schedule.startsWith('@')) {
      f.error('schedule', `expected 5 cron fields or an @macro, got ${JSON.stringify(schedule)}`);
    }
    return {
      spec: {
        schedule,
        timeZone: f.string('timeZone'),
        suspend: f.bool('suspend'),
        concurrencyPolicy: f.oneOf('concurrencyPolicy', ['Allow', 'Forbid', 'Replace'] as const),
        startingDeadlineSeconds: f.int('startingDeadlineSeconds', 0),
        successfulJobsHistoryLimit: f.int('successfulJobsHistoryLimit', 0),
        failedJobsHistoryLimit: f.int('failedJobsHistoryLimit', 0),
        jobTemplate: { metadata: { labels: meta.labels }, spec: buildJobSpec(f, meta, ctx.crName) },
      },
    };
  },
});
