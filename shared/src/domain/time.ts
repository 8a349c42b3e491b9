import { z } from 'zod';

/** An instant as ISO 8601 (`2026-11-22T09:30:00Z`, offsets accepted). Boucle never reads the clock itself. */
export const timestampSchema = z.iso.datetime({ offset: true });

/** A calendar day (`2026-11-22`) or an instant, as Zendesk date fields and Salesforce dates arrive. */
export const dateOrTimestampSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
