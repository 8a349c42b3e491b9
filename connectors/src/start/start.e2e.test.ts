/**
 * The one command, end to end: `npm start` in a clean checkout (the files git tracks or would track, nothing it
 * ignores: no data/, no built app, no caches; node_modules linked in place of `npm install`), so the dataset is
 * generated and the sidebar built from scratch; then real Chromium on the printed URL: the sidebar's
 * recommendation, Apply changing the ticket, a detractor answer from the survey page, and the loop's reaction
 * (a follow-up ticket).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../sandbox/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

const workDir = mkdtempSync(join(tmpdir(), 'boucle-start-e2e-'));
const checkout = join(workDir, 'boucle');

/** Copies the working tree as a clone would have it, uncommitted edits included, ignored files left out. */
function makeCleanCheckout(): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    mkdirSync(join(checkout, file, '..'), { recursive: true });
    cpSync(join(ROOT, file), join(checkout, file), { force: false, errorOnExist: false });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
}
let child: ChildProcess;
let output = '';
let browser: Browser;

function waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`no ${String(pattern)} within ${ms} ms; output:\n${output}`)),
      ms,
    );
    const check = (): void => {
      const match = output.match(pattern);
      if (match !== null) {
        clearTimeout(timer);
        done(match);
      } else if (child.exitCode !== null) {
        clearTimeout(timer);
        fail(new Error(`boucle start exited with ${child.exitCode}; output:\n${output}`));
      } else setTimeout(check, 100);
    };
    check();
  });
}

beforeAll(async () => {
  makeCleanCheckout();
  // The README's run command; its own process group, so that Ctrl-C reaches npm and Boucle as in a terminal.
  child = spawn('npm', ['start', '--', '--accounts', '120'], {
    cwd: checkout,
    env: { ...process.env, ZENDESK_URL: undefined, SALESFORCE_LOGIN_URL: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(/Ctrl-C to stop/, 240_000);
  browser = await launchChromium();
}, 260_000);

afterAll(async () => {
  await browser?.close();
  if (child?.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL'); // whatever a failed run left behind
    } catch {
      // the group has already ended
    }
  }
  rmSync(workDir, { recursive: true, force: true });
});

describe('boucle start', () => {
  it('says its mode first, serves the sidebar, applies, and reacts to a detractor answer', async () => {
    // npm's own lines (`> boucle@… start`, `npm warn …`) come first; Boucle's first line says the mode.
    const firstLine = output
      .split('\n')
      .find((line) => line.trim() !== '' && !line.startsWith('> ') && !line.startsWith('npm '));
    expect(firstLine).toMatch(/^Boucle — local SANDBOX mode/);
    expect(output).toContain(join(checkout, 'data'));
    const open = output.match(/Open: (http:\/\/localhost:\d+)\/agent\/tickets\/(\d+)/);
    const survey = output.match(/Survey page[^:]*: (http:\/\/127\.0\.0\.1:\d+\/\?ticket=\d+)/);
    expect(open).not.toBeNull();
    expect(survey).not.toBeNull();
    const agentOrigin = open![1]!;
    const ticketId = open![2]!;

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${agentOrigin}/agent/tickets/${ticketId}`);
    const handle = await page.waitForSelector('iframe.af-app-frame', { timeout: 30_000 });
    const app = (await handle.contentFrame())!;
    await app.getByTestId('apply').waitFor({ timeout: 30_000 });
    type FormState = { form: { tags: string[]; priority: string } };
    const before = await page.evaluate<FormState>('window.__agentFrame.state()');
    expect(before.form.tags.some((t) => t.startsWith('boucle_'))).toBe(false);
    const recommended = (await app.getByTestId('recommendation-priority').innerText()).toLowerCase();
    await app.getByTestId('apply').click();
    await app.getByTestId('apply-done').waitFor({ timeout: 20_000 });
    const after = await page.evaluate<FormState>('window.__agentFrame.state()');
    expect(after.form.tags.some((t) => /^boucle_(apology|callback|compensation)$/.test(t))).toBe(true);
    expect(after.form.priority).toBe(recommended);

    const surveyPage = await browser.newPage();
    await surveyPage.goto(survey![1]!);
    await surveyPage.getByRole('button', { name: 'Send the answer' }).click();
    expect(await surveyPage.getByTestId('survey-result').innerText()).toBe('Answer sent');

    // The loop reacts. The printed ticket is a live incident, so the detractor answer about it is decided on that
    // ticket (a solved one would get a follow-up ticket): Boucle's action tag and its internal note appear on it.
    const api = <T>(path: string) =>
      fetch(`${agentOrigin}${path}`, { headers: { 'x-agent-frame': '1' } }).then(
        (r) => r.json() as Promise<T>,
      );
    const decided = (t: { tags: string[] }) =>
      t.tags.some((tag) => /^boucle_(none|apology|callback|compensation)$/.test(tag));
    let ticket: { tags: string[] } = { tags: [] };
    for (let i = 0; i < 150 && !decided(ticket); i += 1) {
      ticket = (await api<{ ticket: { tags: string[] } }>(`/api/v2/tickets/${ticketId}.json`)).ticket;
      if (!decided(ticket)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(decided(ticket)).toBe(true);
    const { comments } = await api<{ comments: { body: string; public: boolean }[] }>(
      `/api/v2/tickets/${ticketId}/comments.json`,
    );
    expect(comments.some((c) => !c.public && c.body.startsWith('Boucle — '))).toBe(true);

    // The console writes the policy on the Boucle installation in the Zendesk emulator, which the connector reads:
    // the frame's metadata names that installation.
    const frame = await api<{ metadata: { installationId: number } }>('/agent/frame.json');
    const { installations } = await api<{
      installations: { id: number; settings: Record<string, unknown> }[];
    }>('/api/v2/apps/installations.json');
    const boucle = installations.find((i) => i.id === frame.metadata.installationId);
    expect(boucle?.settings['connector_url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // The answer and the decision go back to the Salesforce emulator (force-app's objects), and start says so.
    const written = (object: string) => new RegExp(`Salesforce write-back: .*${object} \\d+`).test(output);
    for (let i = 0; i < 150 && !(written('Boucle_Feedback__c') && written('Boucle_Intervention__c')); i += 1)
      await new Promise((r) => setTimeout(r, 200));
    expect(written('Boucle_Feedback__c'), output).toBe(true);
    expect(written('Boucle_Intervention__c'), output).toBe(true);
    expect(output).toContain('Written back to Salesforce: npx boucle report writeback');

    // Ctrl-C, as a terminal sends it: to npm and Boucle alike. npm ends by the signal; Boucle says it stopped
    // cleanly, and nothing of the group is left running.
    const group = child.pid!;
    process.kill(-group, 'SIGINT');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
      child.once('exit', (c, s) => done([c, s])),
    );
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    expect(output).toContain('Stopped. State kept in the data folder.');
    let alive = true;
    for (let i = 0; i < 50 && alive; i += 1) {
      try {
        process.kill(-group, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  }, 120_000);
});
