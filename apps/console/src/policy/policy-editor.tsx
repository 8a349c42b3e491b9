/**
 * The Policy screen (lazy chunk: it validates with shared/'s zod schema): the admin's editor of the policy document,
 * grouped as POLICY_GROUPS says, with validation as you type, a preview over the ledger's past incidents, saving
 * through the Apps installation API (then a read back and the connector's sync), history, diff and roll back.
 * Agents read it: every input is read-only and there is no Save.
 */
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Hint, Input, Label, Message, Select, Textarea } from '@zendeskgarden/react-forms';
import { Alert, Paragraph, Title } from '@zendeskgarden/react-notifications';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { styled } from 'styled-components';
import { POLICY_PARAMETER } from '../../../../shared/src/settings/parse-settings.ts';
import {
  parsePolicy,
  POLICY_SECTIONS,
  policyFromSettings,
  resolveSettings,
  serializePolicy,
  type Policy,
} from '../../../../shared/src/settings/policy-document.ts';
import { DEFAULT_SETTINGS } from '../../../../shared/src/settings/parse-settings.ts';
import { formatDateTime } from '../../../common/src/i18n/locale.ts';
import type { ConsoleContext } from '../console-app.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Card, CardTitle, LinkButton, Loading, Muted, Row, Stack } from '../ui.tsx';
import { TIER_LABELS } from './fact-labels.ts';
import { policyTranslator, type PolicyTranslate } from './policy-i18n.ts';
import {
  anchorOf,
  asText,
  describe,
  diffPolicies,
  fieldId,
  getAt,
  GROUPS,
  issuesAt,
  nextVersion,
  pathKey,
  sectionFields,
  setAt,
  sharedHelp,
  unitShown,
  show,
  type Draft,
  type Issue,
  type Path,
  type PolicyField,
} from './policy-model.ts';
import { newRule, RuleEditor, type RuleDraft } from './rule-builder.tsx';

// ------------------------------------------------------------------------------------------ types of the API

export interface PolicyVersionRow {
  readonly version: number;
  readonly savedAt: string;
  readonly savedBy: { readonly id: number; readonly name: string };
  readonly reason: string;
  readonly sha256?: string;
}

export interface PreviewChange {
  readonly ticketId: number | string;
  readonly decidedAt?: string;
  readonly before: { readonly action: string; readonly compensationTier?: string | null };
  readonly after: { readonly action: string; readonly compensationTier?: string | null };
}

export interface PreviewAnswer {
  readonly days: number;
  readonly incidents: number;
  readonly changed: number;
  readonly byAction?: Readonly<Record<string, unknown>>;
  readonly changes: readonly PreviewChange[];
  readonly expectedValueDelta?: number;
  readonly costDelta?: number;
  readonly callbacks?: {
    readonly before: number;
    readonly after: number;
    readonly beforePerDay: number;
    readonly afterPerDay: number;
    readonly capacityPerDay: number | null;
  };
  /** Decisions whose intervention stays but whose follow-up window (due time) the draft changes. */
  readonly dueChanged?: number;
  /** Those, by customer tier and window (hours, recorded → draft), the most first. */
  readonly dueChanges?: readonly {
    readonly tier: string;
    readonly before: number;
    readonly after: number;
    readonly count: number;
  }[];
}

/** At most this many tier/window groups in the preview's due-time line. */
const DUE_GROUPS_SHOWN = 4;

interface Who {
  readonly id: number;
  readonly name: string;
  readonly role: string;
}

// ------------------------------------------------------------------------------------------ layout

const Bar = styled.div`
  position: sticky;
  top: 0;
  z-index: 2;
  background: #f8f9f9;
  padding: 10px 0;
  border-bottom: 1px solid #d8dcde;
  display: flex;
  flex-wrap: wrap;
  gap: 12px;
  align-items: center;
`;
const Fields = styled.div`
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
  gap: 14px 20px;
`;
const FieldBox = styled.div`
  min-width: 0;
`;
const Sub = styled.h3`
  margin: 14px 0 8px;
  font-size: 14px;
  font-weight: 600;
  color: #2f3941;
`;
/** A section's key as the JSON view names it, after its title. */
const Key = styled.code`
  margin-left: 8px;
  font-size: 12px;
  font-weight: 400;
  color: #68737d;
  font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
`;
const SectionHelp = styled.p`
  margin: -4px 0 10px;
  font-size: 13px;
  color: #68737d;
`;
const Bad = styled.div`
  color: #cc3340;
  font-size: 13px;
  margin: 4px 0;
`;
const Table = styled.table`
  width: 100%;
  border-collapse: collapse;
  th,
  td {
    text-align: left;
    padding: 6px 8px;
    border-bottom: 1px solid #e9ebed;
    vertical-align: top;
    font-size: 13px;
  }
  th {
    font-weight: 600;
    color: #68737d;
  }
`;
const Views = styled.div`
  display: flex;
  gap: 4px;
  border-bottom: 1px solid #d8dcde;
`;
const ViewTab = styled.button<{ $active: boolean }>`
  border: none;
  background: none;
  font: inherit;
  padding: 6px 10px 8px;
  cursor: pointer;
  color: ${(p) => (p.$active ? '#1f73b7' : '#49545c')};
  font-weight: ${(p) => (p.$active ? 600 : 400)};
  border-bottom: 3px solid ${(p) => (p.$active ? '#1f73b7' : 'transparent')};
  &:focus-visible {
    outline: 2px solid #1f73b7;
  }
`;
const Details = styled.details`
  summary {
    cursor: pointer;
    font-weight: 600;
    font-size: 15px;
    color: #2f3941;
  }
  summary:focus-visible {
    outline: 2px solid #1f73b7;
    outline-offset: 2px;
  }
`;

// ------------------------------------------------------------------------------------------ helpers

