import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSalesforce } from '../salesforce/index.ts';
import { startZendeskEmulator } from '../zendesk/index.ts';
import { generateWorld } from './generate-world.ts';
import {
  calibrateOutcomeModel,
  expectedChurn,
  treatmentMultiplier,
  type OutcomeIncident,
} from './outcome-model.ts';
import { createRng } from './random.ts';
import { computeReport, formatReport } from './report.ts';
import { writeDataset } from './write-data.ts';

const small = generateWorld({ seed: 7, accounts: 120 });
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('random', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng(1);
    const b = createRng(1);
    const c = createRng(2);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });
  it('draws frailties with mean near 1', () => {
    const rng = createRng(3);
    const draws = Array.from({ length: 4000 }, () => rng.frailty(2));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.93);
    expect(mean).toBeLessThan(1.07);
    expect(Math.min(...draws)).toBeGreaterThan(0);
  });
});

describe('generateWorld', () => {
  it('is reproducible: same seed, same world; other seed, other world', () => {
    const again = generateWorld({ seed: 7, accounts: 120 });
    expect(JSON.stringify(again.tickets)).toBe(JSON.stringify(small.tickets));
    expect(JSON.stringify(again.answers)).toBe(JSON.stringify(small.answers));
    const other = generateWorld({ seed: 8, accounts: 120 });
    expect(JSON.stringify(other.tickets)).not.toBe(JSON.stringify(small.tickets));
  });

  it('links every record to its account and keeps ids unique', () => {
    const accounts = new Set(small.accounts.map((a) => a.id));
    const contacts = new Set(small.contacts.map((c) => c.id));
    expect(accounts.size).toBe(120);
    expect(contacts.size).toBe(small.contacts.length);
    expect(small.contacts.every((c) => accounts.has(c.accountId))).toBe(true);
    expect(small.orders.every((o) => accounts.has(o.accountId))).toBe(true);
    expect(small.tickets.every((t) => contacts.has(t.contactId))).toBe(true);
    expect(new Set(small.tickets.map((t) => t.id)).size).toBe(small.tickets.length);
    for (const incident of small.incidents) {
      const ticket = small.tickets.find((t) => t.id === incident.ticketId);
      expect(ticket?.incidentId).toBe(incident.id);
      expect(small.truth.incidents.has(incident.id)).toBe(true);
    }
  });

  it('gives measured effort equal to the hidden truth on surveyed incidents only', () => {
    for (const incident of small.incidents) {
      const ces = small.answers.find((a) => a.ticketId === incident.ticketId && a.kind === 'ces');
      if (!incident.surveyed) {
        expect(ces).toBeUndefined();
        continue;
      }
      expect(ces?.score).toBe(small.truth.incidents.get(incident.id)!.ces);
    }
  });

  it('meets the issue volumes at the default size and is calibrated on DOMAIN.md §3', () => {
    const world = generateWorld({ seed: 42 });
    const rows = computeReport(world);
    const value = (figure: string): number => rows.find((r) => r.figure.trim().startsWith(figure))!.value;
    expect(value('accounts')).toBeGreaterThanOrEqual(500);
    expect(value('tickets')).toBeGreaterThanOrEqual(5000);
    expect(value('survey answers')).toBeGreaterThanOrEqual(8000);
    expect(value('survey comments in French')).toBeGreaterThan(0.2);
    expect(value('survey comments with effort phrases')).toBeGreaterThan(50);
    expect(value('customers with a critical incident, overall')).toBeGreaterThan(0.26);
    expect(value('customers with a critical incident, overall')).toBeLessThan(0.34);
    expect(value('telecom')).toBeGreaterThan(value('banking'));
    expect(value('churn after an incident')).toBeGreaterThan(0.17);
    expect(value('churn after an incident')).toBeLessThan(0.31);
    expect(value('churn, customer made more effort')).toBeGreaterThan(2.5);
    const text = formatReport(world, rows);
    expect(text).toMatch(/churn after an incident \(no intervention\)\s+24\.0%/);
  });
});

describe('outcome model', () => {
  const incident: OutcomeIncident = {
    type: 'billing',
    severity: 'high',
    companyAtFault: true,
    priorIncidents: 1,
    waitingHours: 60,
    trueEffortClass: 'customer_harder',
  };
  it('hits the calibration targets in expectation', () => {
    const customers = Array.from({ length: 200 }, (_, i) => ({
      frailty: 0.5 + (i % 4) * 0.33,
      incidents: [
        { ...incident, trueEffortClass: i % 2 === 0 ? ('customer_harder' as const) : ('balanced' as const) },
      ],
    }));
    const params = calibrateOutcomeModel(customers, 0.24, 4);
    const rates = expectedChurn(params, customers);
    expect(rates.overall).toBeCloseTo(0.24, 3);
    expect(rates.ratio).toBeCloseTo(4, 2);
  });
  it('plays the recovery research: backfiring repeats, late callbacks, deserved compensation', () => {
    const on = { late: false, repeatedApology: false };
    expect(treatmentMultiplier(incident, { action: 'none', ...on })).toBe(1);
    expect(
      treatmentMultiplier(incident, { action: 'apology', ...on, repeatedApology: true }),
    ).toBeGreaterThan(1);
    const callback = treatmentMultiplier(incident, { action: 'callback', ...on });
    expect(treatmentMultiplier(incident, { action: 'callback', ...on, late: true })).toBeGreaterThan(
      callback,
    );
    expect(treatmentMultiplier(incident, { action: 'compensation', ...on })).toBeLessThan(callback * 0.8);
    const minor = { ...incident, severity: 'low' as const, priorIncidents: 0, waitingHours: 4 };
    expect(treatmentMultiplier(minor, { action: 'compensation', ...on })).toBeGreaterThan(
      treatmentMultiplier(minor, { action: 'callback', ...on }) * 0.95,
    );
  });
});

describe('writeDataset', () => {
  it('writes folders both emulators load into one coherent world, truth kept apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boucle-dataset-'));
    dirs.push(dir);
    const written = writeDataset(small, dir);
    const sf = await startSalesforce({ dataDir: written.salesforceDir, port: 0 });
    const zd = await startZendeskEmulator({ dataDir: written.zendeskDir, port: 0 });
    try {
      expect(sf.store.table('Account').records.length).toBe(120);
      expect(sf.store.table('Order').records.length).toBe(small.orders.length);
      const firstContact = small.contacts[0]!;
      const user = zd.store.findUserByExternalId(firstContact.id);
      expect(user?.organization_id).not.toBeNull();
      expect(zd.store.organization(user!.organization_id!).external_id).toBe(firstContact.accountId);
      expect(zd.store.tickets.size).toBe(small.tickets.length);
      const incident = small.incidents[0]!;
      expect(zd.store.ticket(incident.ticketId).tags).toContain(incident.type);
      expect(zd.store.customRecords('boucle_feedback').size).toBe(small.answers.length);
      const zendeskText = JSON.stringify(readFileSync(join(written.zendeskDir, 'tickets.json'), 'utf8'));
      expect(zendeskText).not.toMatch(/customer_harder|frailty|churned/);
      expect(readFileSync(written.groundTruthFile, 'utf8')).toMatch(/customer_harder/);
    } finally {
      await sf.close();
      await zd.close();
    }
  });
});
