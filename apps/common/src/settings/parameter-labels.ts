/** Labels of the app's settings in the Zendesk admin page, English and French (translations/*.json). */
export const PARAMETER_LABELS: Readonly<Record<string, readonly [en: string, fr: string]>> = {
  locale: ['Default language of explanations (en or fr)', 'Langue par défaut des explications (en ou fr)'],
  connector_url: ['Connector URL', 'URL du connecteur'],
  connector_token: ['Connector token', 'Jeton du connecteur'],
  policy: ['Policy (edited in the Boucle console)', 'Politique (modifiée dans la console Boucle)'],
  zendesk_fields_intervention_field_id: [
    'Ticket field id: intervention',
    'Id du champ de ticket : intervention',
  ],
  zendesk_fields_callback_due_field_id: [
    'Ticket field id: callback due',
    'Id du champ de ticket : échéance du rappel',
  ],
  value_tiers_platinum: [
    'Value tier: platinum from (12-month revenue)',
    'Niveau platine à partir de (CA 12 mois)',
  ],
  value_tiers_gold: ['Value tier: gold from (12-month revenue)', 'Niveau or à partir de (CA 12 mois)'],
  value_tiers_silver: [
    'Value tier: silver from (12-month revenue)',
    'Niveau argent à partir de (CA 12 mois)',
  ],
  value_at_risk_horizon_months: ['Value at risk: horizon (months)', 'Valeur en jeu : horizon (mois)'],
  value_at_risk_default_margin_rate: [
    'Value at risk: default margin rate (0–1)',
    'Valeur en jeu : taux de marge par défaut (0–1)',
  ],
  value_at_risk_pipeline_weight: [
    'Value at risk: weight of open pipeline (0–1)',
    'Valeur en jeu : poids du pipeline ouvert (0–1)',
  ],
  costs_agent_cost_per_minute: ['Cost: agent time per minute', 'Coût : minute de temps agent'],
  costs_apology_minutes: ['Cost: minutes for an apology', 'Coût : minutes pour des excuses'],
  costs_callback_minutes: ['Cost: minutes for a callback', 'Coût : minutes pour un rappel'],
  costs_compensation_minutes: [
    'Cost: extra minutes for a compensation',
    'Coût : minutes en plus pour un dédommagement',
  ],
  effects_apology: [
    'Effect: churn reduction of an apology (0–1)',
    'Effet : baisse du risque par des excuses (0–1)',
  ],
  effects_callback: [
    'Effect: churn reduction of a callback (0–1)',
    'Effet : baisse du risque par un rappel (0–1)',
  ],
  compensation_tiers: ['Compensation tiers (JSON list)', 'Paliers de dédommagement (liste JSON)'],
  guardrails_apology_cooldown_days: [
    'Guardrail: days between two apologies',
    'Garde-fou : jours entre deux excuses',
  ],
  guardrails_recurrence_threshold: [
    'Guardrail: recurrences that justify compensation',
    'Garde-fou : récurrences justifiant un dédommagement',
  ],
  guardrails_severe_from: [
    'Guardrail: severity that justifies compensation',
    'Garde-fou : gravité justifiant un dédommagement',
  ],
  guardrails_slow_handling_hours: [
    'Guardrail: slow handling from (hours)',
    'Garde-fou : traitement lent à partir de (heures)',
  ],
  guardrails_max_spend_share_of_value_at_risk: [
    'Guardrail: max spend share of value at risk (0–1)',
    'Garde-fou : part maximale de la valeur en jeu dépensée (0–1)',
  ],
  callback_window_hours_platinum: ['Callback window: platinum (hours)', 'Délai de rappel : platine (heures)'],
  callback_window_hours_gold: ['Callback window: gold (hours)', 'Délai de rappel : or (heures)'],
  callback_window_hours_silver: ['Callback window: silver (hours)', 'Délai de rappel : argent (heures)'],
  callback_window_hours_bronze: ['Callback window: bronze (hours)', 'Délai de rappel : bronze (heures)'],
  priority_urgent_from: [
    'Priority urgent from (expected loss)',
    'Priorité urgente à partir de (perte attendue)',
  ],
  priority_high_from: ['Priority high from (expected loss)', 'Priorité élevée à partir de (perte attendue)'],
  priority_normal_from: [
    'Priority normal from (expected loss)',
    'Priorité normale à partir de (perte attendue)',
  ],
  capacity_agent_minutes_per_day: [
    'Capacity: agent minutes per day for callbacks',
    'Capacité : minutes agent par jour pour les rappels',
  ],
  history_repeat_window_days: [
    'History: repeat incidents within (days)',
    'Historique : incidents répétés sur (jours)',
  ],
  experiment_holdout_percent: [
    'Test and learn: holdout share of eligible customers (%)',
    'Test et apprentissage : part témoin des clients éligibles (%)',
  ],
  experiment_id: ['Test and learn: experiment id', 'Test et apprentissage : identifiant de l’expérience'],
  effort_balanced_tolerance: ['Effort: tolerance for "balanced"', 'Effort : tolérance pour « équilibré »'],
  effort_customer_per_extra_contact: [
    'Customer effort: per extra contact',
    'Effort client : par contact supplémentaire',
  ],
  effort_customer_per_reopen: ['Customer effort: per reopen', 'Effort client : par réouverture'],
  effort_customer_per_channel_switch: [
    'Customer effort: per channel switch',
    'Effort client : par changement de canal',
  ],
  effort_customer_per_transfer: ['Customer effort: per transfer', 'Effort client : par transfert'],
  effort_customer_per_waiting_day: ['Customer effort: per day waiting', "Effort client : par jour d'attente"],
  effort_customer_max_from_waiting: [
    'Customer effort: maximum from waiting',
    "Effort client : maximum dû à l'attente",
  ],
  effort_customer_max_from_phrases: [
    'Customer effort: maximum from phrases',
    'Effort client : maximum dû aux expressions',
  ],
  effort_company_per_public_reply: [
    'Company effort: per public reply',
    'Effort entreprise : par réponse publique',
  ],
  effort_company_max_from_public_replies: [
    'Company effort: maximum from public replies',
    'Effort entreprise : maximum dû aux réponses publiques',
  ],
  effort_company_per_proactive_callback: [
    'Company effort: per proactive callback',
    'Effort entreprise : par rappel proactif',
  ],
  effort_company_per_escalation: ['Company effort: per escalation', 'Effort entreprise : par escalade'],
  effort_company_owner_assigned: [
    'Company effort: one owner from start to end',
    'Effort entreprise : un seul responsable du début à la fin',
  ],
  effort_company_per_gesture: [
    'Company effort: per goodwill gesture',
    'Effort entreprise : par geste commercial',
  ],
  effort_lexicon: [
    'Effort lexicon additions (one phrase per line)',
    "Ajouts au lexique d'effort (une expression par ligne)",
  ],
  risk_intercept: ['Churn model: intercept (log-odds)', 'Modèle de départ : constante (log-odds)'],
  risk_effort_class_customer_harder: [
    'Churn model: customer worked harder',
    "Modèle de départ : le client a fourni plus d'effort",
  ],
  risk_effort_class_balanced: ['Churn model: balanced effort', 'Modèle de départ : effort équilibré'],
  risk_effort_class_company_harder: [
    'Churn model: company worked harder',
    "Modèle de départ : l'entreprise a fourni plus d'effort",
  ],
  risk_severity_low: ['Churn model: low severity', 'Modèle de départ : gravité basse'],
  risk_severity_medium: ['Churn model: medium severity', 'Modèle de départ : gravité moyenne'],
  risk_severity_high: ['Churn model: high severity', 'Modèle de départ : gravité haute'],
  risk_severity_critical: ['Churn model: critical severity', 'Modèle de départ : gravité critique'],
  risk_incident_type_billing: ['Churn model: billing incident', 'Modèle de départ : incident de facturation'],
  risk_incident_type_delivery: ['Churn model: delivery incident', 'Modèle de départ : incident de livraison'],
  risk_incident_type_product_defect: ['Churn model: product defect', 'Modèle de départ : défaut produit'],
  risk_incident_type_service_outage: ['Churn model: service outage', 'Modèle de départ : panne de service'],
  risk_incident_type_service_quality: [
    'Churn model: service quality',
    'Modèle de départ : qualité de service',
  ],
  risk_incident_type_staff_behaviour: [
    'Churn model: staff behaviour',
    'Modèle de départ : comportement du personnel',
  ],
  risk_incident_type_other: ['Churn model: other incident', 'Modèle de départ : autre incident'],
  risk_per_repeat_incident: ['Churn model: per repeat incident', 'Modèle de départ : par incident répété'],
  risk_max_repeat_incidents: [
    'Churn model: repeat incidents counted at most',
    'Modèle de départ : incidents répétés comptés au plus',
  ],
  risk_tenure_under_one_year: [
    'Churn model: customer for under a year',
    "Modèle de départ : client depuis moins d'un an",
  ],
  risk_tenure_one_to_three_years: [
    'Churn model: customer for 1–3 years',
    'Modèle de départ : client depuis 1 à 3 ans',
  ],
  risk_tenure_over_three_years: [
    'Churn model: customer for over 3 years',
    'Modèle de départ : client depuis plus de 3 ans',
  ],
  risk_nps_category_detractor: ['Churn model: NPS detractor', 'Modèle de départ : détracteur NPS'],
  risk_nps_category_passive: ['Churn model: NPS passive', 'Modèle de départ : passif NPS'],
  risk_nps_category_promoter: ['Churn model: NPS promoter', 'Modèle de départ : promoteur NPS'],
  risk_nps_falling: ['Churn model: NPS falling', 'Modèle de départ : NPS en baisse'],
  risk_nps_falling_by: [
    'Churn model: NPS drop that counts as falling',
    'Modèle de départ : baisse de NPS considérée comme une chute',
  ],
  rules: ['Rules (JSON list)', 'Règles (liste JSON)'],
};