const META_KEYS = ['format', 'version', 'savedAt', 'savedBy', 'reason'];

function sectionsOf(doc: Draft): Draft {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !META_KEYS.includes(k)));
}

/** The policy's sections of the flat settings (not the install-time ones: locale, connector URL, fields). */
function policySectionsOf(settings: Readonly<Record<string, unknown>>): Draft {
  return Object.fromEntries(POLICY_SECTIONS.map((key) => [key, settings[key]]));
}

/** A draft made whole for validation: the metadata the save will write, so only the sections can fail. */
function forValidation(draft: Draft, current: Policy | null, who: Who): Draft {
  return nextVersion(
    draft,
    current,
    { id: who.id > 0 ? who.id : 1, name: who.name === '' ? '—' : who.name },
    'draft',
    new Date(),
  );
}

function parseNumber(raw: string): unknown {
  const text = raw.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : raw;
}

function focusAnchor(id: string): void {
  const el = document.getElementById(id);
  if (el === null) return;
  const details = el.closest('details');
  if (details !== null) details.open = true;
  el.scrollIntoView({ block: 'center' });
  const target = el.matches('input,select,textarea,button')
    ? el
    : el.querySelector<HTMLElement>('input,select,textarea,button,summary');
  target?.focus();
}

// ------------------------------------------------------------------------------------------ the screen

