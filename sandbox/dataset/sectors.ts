/**
 * Sector figures the dataset is calibrated on (../shared/DOMAIN.md §3, seeds 000 and 001) and the words its
 * tickets and survey comments are made of, in English and French.
 */
import type { IncidentType } from '../../shared/src/index.ts';
export { FIRST_NAMES, LAST_NAMES, NAME_STEMS } from '../generated-names.ts';

export const SECTORS = ['telecom', 'retail', 'banking', 'hotels', 'utilities', 'insurance'] as const;
export type Sector = (typeof SECTORS)[number];

export interface SectorProfile {
  /** Salesforce Account.Industry picklist value. */
  readonly industry: string;
  /** Share of the generated accounts. */
  readonly weight: number;
  /** Share of customers with at least one critical incident over the year (seed 000: ~50% telecom, ~20% hotels/banking, 30% overall). */
  readonly incidentRate: number;
  /** Share of incidents where the customer made more effort than the company (seed 001: about half overall). */
  readonly customerHarder: number;
  /** Share where the company made more effort (seed 001: 10% in insurance and utilities, 36% best online retailers). */
  readonly companyHarder: number;
  /** Gross margin rate. */
  readonly marginRate: number;
  /** Incident types of the sector, by weight. */
  readonly types: Readonly<Partial<Record<IncidentType, number>>>;
  readonly nameWords: readonly string[];
}

export const SECTOR_PROFILES: Readonly<Record<Sector, SectorProfile>> = {
  telecom: {
    industry: 'Telecommunications',
    weight: 0.25,
    incidentRate: 0.5,
    customerHarder: 0.55,
    companyHarder: 0.2,
    marginRate: 0.35,
    types: { service_outage: 0.4, billing: 0.25, service_quality: 0.2, staff_behaviour: 0.05, delivery: 0.1 },
    nameWords: ['Telecom', 'Mobile', 'Networks', 'Fibre'],
  },
  retail: {
    industry: 'Retail',
    weight: 0.2,
    incidentRate: 0.25,
    customerHarder: 0.4,
    companyHarder: 0.36,
    marginRate: 0.25,
    types: { delivery: 0.45, product_defect: 0.3, billing: 0.15, staff_behaviour: 0.1 },
    nameWords: ['Stores', 'Market', 'Outfitters', 'Retail'],
  },
  banking: {
    industry: 'Banking',
    weight: 0.15,
    incidentRate: 0.2,
    customerHarder: 0.5,
    companyHarder: 0.2,
    marginRate: 0.45,
    types: { billing: 0.45, service_outage: 0.2, service_quality: 0.25, staff_behaviour: 0.1 },
    nameWords: ['Bank', 'Savings', 'Capital', 'Credit Union'],
  },
  hotels: {
    industry: 'Hospitality',
    weight: 0.15,
    incidentRate: 0.2,
    customerHarder: 0.45,
    companyHarder: 0.25,
    marginRate: 0.3,
    types: { service_quality: 0.4, staff_behaviour: 0.25, billing: 0.2, product_defect: 0.15 },
    nameWords: ['Hotels', 'Resorts', 'Inns', 'Hospitality'],
  },
  utilities: {
    industry: 'Utilities',
    weight: 0.15,
    incidentRate: 0.3,
    customerHarder: 0.6,
    companyHarder: 0.1,
    marginRate: 0.2,
    types: { billing: 0.45, service_outage: 0.35, service_quality: 0.2 },
    nameWords: ['Energy', 'Water', 'Power', 'Utilities'],
  },
  insurance: {
    industry: 'Insurance',
    weight: 0.1,
    incidentRate: 0.25,
    customerHarder: 0.6,
    companyHarder: 0.1,
    marginRate: 0.4,
    types: { billing: 0.35, service_quality: 0.45, staff_behaviour: 0.2 },
    nameWords: ['Insurance', 'Mutual', 'Assurance'],
  },
};

/** DOMAIN.md §3 targets that `boucle generate --report` compares against. */
export const TARGETS = {
  incidentRateOverall: 0.3,
  churnAfterIncident: 0.24,
  customerHarderFactor: 4,
  customerHarderShare: 0.5,
} as const;

export type Lang = 'en' | 'fr';

interface IncidentText {
  readonly subject: Readonly<Record<Lang, string>>;
  readonly first: Readonly<Record<Lang, string>>;
}