/** Help text by parameter name prefix (the longest matching prefix wins). */
export const PARAMETER_HELP: Readonly<Record<string, readonly [en: string, fr: string]>> = {
  locale: [
    'Language of explanations stored with interventions.',
    'Langue des explications enregistrées avec les interventions.',
  ],
  connector_url: [
    'Base URL of the Boucle connector (https). Zendesk sends ticket events to it through the webhook this app creates.',
    "URL de base du connecteur Boucle (https). Zendesk lui envoie les événements des tickets par le webhook que crée l'application.",
  ],
  experiment_holdout_percent: [
    'Boucle withholds its recommendation for this share of eligible incidents (drawn by customer, never a case a rule requires) so the experiment report can measure what the policy earns. 0 = off.',
    "Boucle ne recommande rien pour cette part des incidents éligibles (tirée par client, jamais un cas qu'une règle impose), pour que le rapport d'expérience mesure ce que la politique rapporte. 0 = désactivé.",
  ],
  experiment_id: [
    'Salt of the draw: a new id draws a new holdout (and starts a new experiment).',
    'Graine du tirage : un nouvel identifiant tire un nouveau groupe témoin (et commence une nouvelle expérience).',
  ],
  connector_token: [
    'Bearer token the connector expects on webhook calls. Stored securely by Zendesk; never sent to the browser.',
    'Jeton Bearer attendu par le connecteur sur les appels du webhook. Stocké de façon sécurisée par Zendesk ; jamais envoyé au navigateur.',
  ],
  zendesk_fields: [
    'Only if Boucle should write to other ticket fields than the ones it created: the numeric field id.',
    "Seulement si Boucle doit écrire dans d'autres champs de ticket que ceux qu'il a créés : l'id numérique du champ.",
  ],
  value_tiers: [
    '12-month revenue plus weighted open pipeline, in the account currency.',
    'CA sur 12 mois plus pipeline ouvert pondéré, dans la devise du compte.',
  ],
  value_at_risk: [
    "How much of the customer's value an incident puts at risk.",
    'Quelle part de la valeur du client un incident met en jeu.',
  ],
  costs: ['What each intervention costs the company.', "Ce que coûte chaque intervention à l'entreprise."],
  effects: [
    'Relative reduction of churn risk: 0.3 means the risk is multiplied by 0.7.',
    'Baisse relative du risque de départ : 0,3 multiplie le risque par 0,7.',
  ],
  compensation_tiers: [
    'JSON list from the smallest to the largest: [{"id": "goodwill_small", "amount": 25, "reduction": 0.38, "label": {"en": "a credit of {amount} on your next invoice", "fr": "un avoir de {amount} sur votre prochaine facture"}}, …]. The label is what the customer reads in the draft reply; {amount} becomes the amount in their language.',
    'Liste JSON du plus petit au plus grand : [{"id": "goodwill_small", "amount": 25, "reduction": 0.38, "label": {"en": "a credit of {amount} on your next invoice", "fr": "un avoir de {amount} sur votre prochaine facture"}}, …]. Le libellé est ce que lit le client dans le brouillon de réponse ; {amount} devient le montant dans sa langue.',
  ],
  guardrails: ['Limits the policy always respects.', 'Limites que la politique respecte toujours.'],
  callback_window_hours: [
    'Hours within which the customer must be contacted (the apology sent, the callback made, the compensation granted), by value tier.',
    'Heures dans lesquelles contacter le client (excuses envoyées, rappel fait, compensation accordée), par niveau de valeur.',
  ],
  priority: [
    'Expected loss (value at risk × churn risk) from which a ticket gets each priority.',
    'Perte attendue (valeur en jeu × risque de départ) à partir de laquelle un ticket reçoit chaque priorité.',
  ],
  capacity: [
    'Agent minutes per day available for callbacks and compensations.',
    'Minutes agent par jour disponibles pour les rappels et dédommagements.',
  ],
  history: [
    'Past incidents within this window count as repeats.',
    'Les incidents passés dans cette fenêtre comptent comme répétés.',
  ],
  effort: [
    'How the effort is estimated when there is no survey answer, in CES points (1–7).',
    "Comment l'effort est estimé sans réponse à une enquête, en points CES (1–7).",
  ],
  effort_lexicon: [
    'Phrases that signal customer effort, added to the built-in English and French ones. One per line, optionally "phrase = weight".',
    "Expressions signalant l'effort du client, ajoutées à celles intégrées (anglais et français). Une par ligne, éventuellement « expression = poids ».",
  ],
  risk: [
    'Log-odds points of the churn model; the defaults are calibrated on published figures.',
    'Points (log-odds) du modèle de départ ; les valeurs par défaut sont calibrées sur des chiffres publiés.',
  ],
  rules: [
    'JSON list of rules that force or forbid actions, tags and priorities; rules win over the model. See docs.',
    'Liste JSON de règles qui imposent ou interdisent des actions, étiquettes et priorités ; les règles priment sur le modèle. Voir la documentation.',
  ],
};
