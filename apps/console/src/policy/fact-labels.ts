/**
 * What each fact of the rule catalogue (shared/src/rules/fact-catalogue.ts) means, in English and French, for the
 * rule builder's menu; the rule itself stores the fact's name. A test checks every fact has both labels.
 */
import type { FactName } from '../../../../shared/src/rules/fact-catalogue.ts';

export const FACT_LABELS: Readonly<Record<FactName, { readonly en: string; readonly fr: string }>> = {
  'incident.type': { en: 'Incident: type', fr: 'Incident : type' },
  'incident.severity': { en: 'Incident: severity', fr: 'Incident : gravité' },
  'incident.companyAtFault': {
    en: 'Incident: the company is at fault',
    fr: 'Incident : faute de l’entreprise',
  },
  'incident.recurrence': {
    en: 'Incident: times it happened before',
    fr: 'Incident : fois où il s’est déjà produit',
  },
  'incident.contacts': { en: 'Incident: customer contacts', fr: 'Incident : contacts du client' },
  'incident.reopens': { en: 'Incident: reopens', fr: 'Incident : réouvertures' },
  'incident.transfers': { en: 'Incident: transfers', fr: 'Incident : transferts' },
  'incident.channelSwitches': { en: 'Incident: channel switches', fr: 'Incident : changements de canal' },
  'incident.waitingHours': {
    en: 'Incident: hours waiting for replies',
    fr: 'Incident : heures d’attente de réponse',
  },
  'incident.channel': { en: 'Incident: channel', fr: 'Incident : canal' },
  'incident.monetaryLoss': {
    en: 'Incident: customer’s monetary loss (€)',
    fr: 'Incident : perte financière du client (€)',
  },
  'customer.tier': { en: 'Customer: value tier', fr: 'Client : niveau de valeur' },
  'customer.revenue12m': { en: 'Customer: 12-month revenue (€)', fr: 'Client : CA sur 12 mois (€)' },
  'customer.lifetimeRevenue': { en: 'Customer: lifetime revenue (€)', fr: 'Client : CA cumulé (€)' },
  'customer.marginRate': { en: 'Customer: margin rate (0–1)', fr: 'Client : taux de marge (0–1)' },
  'customer.orders12m': { en: 'Customer: orders in 12 months', fr: 'Client : commandes sur 12 mois' },
  'customer.openPipeline': { en: 'Customer: open pipeline (€)', fr: 'Client : pipeline ouvert (€)' },
  'customer.tenureYears': { en: 'Customer: years as a customer', fr: 'Client : années d’ancienneté' },
  'customer.daysSinceLastOrder': {
    en: 'Customer: days since the last order',
    fr: 'Client : jours depuis la dernière commande',
  },
  'customer.segment': { en: 'Customer: segment', fr: 'Client : segment' },
  'customer.region': { en: 'Customer: region', fr: 'Client : région' },
  'customer.productLine': { en: 'Customer: product line', fr: 'Client : gamme de produits' },
  'effort.class': { en: 'Effort: who worked harder', fr: 'Effort : qui a fourni le plus d’effort' },
  'effort.source': { en: 'Effort: measured or estimated', fr: 'Effort : mesuré ou estimé' },
  'effort.ratio': { en: 'Effort: customer ÷ company', fr: 'Effort : client ÷ entreprise' },
  'effort.difference': { en: 'Effort: customer − company', fr: 'Effort : client − entreprise' },
  'effort.customer': { en: 'Effort: the customer’s (CES)', fr: 'Effort : celui du client (CES)' },
  'effort.company': { en: 'Effort: the company’s', fr: 'Effort : celui de l’entreprise' },
  'effort.phraseMatches': {
    en: 'Effort: effort phrases found',
    fr: 'Effort : expressions d’effort trouvées',
  },
  'feedback.lastNps': { en: 'Feedback: last NPS score', fr: 'Avis : dernière note NPS' },
  'feedback.npsCategory': { en: 'Feedback: NPS category', fr: 'Avis : catégorie NPS' },
  'feedback.lastCsatSatisfied': { en: 'Feedback: last CSAT satisfied', fr: 'Avis : dernier CSAT satisfait' },
  'history.repeatIncidents': { en: 'History: repeat incidents', fr: 'Historique : incidents répétés' },
  'history.daysSinceLastApology': {
    en: 'History: days since the last apology',
    fr: 'Historique : jours depuis les dernières excuses',
  },
  'history.daysSinceLastIntervention': {
    en: 'History: days since the last intervention',
    fr: 'Historique : jours depuis la dernière intervention',
  },
  'risk.churn': { en: 'Risk: churn probability (0–1)', fr: 'Risque : probabilité de départ (0–1)' },
  'value.atRisk': { en: 'Value: value at risk (€)', fr: 'Valeur : valeur en jeu (€)' },
  'value.expectedLoss': { en: 'Value: expected loss (€)', fr: 'Valeur : perte attendue (€)' },
};

/** The tiers and priorities in the admin's language (the same words as the explanations'). */
export { PRIORITY_LABELS, TIER_LABELS } from '../../../../shared/src/explain/tier-labels.ts';