export const INCIDENT_TEXT: Readonly<Record<IncidentType, IncidentText>> = {
  billing: {
    subject: { en: 'Charged twice on my last bill', fr: 'Double prélèvement sur ma dernière facture' },
    first: {
      en: 'My last bill was charged twice. Please refund the duplicate amount.',
      fr: 'Ma dernière facture a été prélevée deux fois. Merci de rembourser le doublon.',
    },
  },
  delivery: {
    subject: { en: 'Order never arrived', fr: 'Commande jamais reçue' },
    first: {
      en: 'The parcel was marked delivered but I never received it.',
      fr: 'Le colis est indiqué livré mais je ne l’ai jamais reçu.',
    },
  },
  product_defect: {
    subject: { en: 'Product broken on arrival', fr: 'Produit cassé à la livraison' },
    first: {
      en: 'The product stopped working after two days.',
      fr: 'Le produit ne fonctionne plus au bout de deux jours.',
    },
  },
  service_outage: {
    subject: { en: 'No service since yesterday', fr: 'Plus de service depuis hier' },
    first: {
      en: 'We have had no connection since yesterday morning, our whole office is down.',
      fr: 'Nous n’avons plus de connexion depuis hier matin, tout le bureau est bloqué.',
    },
  },
  service_quality: {
    subject: { en: 'Very poor service', fr: 'Service très décevant' },
    first: {
      en: 'The service we received was far below what was promised.',
      fr: 'Le service reçu est très en dessous de ce qui était promis.',
    },
  },
  staff_behaviour: {
    subject: { en: 'Rude answer from your staff', fr: 'Réponse désagréable de votre personnel' },
    first: {
      en: 'The person I spoke to was rude and hung up on me.',
      fr: 'La personne au téléphone a été désagréable et m’a raccroché au nez.',
    },
  },
  other: {
    subject: { en: 'Problem with my account', fr: 'Problème avec mon compte' },
    first: { en: 'I have a problem with my account.', fr: 'J’ai un problème avec mon compte.' },
  },
};

/** Customer follow-ups that carry the effort phrases of DOMAIN.md §2 (what the effort lexicon reads). */
export const EFFORT_FOLLOW_UPS: Readonly<Record<Lang, readonly string[]>> = {
  en: [
    'Still waiting for an answer, this is the third time I write.',
    'I called again yesterday and nobody could help.',
    'Still waiting. I had to explain the problem again to a new person.',
    'Third time I contact you about this, still not fixed.',
  ],
  fr: [
    'Toujours pas de réponse, c’est la troisième fois que j’écris.',
    'J’ai encore rappelé hier, personne n’a pu m’aider.',
    'Toujours pas résolu, encore une attente de deux jours.',
    'Je vous ai appelé à nouveau, le problème est toujours là.',
  ],
};

export const CALM_FOLLOW_UPS: Readonly<Record<Lang, readonly string[]>> = {
  en: ['Thanks for looking into it.', 'Any news on this?', 'Here is the reference you asked for.'],
  fr: ['Merci de regarder.', 'Avez-vous du nouveau ?', 'Voici la référence demandée.'],
};

export const AGENT_REPLIES: Readonly<Record<Lang, readonly string[]>> = {
  en: [
    'Thank you for your message, we are looking into it.',
    'I have escalated this to our specialist team.',
    'This should now be fixed, could you confirm?',
  ],
  fr: [
    'Merci pour votre message, nous regardons cela.',
    'J’ai transmis votre demande à l’équipe spécialisée.',
    'Cela devrait être réglé, pouvez-vous confirmer ?',
  ],
};

/**
 * Agent replies by stage of the conversation, so that a ticket reads like one: an acknowledgement, then progress,
 * then the resolution. The generator never uses the same sentence twice in one ticket.
 */
export const AGENT_REPLIES_BY_STAGE: Readonly<
  Record<Lang, Readonly<Record<'first' | 'progress' | 'resolution', readonly string[]>>>