export default function PolicyEditor({ ctx }: { ctx: ConsoleContext }) {
  const i18n = useI18n();
  const locale = i18n.locale;
  const t = useMemo(() => policyTranslator(locale), [locale]);
  const [boot, setBoot] = useState<
    | { state: 'loading' }
    | { state: 'error'; message: string }
    | { state: 'ok'; installationId: number | null; settings: Record<string, unknown>; who: Who }
  >({ state: 'loading' });
  const [current, setCurrent] = useState<Policy | null>(null);
  const [unreadable, setUnreadable] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [view, setView] = useState<'form' | 'json' | 'history'>('form');
  const [jsonText, setJsonText] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ type: 'success' | 'error' | 'warning'; lines: string[] } | null>(
    null,
  );
  const [saving, setSaving] = useState(false);
  const [reasonOpen, setReasonOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonTouched, setReasonTouched] = useState(false);
  const [historyKey, setHistoryKey] = useState(0);

  useEffect(() => {
    let live = true;
    void Promise.all([
      ctx.client.metadata(),
      ctx.client.get(['currentUser.id', 'currentUser.name', 'currentUser.role']),
    ])
      .then(([metadata, user]) => {
        if (!live) return;
        const settings = metadata.settings;
        const stored = settings[POLICY_PARAMETER];
        const parsed = stored === undefined || stored === null || stored === '' ? null : parsePolicy(stored);
        const who: Who = {
          id: Number(user.values['currentUser.id'] ?? 0),
          name: user.values['currentUser.name'] ?? '',
          role: user.values['currentUser.role'] ?? 'agent',
        };
        if (parsed?.success === true) {
          setCurrent(parsed.data);
          setDraft(sectionsOf(parsed.data));
        } else {
          setUnreadable(parsed !== null);
          const resolved = resolveSettings(settings);
          setDraft(policySectionsOf(resolved.success ? resolved.data : DEFAULT_SETTINGS));
        }
        setBoot({
          state: 'ok',
          installationId: typeof metadata.installationId === 'number' ? metadata.installationId : null,
          settings,
          who,
        });
      })
      .catch((error: unknown) => live && setBoot({ state: 'error', message: String(error) }));
    return () => {
      live = false;
    };
  }, [ctx.client]);

  const who = boot.state === 'ok' ? boot.who : { id: 0, name: '', role: 'agent' };
  const canEdit = who.role === 'admin';
  const validation = useMemo(
    () => (draft === null ? null : parsePolicy(forValidation(draft, current, who))),
    [draft, current, who],
  );
  const issues: readonly Issue[] = validation?.success === false ? validation.issues : [];
  const changes = useMemo(() => {
    if (draft === null || current === null) return null;
    return diffPolicies(current, draft as never).reduce((n, g) => n + g.entries.length, 0);
  }, [draft, current]);

  const update = useCallback((path: Path, value: unknown) => {
    setDraft((d) => (d === null ? d : setAt(d, path, value)));
  }, []);

  // The JSON view shows the form's draft; typing valid JSON there replaces the draft (invalid JSON keeps it).
  const openJson = () => {
    if (draft !== null) setJsonText(JSON.stringify(draft, null, 2));
    setJsonError(null);
    setView('json');
  };
  const onJson = (text: string) => {
    setJsonText(text);
    try {
      const value = JSON.parse(text) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        setJsonError(
          locale === 'fr' ? 'le document doit être un objet { … }' : 'the document must be an object { … }',
        );
        return;
      }
      setJsonError(null);
      setDraft(sectionsOf(value as Draft));
    } catch (error) {
      setJsonError((error as Error).message);
    }
  };

  /** PUT the document into the installation, read it back, then ask the connector to sync. */
  const saveDocument = async (sections: Draft, why: string): Promise<boolean> => {
    if (boot.state !== 'ok') return false;
    if (boot.installationId === null) {
      setNotice({ type: 'error', lines: [t('save.noInstallation')] });
      return false;
    }
    const doc = parsePolicy(
      nextVersion(sections, current, { id: who.id > 0 ? who.id : 1, name: who.name || '—' }, why, new Date()),
    );
    if (!doc.success) {
      setNotice({ type: 'error', lines: doc.issues.map((i) => `${i.path}: ${i.message[locale]}`) });
      return false;
    }
    setSaving(true);
    try {
      const text = serializePolicy(doc.data);
      const url = `/api/v2/apps/installations/${boot.installationId}.json`;
      const put = await ctx.client.request({
        url,
        type: 'PUT',
        contentType: 'application/json',
        data: JSON.stringify({ settings: { [POLICY_PARAMETER]: text } }),
        dataType: 'json',
      });
      if (put.status === 403 || put.status === 401) {
        setNotice({ type: 'error', lines: [t('save.forbidden')] });
        return false;
      }
      if (put.status === 422) {
        const body = (put.responseJSON ?? {}) as { details?: Record<string, { description?: string }[]> };
        const details = Object.entries(body.details ?? {})
          .flatMap(([field, list]) => list.map((d) => `${field}: ${d.description ?? ''}`))
          .join('; ');
        setNotice({
          type: 'error',
          lines: [t('save.invalid', { details: details || (put.responseText ?? '') })],
        });
        return false;
      }
      if (put.status < 200 || put.status >= 300) {
        setNotice({
          type: 'error',
          lines: [t('save.failed', { status: put.status, message: (put.responseText ?? '').slice(0, 200) })],
        });
        return false;
      }
      const back = await ctx.client.request({ url, type: 'GET', dataType: 'json' });
      const backSettings = (back.responseJSON as { settings?: Record<string, unknown> } | undefined)
        ?.settings;
      if (back.status !== 200 || backSettings?.[POLICY_PARAMETER] !== text) {
        setNotice({ type: 'error', lines: [t('save.readBack')] });
        return false;
      }
      setCurrent(doc.data);
      setDraft(sectionsOf(doc.data));
      setUnreadable(false);
      if (view === 'json') setJsonText(JSON.stringify(sectionsOf(doc.data), null, 2));
      const sync = await ctx.connector.post<unknown>('/api/v1/policy/sync', {});
      setNotice(
        sync.ok
          ? { type: 'success', lines: [t('save.done', { version: doc.data.version }), t('save.synced')] }
          : {
              type: 'warning',
              lines: [
                t('save.done', { version: doc.data.version }),
                t('save.notSynced', { message: sync.message }),
              ],
            },
      );
      setHistoryKey((k) => k + 1);
      return true;
    } finally {
      setSaving(false);
    }
  };

  const importSettings = async () => {
    if (boot.state !== 'ok') return;
    const resolved = resolveSettings({ ...boot.settings, [POLICY_PARAMETER]: '' });
    const settings = resolved.success ? resolved.data : DEFAULT_SETTINGS;
    const first = policyFromSettings(settings, {
      version: 1,
      savedAt: new Date().toISOString(),
      savedBy: { id: who.id > 0 ? who.id : 1, name: who.name || '—' },
      reason: t('import.reason'),
    });
    if (first.success) await saveDocument(sectionsOf(first.data), t('import.reason'));
  };

  if (boot.state === 'loading' || draft === null)
    return boot.state === 'error' ? (
      <Alert type="error">
        <Title>{t('title')}</Title>
        <Paragraph>{boot.message}</Paragraph>
      </Alert>
    ) : (
      <Loading lines={5} />
    );

  const nextNumber = (current?.version ?? 0) + 1;
  const reasonInvalid = reason.trim() === '';
  const tierIds = Array.isArray(draft['compensationTiers'])
    ? (draft['compensationTiers'] as { id?: unknown }[]).map((x) => asText(x.id))
    : [];

  const problemList = (
    <div data-testid="policy-problems" aria-live="polite">
      {issues.length === 0 ? (
        <Muted>{t('problems.none')}</Muted>
      ) : (
        <Alert type="error" role="alert">
          <Title>{t('problems.count', { count: issues.length })}</Title>
          <ul style={{ margin: '6px 0 0', paddingLeft: 18 }}>
            {issues.map((issue) => (
              <li key={issue.path + issue.message.en} data-testid="policy-problem" data-path={issue.path}>
                <LinkButton
                  onClick={() => {
                    setView('form');
                    setTimeout(() =>
                      focusAnchor(anchorOf(issue.path, (id) => document.getElementById(id) !== null)),
                    );
                  }}
                >
                  {t('problems.at', {
                    where: issue.path === '' ? 'JSON' : describeWhere(issue.path, locale, t),
                    message: issue.message[locale],
                  })}
                </LinkButton>
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </div>
  );

  return (
    <Stack data-testid="policy" data-can-edit={canEdit ? 'true' : 'false'}>
      <Card>
        <CardTitle>{t('title')}</CardTitle>
        <Paragraph style={{ marginTop: 0 }}>{t('intro')}</Paragraph>
        <Paragraph data-testid="policy-current">
          {current === null
            ? t('current.none')
            : t('current.version', {
                version: current.version,
                when: formatDateTime(locale, current.savedAt),
                who: current.savedBy.name,
                reason: current.reason,
              })}
        </Paragraph>
        {unreadable && (
          <Alert type="warning">
            <Paragraph>{t('current.unreadable')}</Paragraph>
          </Alert>
        )}
        <Paragraph data-testid="policy-role">
          <Muted>{canEdit ? t('role.admin') : t('role.reader', { role: who.role })}</Muted>
        </Paragraph>
      </Card>

      {current === null && canEdit && (
        <Alert type="info" data-testid="policy-import">
          <Title>{t('import.title')}</Title>
          <Paragraph>{t('import.body')}</Paragraph>
          <Button style={{ marginTop: 8 }} isPrimary disabled={saving} onClick={() => void importSettings()}>
            {t('import.button')}
          </Button>
        </Alert>
      )}

      {notice !== null && (
        <Alert type={notice.type} role="status" data-testid={`policy-notice-${notice.type}`}>
          {notice.lines.map((line) => (
            <Paragraph key={line}>{line}</Paragraph>
          ))}
        </Alert>
      )}

      <Views role="tablist" aria-label={t('view.label')}>
        {(['form', 'json', 'history'] as const).map((v) => (
          <ViewTab
            key={v}
            role="tab"
            aria-selected={view === v}
            $active={view === v}
            data-view={v}
            onClick={() => (v === 'json' ? openJson() : setView(v))}
          >
            {t(`view.${v}`)}
          </ViewTab>
        ))}
      </Views>

      {view !== 'history' && canEdit && (
        <Bar>
          <Muted data-testid="policy-changes">
            {changes === null || changes === 0
              ? t('draft.unchanged')
              : t('draft.changed', { count: changes, version: current?.version ?? 0 })}
          </Muted>
          {canEdit && changes !== null && changes > 0 && (
            <Button size="small" isBasic onClick={() => current && setDraft(sectionsOf(current))}>
              {t('draft.discard')}
            </Button>
          )}
          {canEdit && (
            <>
              <Button
                isPrimary
                size="small"
                disabled={issues.length > 0 || saving}
                data-testid="policy-save"
                onClick={() => {
                  setReasonOpen(true);
                  setReasonTouched(false);
                }}
              >
                {t('save.button')}
              </Button>
              {issues.length > 0 && (
                <Muted data-testid="save-disabled">{t('save.disabled', { count: issues.length })}</Muted>
              )}
            </>
          )}
        </Bar>
      )}

      {reasonOpen && canEdit && view !== 'history' && (
        <Card data-testid="policy-reason">
          <Field>
            <Label>{t('save.reason')}</Label>
            <Input
              autoFocus
              value={reason}
              maxLength={500}
              {...(reasonTouched && reasonInvalid ? { validation: 'error' as const } : {})}
              onChange={(e) => setReason(e.target.value)}
              onBlur={() => setReasonTouched(true)}
            />
            {reasonTouched && reasonInvalid && (
              <Message validation="error">{t('save.reasonRequired')}</Message>
            )}
          </Field>
          <Row style={{ marginTop: 10 }}>
            <Button
              isPrimary
              disabled={saving || reasonInvalid || issues.length > 0}
              data-testid="policy-save-confirm"
              onClick={() =>
                void saveDocument(draft, reason).then((ok) => {
                  if (ok) {
                    setReasonOpen(false);
                    setReason('');
                  }
                })
              }
            >
              {saving ? t('save.saving') : t('save.confirm', { version: nextNumber })}
            </Button>
            <Button isBasic onClick={() => setReasonOpen(false)}>
              {t('save.cancel')}
            </Button>
          </Row>
        </Card>
      )}

      {view !== 'history' && (canEdit || issues.length > 0) && problemList}

      {view === 'form' && (
        <FormView draft={draft} issues={issues} readOnly={!canEdit} t={t} update={update} tierIds={tierIds} />
      )}

      {view === 'json' && (
        <Card data-testid="policy-json">
          <Field>
            <Label>{t('json.label')}</Label>
            <Hint>{t('json.help')}</Hint>
            <Textarea
              value={jsonText}
              readOnly={!canEdit}
              minRows={24}
              maxRows={40}
              spellCheck={false}
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }}
              {...(jsonError === null ? {} : { validation: 'error' as const })}
              onChange={(e) => onJson(e.target.value)}
              data-testid="policy-json-text"
            />
            {jsonError !== null && (
              <Message validation="error" data-testid="policy-json-error">
                {t('json.invalid', { message: jsonError })}
              </Message>
            )}
          </Field>
        </Card>
      )}

      {view !== 'history' && (
        <PreviewCard
          ctx={ctx}
          t={t}
          valid={issues.length === 0}
          build={() => forValidation(draft, current, who)}
        />
      )}

      {view === 'history' && (
        <HistoryView
          key={historyKey}
          ctx={ctx}
          t={t}
          current={current}
          canEdit={canEdit}
          saving={saving}
          onRollback={async (version) => {
            const got = await ctx.connector.get<{ version: number; policy: unknown }>(
              `/api/v1/policy/versions/${version}`,
            );
            if (!got.ok) {
              setNotice({ type: 'error', lines: [got.message] });
              return;
            }
            const old = parsePolicy(got.value.policy);
            if (!old.success) {
              setNotice({ type: 'error', lines: old.issues.map((i) => `${i.path}: ${i.message[locale]}`) });
              return;
            }
            await saveDocument(sectionsOf(old.data), t('history.rollbackReason', { version }));
          }}
        />
      )}
    </Stack>
  );
}

function describeWhere(path: string, locale: 'en' | 'fr', t?: PolicyTranslate): string {
  const parts = path.split('.');
  const rule = /^rules\[(\d+)\]/.exec(path);
  if (rule !== null && t !== undefined) return `${t('history.rule', { n: Number(rule[1]) + 1 })} (${path})`;
  if (/\[\d+\]/.test(path)) return path;
  const label = describe(parts, locale).label;
  return label === path ? path : `${label} (${path})`;
}

// ------------------------------------------------------------------------------------------ form

function FieldInput({
  field,
  value,
  issues,
  readOnly,
  update,
  helpShown = true,
}: {
  field: PolicyField;
  value: unknown;
  issues: readonly Issue[];
  readOnly: boolean;
  update: (path: Path, value: unknown) => void;
  /** False when the section shows the meaning once for all its fields. */
  helpShown?: boolean;
}) {
  const unit = unitShown(field);
  const { locale } = useI18n();
  const key = pathKey(field.path);
  const mine = issuesAt(issues, key);
  const [text, setText] = useState(asText(value));
  // The draft changed elsewhere (JSON view, discard, roll back): show it, unless it is what was typed.
  useEffect(() => {
    const shown = asText(value);
    setText((typed) => (String(parseNumber(typed)) === shown ? typed : shown));
  }, [value]);
  return (
    <FieldBox id={fieldId(key)} data-field={key}>
      <Field>
        <Label>
          {field.label}
          {unit !== undefined && <Muted> ({unit})</Muted>}
        </Label>
        {helpShown && (field.help !== undefined || field.source !== undefined) && (
          <Hint>
            {field.help}
            {field.source !== undefined && (
              <span style={{ display: 'block', fontStyle: 'italic' }}>{field.source}</span>
            )}
          </Hint>
        )}
        {field.kind === 'select' ? (
          <Select
            value={String(value)}
            disabled={readOnly}
            onChange={(e) => update(field.path, e.target.value)}
          >
            {(field.options ?? []).map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </Select>
        ) : (
          <Input
            value={text}
            readOnly={readOnly}
            {...(field.kind === 'number' ? { inputMode: 'decimal' as const } : {})}
            {...(mine.length > 0 ? { validation: 'error' as const } : {})}
            aria-invalid={mine.length > 0}
            onChange={(e) => {
              setText(e.target.value);
              update(field.path, field.kind === 'number' ? parseNumber(e.target.value) : e.target.value);
            }}
          />
        )}
        {mine.map((i) => (
          <Message key={i.message.en} validation="error" data-testid="field-problem">
            {i.message[locale]}
          </Message>
        ))}
      </Field>
    </FieldBox>
  );
}

function PlainFields({
  draft,
  section,
  issues,
  readOnly,
  update,
}: {
  draft: Draft;
  section: string;
  issues: readonly Issue[];
  readOnly: boolean;
  update: (path: Path, value: unknown) => void;
}) {
  const { locale } = useI18n();
  const fields = sectionFields(draft, section, locale);
  const shared = sharedHelp(fields);
  return (
    <>
      {shared !== undefined && (
        <SectionHelp>
          {shared.help}
          {shared.source !== undefined && (
            <span style={{ display: 'block', fontStyle: 'italic' }}>{shared.source}</span>
          )}
        </SectionHelp>
      )}
      <Fields>
        {fields.map((field) => (
          <FieldInput
            key={pathKey(field.path)}
            field={field}
            value={getAt(draft, field.path)}
            issues={issues}
            readOnly={readOnly}
            update={update}
            helpShown={shared === undefined}
          />
        ))}
      </Fields>
    </>
  );
}

function FormView({
  draft,
  issues,
  readOnly,
  t,
  update,
  tierIds,
}: {
  draft: Draft;
  issues: readonly Issue[];
  readOnly: boolean;
  t: PolicyTranslate;
  update: (path: Path, value: unknown) => void;
  tierIds: readonly string[];
}) {
  const { locale } = useI18n();
  return (
    <Stack>
      {GROUPS.map((group) => {
        const body = (
          <>
            {group.sections.map((section) => {
              const sectionIssues = issues.filter((i) => i.path === section);
              return (
                <div key={section} id={fieldId(section)}>
                  {group.sections.length > 1 && (
                    <Sub>
                      {t(`section.${section}` as never) || section}
                      <Key>{section}</Key>
                    </Sub>
                  )}
                  {sectionIssues.map((i) => (
                    <Bad key={i.message.en} role="alert" data-testid="field-problem">
                      {i.message[locale]}
                    </Bad>
                  ))}
                  {section === 'rules' ? (
                    <RulesEditor
                      draft={draft}
                      issues={issues}
                      readOnly={readOnly}
                      t={t}
                      update={update}
                      tierIds={tierIds}
                    />
                  ) : section === 'compensationTiers' ? (
                    <TiersEditor draft={draft} issues={issues} readOnly={readOnly} t={t} update={update} />
                  ) : (
                    <>
                      <PlainFields
                        draft={draft}
                        section={section}
                        issues={issues}
                        readOnly={readOnly}
                        update={update}
                      />
                      {section === 'effort' && (
                        <LexiconEditor
                          draft={draft}
                          issues={issues}
                          readOnly={readOnly}
                          t={t}
                          update={update}
                        />
                      )}
                    </>
                  )}
                </div>
              );
            })}
          </>
        );
        const count = issues.filter((i) =>
          (group.sections as readonly string[]).some(
            (s) => i.path === s || i.path.startsWith(`${s}.`) || i.path.startsWith(`${s}[`),
          ),
        ).length;
        return (
          <Card key={group.id} id={`policy-group-${group.id}`} data-group={group.id}>
            {group.advanced === true ? (
              <Details open={count > 0 ? true : undefined}>
                <summary>{group.title[locale]}</summary>
                <Muted>{t('advanced')}</Muted>
                {body}
              </Details>
            ) : (
              <>
                <CardTitle>{group.title[locale]}</CardTitle>
                {body}
              </>
            )}
          </Card>
        );
      })}
    </Stack>
  );
}

function TiersEditor({
  draft,
  issues,
  readOnly,
  t,
  update,
}: {
  draft: Draft;
  issues: readonly Issue[];
  readOnly: boolean;
  t: PolicyTranslate;
  update: (path: Path, value: unknown) => void;
}) {
  const { locale } = useI18n();
  const tiers = (Array.isArray(draft['compensationTiers']) ? draft['compensationTiers'] : []) as Record<
    string,
    unknown
  >[];
  const cell = (index: number, path: (string | number)[], kind: 'number' | 'text', width: number) => {
    const full = ['compensationTiers', index, ...path];
    const value = getAt(draft, full);
    const bad = issuesAt(issues, pathKey(full)).length > 0;
    return (
      <Input
        id={fieldId(full)}
        aria-label={`${asText(tiers[index]?.['id'] ?? index)} ${path.join(' ')}`}
        isCompact
        style={{ width }}
        readOnly={readOnly}
        {...(bad ? { validation: 'error' as const } : {})}
        value={asText(value)}
        onChange={(e) => update(full, kind === 'number' ? parseNumber(e.target.value) : e.target.value)}
      />
    );
  };
  return (
    <div>
      <Muted>{t('tiers.help')}</Muted>
      <Table>
        <thead>
          <tr>
            <th>{t('tiers.id')}</th>
            <th>{t('tiers.amount')}</th>
            <th>{t('tiers.reduction')}</th>
            <th>{t('tiers.labelEn')}</th>
            <th>{t('tiers.labelFr')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tiers.map((_, index) => (
            <tr key={index} id={fieldId(['compensationTiers', index])}>
              <td>{cell(index, ['id'], 'text', 180)}</td>
              <td>{cell(index, ['amount'], 'number', 80)}</td>
              <td>{cell(index, ['reduction'], 'number', 80)}</td>
              <td>{cell(index, ['label', 'en'], 'text', 300)}</td>
              <td>{cell(index, ['label', 'fr'], 'text', 300)}</td>
              <td>
                {!readOnly && (
                  <Button
                    size="small"
                    isBasic
                    isDanger
                    onClick={() =>
                      update(
                        ['compensationTiers'],
                        tiers.filter((__, j) => j !== index),
                      )
                    }
                  >
                    {t('list.remove')}
                  </Button>
                )}
                {issuesAt(issues, pathKey(['compensationTiers', index]), true).map((i) => (
                  <Bad key={i.path + i.message.en} data-testid="field-problem">
                    {i.message[locale]}
                  </Bad>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {!readOnly && tiers.length < 10 && (
        <Button
          size="small"
          style={{ marginTop: 8 }}
          onClick={() => {
            const last = tiers[tiers.length - 1] as { amount?: number; reduction?: number } | undefined;
            update(
              ['compensationTiers'],
              [
                ...tiers,
                {
                  id: `goodwill_${tiers.length + 1}`,
                  amount: (last?.amount ?? 0) * 2 || 50,
                  reduction: Math.min(1, last?.reduction ?? 0.4),
                  label: { en: 'a credit of {amount}', fr: 'un avoir de {amount}' },
                },
              ],
            );
          }}
        >
          {t('list.add')}
        </Button>
      )}
    </div>
  );
}

function LexiconEditor({
  draft,
  issues,
  readOnly,
  t,
  update,
}: {
  draft: Draft;
  issues: readonly Issue[];
  readOnly: boolean;
  t: PolicyTranslate;
  update: (path: Path, value: unknown) => void;
}) {
  const { locale } = useI18n();
  const path = ['effort', 'lexicon'];
  const list = (Array.isArray(getAt(draft, path)) ? getAt(draft, path) : []) as {
    phrase?: unknown;
    weight?: unknown;
  }[];
  const d = describe(path, locale);
  return (
    <div id={fieldId(path)} style={{ marginTop: 14 }}>
      <Sub>{d.label}</Sub>
      {d.help !== undefined && <Muted>{d.help}</Muted>}
      {list.length === 0 && <Paragraph>{t('lexicon.empty')}</Paragraph>}
      {list.map((entry, index) => (
        <Row key={index} $gap={8} style={{ marginTop: 6 }}>
          <Input
            isCompact
            id={fieldId([...path, index, 'phrase'])}
            aria-label={t('lexicon.phrase')}
            style={{ width: 280 }}
            readOnly={readOnly}
            value={asText(entry.phrase)}
            onChange={(e) => update([...path, index, 'phrase'], e.target.value)}
          />
          <Input
            isCompact
            id={fieldId([...path, index, 'weight'])}
            aria-label={t('lexicon.weight')}
            style={{ width: 90 }}
            readOnly={readOnly}
            value={asText(entry.weight)}
            onChange={(e) => update([...path, index, 'weight'], parseNumber(e.target.value))}
          />
          {!readOnly && (
            <Button
              size="small"
              isBasic
              isDanger
              onClick={() =>
                update(
                  path,
                  list.filter((_, j) => j !== index),
                )
              }
            >
              {t('list.remove')}
            </Button>
          )}
          {issuesAt(issues, pathKey([...path, index]), true).map((i) => (
            <Bad key={i.path + i.message.en} data-testid="field-problem">
              {i.message[locale]}
            </Bad>
          ))}
        </Row>
      ))}
      {!readOnly && (
        <Button
          size="small"
          style={{ marginTop: 8 }}
          onClick={() => update(path, [...list, { phrase: '', weight: 0.5 }])}
        >
          {t('list.add')}
        </Button>
      )}
    </div>
  );
}

function RulesEditor({
  draft,
  issues,
  readOnly,
  t,
  update,
  tierIds,
}: {
  draft: Draft;
  issues: readonly Issue[];
  readOnly: boolean;
  t: PolicyTranslate;
  update: (path: Path, value: unknown) => void;
  tierIds: readonly string[];
}) {
  const { locale } = useI18n();
  const rules = (Array.isArray(draft['rules']) ? draft['rules'] : []) as RuleDraft[];
  return (
    <Stack $gap={10} data-testid="rules">
      <Muted>{t('rules.help')}</Muted>
      {rules.length === 0 && <Paragraph>{t('rules.empty')}</Paragraph>}
      {rules.map((rule, index) => (
        <RuleEditor
          key={index}
          rule={rule}
          index={index}
          count={rules.length}
          tiers={tierIds}
          issues={issues}
          readOnly={readOnly}
          locale={locale}
          t={t}
          onChange={(next) => update(['rules', index], next)}
          onMove={(delta) => {
            const copy = [...rules];
            const [moved] = copy.splice(index, 1);
            copy.splice(index + delta, 0, moved!);
            update(['rules'], copy);
          }}
          onRemove={() =>
            update(
              ['rules'],
              rules.filter((_, j) => j !== index),
            )
          }
        />
      ))}
      {!readOnly && (
        <div>
          <Button
            size="small"
            onClick={() => update(['rules'], [...rules, newRule(rules, t)])}
            data-testid="add-rule"
          >
            {t('rules.add')}
          </Button>
        </div>
      )}
    </Stack>
  );
}

// ------------------------------------------------------------------------------------------ preview

function PreviewCard({
  ctx,
  t,
  valid,
  build,
}: {
  ctx: ConsoleContext;
  t: PolicyTranslate;
  valid: boolean;
  build: () => Draft;
}) {
  const i18n = useI18n();
  const [days, setDays] = useState('30');
  const [state, setState] = useState<
    { s: 'idle' } | { s: 'running' } | { s: 'ok'; value: PreviewAnswer } | { s: 'error'; message: string }
  >({ s: 'idle' });
  const n = /^\d+$/.test(days) ? Math.min(365, Math.max(1, Number(days))) : 30;
  const signed = (amount: number) =>
    `${amount > 0 ? '+' : amount < 0 ? '−' : ''}${i18n.money(Math.abs(Math.round(amount)))}`;
  const run = async () => {
    setState({ s: 'running' });
    const answer = await ctx.connector.post<PreviewAnswer>('/api/v1/policy/preview', {
      policy: build(),
      days: n,
    });
    setState(answer.ok ? { s: 'ok', value: answer.value } : { s: 'error', message: answer.message });
  };
  const hours = (h: number) => `${i18n.decimal(h, Number.isInteger(h) ? 0 : 1)} h`;
  const dueGroups = (groups: NonNullable<PreviewAnswer['dueChanges']>) =>
    [
      ...groups
        .slice(0, DUE_GROUPS_SHOWN)
        .map(
          (g) =>
            `${TIER_LABELS[g.tier as keyof typeof TIER_LABELS]?.[i18n.locale] ?? g.tier} ${hours(g.before)} → ${hours(g.after)} (${g.count})`,
        ),
      ...(groups.length > DUE_GROUPS_SHOWN ? ['…'] : []),
    ].join(', ');
  const action = (a: { action: string; compensationTier?: string | null }) =>
    `${t(`action.${a.action}` as never) || a.action}${a.compensationTier ? ` (${a.compensationTier})` : ''}`;
  return (
    <Card data-testid="policy-preview">
      <CardTitle>{t('preview.title')}</CardTitle>
      <Row>
        <div style={{ width: 110 }}>
          <Field>
            <Label>{t('preview.days')}</Label>
            <Input isCompact inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
          </Field>
        </div>
        <Button
          style={{ alignSelf: 'flex-end' }}
          disabled={!valid || state.s === 'running'}
          onClick={() => void run()}
          data-testid="policy-preview-run"
        >
          {t('preview.run', { days: n })}
        </Button>
        {!valid && <Muted>{t('preview.invalid')}</Muted>}
      </Row>
      {state.s === 'running' && <Muted>{t('preview.running')}</Muted>}
      {state.s === 'error' && (
        <Alert type="warning" style={{ marginTop: 10 }}>
          <Paragraph>{t('preview.noConnector', { message: state.message })}</Paragraph>
        </Alert>
      )}
      {state.s === 'ok' && (
        <div data-testid="policy-preview-result" style={{ marginTop: 10 }}>
          <Paragraph style={{ fontWeight: 600 }} data-testid="policy-preview-summary">
            {state.value.changed === 0
              ? t('preview.none', { days: state.value.days, incidents: state.value.incidents })
              : t('preview.changed', {
                  changed: state.value.changed,
                  incidents: state.value.incidents,
                  days: state.value.days,
                })}
          </Paragraph>
          {(state.value.dueChanged ?? 0) > 0 && (
            <Paragraph data-testid="policy-preview-due" style={{ margin: '4px 0 8px' }}>
              {t('preview.due', {
                count: state.value.dueChanged!,
                groups: dueGroups(state.value.dueChanges ?? []),
              })}
            </Paragraph>
          )}
          <Row $gap={6}>
            {state.value.expectedValueDelta !== undefined && (
              <span>{t('preview.value', { delta: signed(state.value.expectedValueDelta) })}</span>
            )}
            {state.value.costDelta !== undefined && (
              <span>{t('preview.cost', { delta: signed(state.value.costDelta) })}</span>
            )}
          </Row>
          {state.value.callbacks !== undefined && (
            <Paragraph data-testid="policy-preview-load">
              {t('preview.load', {
                before: i18n.decimal(state.value.callbacks.beforePerDay, 1),
                after: i18n.decimal(state.value.callbacks.afterPerDay, 1),
                capacity: i18n.decimal(state.value.callbacks.capacityPerDay, 0),
              })}
              {state.value.callbacks.capacityPerDay !== null &&
                state.value.callbacks.afterPerDay > state.value.callbacks.capacityPerDay && (
                  <strong style={{ color: '#cc3340' }}> {t('preview.overCapacity')}</strong>
                )}
            </Paragraph>
          )}
          {state.value.changes.length > 0 && (
            <Table>
              <tbody>
                {state.value.changes.slice(0, 20).map((c) => (
                  <tr key={`${c.ticketId}-${c.decidedAt ?? ''}`} data-testid="policy-preview-change">
                    <td>
                      <LinkButton onClick={() => ctx.openTicket(c.ticketId)}>
                        {t('preview.ticket', { id: c.ticketId })}
                      </LinkButton>
                    </td>
                    <td>{c.decidedAt === undefined ? '' : i18n.date(c.decidedAt)}</td>
                    <td>
                      {action(c.before)} → <strong>{action(c.after)}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {state.value.changes.length > 20 && (
            <Muted>{t('preview.more', { count: state.value.changes.length - 20 })}</Muted>
          )}
          <Paragraph style={{ marginTop: 8 }}>
            <Muted>{t('preview.estimate')}</Muted>
          </Paragraph>
        </div>
      )}
    </Card>
  );
}

// ------------------------------------------------------------------------------------------ history

function HistoryView({
  ctx,
  t,
  current,
  canEdit,
  saving,
  onRollback,
}: {
  ctx: ConsoleContext;
  t: PolicyTranslate;
  current: Policy | null;
  canEdit: boolean;
  saving: boolean;
  onRollback: (version: number) => Promise<void>;
}) {
  const { locale } = useI18n();
  const [rows, setRows] = useState<
    { s: 'loading' } | { s: 'ok'; rows: PolicyVersionRow[] } | { s: 'error'; message: string }
  >({ s: 'loading' });
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [diff, setDiff] = useState<ReturnType<typeof diffPolicies> | null | string>(null);
  const asked = useRef(0);
  useEffect(() => {
    void ctx.connector.get<{ versions: PolicyVersionRow[] }>('/api/v1/policy/versions').then((answer) => {
      if (answer.ok) {
        const list = answer.value.versions;
        setRows({ s: 'ok', rows: list });
        if (list.length >= 2) {
          setTo(list[0]!.version);
          setFrom(list[1]!.version);
        }
      } else setRows({ s: 'error', message: answer.message });
    });
  }, [ctx.connector]);
  useEffect(() => {
    if (from === null || to === null) return;
    const ask = ++asked.current;
    setDiff('loading');
    void Promise.all([
      ctx.connector.get<{ policy: unknown }>(`/api/v1/policy/versions/${from}`),
      ctx.connector.get<{ policy: unknown }>(`/api/v1/policy/versions/${to}`),
    ]).then(([a, b]) => {
      if (ask !== asked.current) return;
      if (!a.ok || !b.ok) {
        setDiff(!a.ok ? a.message : !b.ok ? b.message : '');
        return;
      }
      const pa = parsePolicy(a.value.policy);
      const pb = parsePolicy(b.value.policy);
      setDiff(pa.success && pb.success ? diffPolicies(pa.data, pb.data) : 'unreadable');
    });
  }, [ctx.connector, from, to]);
  const list: PolicyVersionRow[] =
    rows.s === 'ok'
      ? rows.rows
      : current === null
        ? []
        : [
            {
              version: current.version,
              savedAt: current.savedAt,
              savedBy: current.savedBy,
              reason: current.reason,
            },
          ];
  return (
    <Stack data-testid="policy-history">
      <Card>
        <CardTitle>{t('history.title')}</CardTitle>
        {rows.s === 'loading' && <Loading lines={3} />}
        {rows.s === 'error' && (
          <Alert type="warning">
            <Paragraph>{t('history.currentOnly', { message: rows.message })}</Paragraph>
          </Alert>
        )}
        {rows.s !== 'loading' && list.length === 0 && <Paragraph>{t('history.empty')}</Paragraph>}
        {list.length > 0 && (
          <Table>
            <thead>
              <tr>
                <th>{t('history.version')}</th>
                <th>{t('history.when')}</th>
                <th>{t('history.who')}</th>
                <th>{t('history.why')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((row) => (
                <tr key={row.version} data-testid="policy-version" data-version={row.version}>
                  <td>
                    v{row.version}
                    {current?.version === row.version && <Muted> ({t('history.current')})</Muted>}
                  </td>
                  <td>{formatDateTime(locale, row.savedAt)}</td>
                  <td>{row.savedBy.name}</td>
                  <td>{row.reason}</td>
                  <td>
                    {canEdit && rows.s === 'ok' && current?.version !== row.version && (
                      <Button
                        size="small"
                        disabled={saving}
                        data-testid="policy-rollback"
                        onClick={() => void onRollback(row.version)}
                      >
                        {t('history.rollback', { version: row.version })}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      {rows.s === 'ok' && rows.rows.length >= 2 && (
        <Card data-testid="policy-diff">
          <CardTitle>{t('history.compare')}</CardTitle>
          <Row>
            {(
              [
                ['history.from', from, setFrom],
                ['history.to', to, setTo],
              ] as const
            ).map(([label, value, set]) => (
              <div key={label} style={{ width: 160 }}>
                <Field>
                  <Label>{t(label)}</Label>
                  <Select value={String(value ?? '')} onChange={(e) => set(Number(e.target.value))}>
                    {rows.rows.map((r) => (
                      <option key={r.version} value={r.version}>
                        v{r.version}
                      </option>
                    ))}
                  </Select>
                </Field>
              </div>
            ))}
          </Row>
          {diff === 'loading' && <Loading lines={2} />}
          {typeof diff === 'string' && diff !== 'loading' && <Bad>{diff}</Bad>}
          {Array.isArray(diff) && (
            <div style={{ marginTop: 12 }}>
              <Paragraph style={{ fontWeight: 600 }}>
                {t('history.diffTitle', { from: from ?? '', to: to ?? '' })}
              </Paragraph>
              {diff.length === 0 && <Muted>{t('history.noDiff')}</Muted>}
              {diff.map(({ group, entries }) => (
                <div key={group.id} data-testid="policy-diff-group" data-group={group.id}>
                  <Sub>{group.title[locale]}</Sub>
                  <Table>
                    <tbody>
                      {entries.map((e) => (
                        <tr key={e.path} data-testid="policy-diff-entry" data-path={e.path}>
                          <td style={{ width: '35%' }}>{describeWhere(e.path, locale, t)}</td>
                          <td>
                            <del style={{ color: '#8c232c' }}>{show(e.before)}</del> →{' '}
                            <ins style={{ color: '#037f52', textDecoration: 'none', fontWeight: 600 }}>
                              {show(e.after)}
                            </ins>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </Table>
                </div>
              ))}
            </div>
          )}
        </Card>
      )}
    </Stack>
  );
}