> = {
  en: {
    first: [
      'Thank you for your message, we are looking into it.',
      'Thanks for reaching out. I am checking your account now and will come back to you today.',
      'Sorry for the trouble. I have opened a case with the team in charge and will keep you posted.',
      'Thank you, I have your reference. Let me look into what happened.',
      'I understand, and I am sorry about this. I am on it.',
    ],
    progress: [
      'I have escalated this to our specialist team.',
      'Quick update: the team has found the cause and is working on a fix.',
      'We are still waiting for our partner to confirm; I will write again as soon as I hear back.',
      'I have checked with the warehouse: it is being handled as a priority.',
      'Thank you for your patience. Could you send me a photo or a screenshot of the problem?',
      'I have asked a colleague who knows this area well to take a look.',
    ],
    resolution: [
      'This should now be fixed, could you confirm?',
      'It is sorted: the correction will show on your account within 24 hours.',
      'Good news: the replacement left our warehouse this morning.',
      'The issue is resolved on our side. Let me know if anything still looks wrong.',
      'I have applied the fix and closed the case; reply here if you need anything else.',
    ],
  },
  fr: {
    first: [
      'Merci pour votre message, nous regardons cela.',
      'Merci de nous avoir contactés. Je vérifie votre compte et reviens vers vous aujourd’hui.',
      'Désolé pour ce désagrément. J’ai ouvert un dossier auprès de l’équipe concernée et vous tiens informé.',
      'Merci, j’ai bien votre référence. Je regarde ce qui s’est passé.',
      'Je comprends, et j’en suis désolé. Je m’en occupe.',
    ],
    progress: [
      'J’ai transmis votre demande à l’équipe spécialisée.',
      'Petit point : l’équipe a trouvé la cause et prépare une correction.',
      'Nous attendons encore la confirmation de notre partenaire ; je vous écris dès que j’ai sa réponse.',
      'J’ai vérifié auprès de l’entrepôt : votre demande est traitée en priorité.',
      'Merci de votre patience. Pouvez-vous m’envoyer une photo ou une capture du problème ?',
      'J’ai demandé à un collègue qui connaît bien ce sujet d’y jeter un œil.',
    ],
    resolution: [
      'Cela devrait être réglé, pouvez-vous confirmer ?',
      'C’est corrigé : la rectification apparaîtra sur votre compte sous 24 heures.',
      'Bonne nouvelle : le remplacement est parti de notre entrepôt ce matin.',
      'Le problème est résolu de notre côté. Dites-moi si quelque chose ne va toujours pas.',
      'J’ai appliqué la correction et clos le dossier ; répondez ici si besoin.',
    ],
  },
};

export const ROUTINE_TICKETS: readonly Readonly<Record<Lang, { subject: string; body: string }>>[] = [
  {
    en: { subject: 'How do I update my address?', body: 'Where can I change my postal address?' },
    fr: { subject: 'Changer mon adresse', body: 'Où puis-je modifier mon adresse postale ?' },
  },
  {
    en: { subject: 'Copy of my invoice', body: 'Could you send me a copy of last month’s invoice?' },
    fr: { subject: 'Copie de facture', body: 'Pouvez-vous m’envoyer la facture du mois dernier ?' },
  },
  {
    en: { subject: 'Add a user to our account', body: 'We would like to add a colleague to our account.' },
    fr: { subject: 'Ajouter un utilisateur', body: 'Nous souhaitons ajouter un collègue à notre compte.' },
  },
  {
    en: { subject: 'Question about my plan', body: 'Which plan includes the premium options?' },
    fr: { subject: 'Question sur mon offre', body: 'Quelle offre inclut les options premium ?' },
  },
  {
    en: { subject: 'Password reset', body: 'I cannot log in, can you reset my password?' },
    fr: { subject: 'Mot de passe oublié', body: 'Je n’arrive plus à me connecter, pouvez-vous m’aider ?' },
  },
];

export const SURVEY_COMMENTS: Readonly<
  Record<'good' | 'neutral' | 'bad' | 'effort', Readonly<Record<Lang, readonly string[]>>>
> = {
  good: {
    en: ['Quick and friendly, thank you.', 'Solved in one call, great.', 'Very helpful agent.'],
    fr: ['Rapide et aimable, merci.', 'Réglé en un appel, parfait.', 'Conseiller très efficace.'],
  },
  neutral: {
    en: ['It was fine.', 'OK, but it took a while.', 'Answer was correct.'],
    fr: ['Correct.', 'Bien, mais un peu long.', 'Réponse juste.'],
  },
  bad: {
    en: ['Not satisfied with how this was handled.', 'The problem is not really solved.'],
    fr: ['Pas satisfait du traitement.', 'Le problème n’est pas vraiment réglé.'],
  },
  effort: {
    en: [
      'Still waiting after three calls, I had to chase you every time.',
      'Third time I had to explain the problem, called again and again.',
      'Endless waiting, I did all the work to get this fixed.',
    ],
    fr: [
      'Toujours pas réglé, j’ai dû rappeler trois fois.',
      'Troisième fois que j’explique le problème, encore et encore.',
      'Une attente interminable, c’est moi qui ai tout fait pour que ça avance.',
    ],
  },
};

/** Countries with the language their customers write in. */
export const COUNTRIES: readonly {
  readonly name: string;
  readonly lang: Lang;
  readonly dial: string;
  readonly weight: number;
}[] = [
  { name: 'France', lang: 'fr', dial: '+33', weight: 0.35 },
  { name: 'Belgium', lang: 'fr', dial: '+32', weight: 0.08 },
  { name: 'Canada', lang: 'fr', dial: '+1', weight: 0.07 },
  { name: 'United Kingdom', lang: 'en', dial: '+44', weight: 0.2 },
  { name: 'United States', lang: 'en', dial: '+1', weight: 0.15 },
  { name: 'Ireland', lang: 'en', dial: '+353', weight: 0.05 },
  { name: 'Netherlands', lang: 'en', dial: '+31', weight: 0.05 },
  { name: 'Sweden', lang: 'en', dial: '+46', weight: 0.05 },
];
