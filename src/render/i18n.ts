/**
 * Interface text in the site's languages. English is the reference; every other language
 * must provide every key (the type checker enforces it). Words about ODS concepts (meta
 * names, features, field types, annotations) live here too, so a French site explains
 * them in French.
 */

export const LANGUAGES = ["en", "fr"] as const;
export type Lang = (typeof LANGUAGES)[number];

export function isLang(value: string): value is Lang {
  return (LANGUAGES as readonly string[]).includes(value);
}

export interface Messages {
  locale: string;
  skipToContent: string;
  /** Between a label and its value: ": " in English, " : " (no-break space) in French. */
  colon: string;
  home: string;
  catalogOf: (portal: string) => string;
  datasetsCount: (n: number, formatted: string) => string;
  recordsCount: (n: number, formatted: string) => string;
  fieldsCount: (n: number, formatted: string) => string;
  publisher: string;
  modified: string;
  records: string;
  features: string;
  noDescription: string;
  description: string;
  metadata: string;
  metadataTemplate: (name: string) => string;
  fields: string;
  noFields: string;
  fieldName: string;
  fieldLabel: string;
  fieldType: string;
  fieldDescription: string;
  fieldAnnotations: string;
  attachments: string;
  download: string;
  api: string;
  apiIntro: string;
  apiSelf: string;
  apiRecords: string;
  apiExports: string;
  viewOnPortal: string;
  portalPage: string;
  notFoundTitle: string;
  notFoundText: string;
  backToCatalog: string;
  footerSource: string;
  footerGenerator: string;
  yes: string;
  no: string;
  metaLabels: Record<string, string>;
  featureNames: Record<string, string>;
  featureExplanations: Record<string, string>;
  unknownFeature: (name: string) => string;
  fieldTypes: Record<string, string>;
  annotation: (name: string, args: string[]) => string;
}

const plural = (locale: string, forms: { one: string; other: string }) => {
  const rules = new Intl.PluralRules(locale);
  return (n: number, formatted: string) =>
    (rules.select(n) === "one" ? forms.one : forms.other).replace("#", formatted);
};

const quoteEn = (s: string) => `“${s}”`;
const quoteFr = (s: string) => `« ${s} »`;

const en: Messages = {
  locale: "en",
  skipToContent: "Skip to content",
  colon: ": ",
  home: "Home",
  catalogOf: (portal) => `Open data catalog of ${portal}`,
  datasetsCount: plural("en", { one: "# dataset", other: "# datasets" }),
  recordsCount: plural("en", { one: "# record", other: "# records" }),
  fieldsCount: plural("en", { one: "# field", other: "# fields" }),
  publisher: "Publisher",
  modified: "Modified",
  records: "Records",
  features: "Features",
  noDescription: "No description was published for this dataset.",
  description: "Description",
  metadata: "Metadata",
  metadataTemplate: (name) => `Metadata: ${name}`,
  fields: "Fields",
  noFields: "This dataset has no fields: it publishes attachments only.",
  fieldName: "Name",
  fieldLabel: "Label",
  fieldType: "Type",
  fieldDescription: "Description",
  fieldAnnotations: "Annotations",
  attachments: "Attachments",
  download: "Download",
  api: "API",
  apiIntro: "This dataset's resources in the portal's Explore API v2:",
  apiSelf: "Dataset (JSON)",
  apiRecords: "Records (JSON)",
  apiExports: "Export formats",
  viewOnPortal: "View on the portal",
  portalPage: "Portal page",
  notFoundTitle: "Page not found",
  notFoundText: "There is no page at this address. The dataset may have been removed or renamed.",
  backToCatalog: "Back to the catalog",
  footerSource: "Data and metadata from",
  footerGenerator: "Static catalog built with ods-catalog.",
  yes: "yes",
  no: "no",
  metaLabels: {
    publisher: "Publisher",
    theme: "Themes",
    keyword: "Keywords",
    license: "License",
    language: "Language",
    modified: "Last modified",
    data_processed: "Data processed",
    metadata_processed: "Metadata processed",
    records_count: "Records",
    update_frequency: "Update frequency",
    territory: "Territory",
    geographic_reference: "Geographic reference",
    geographic_reference_auto: "Geographic reference detected automatically",
    geographic_area: "Geographic area",
    geographic_area_mode: "Geographic area mode",
    geometry_types: "Geometry types",
    bbox: "Bounding box",
    references: "References",
    attributions: "Attributions",
    source_domain: "Source portal",
    source_domain_title: "Source portal name",
    source_domain_address: "Source portal address",
    source_dataset: "Source dataset",
    shared_catalog: "Shared catalog",
    federated: "Federated",
    timezone: "Time zone",
    metadata_languages: "Metadata languages",
    modified_updates_on_metadata_change: "Modified date follows metadata changes",
    modified_updates_on_data_change: "Modified date follows data changes",
    oauth_scope: "OAuth scope",
    parent_domain: "Parent portal",
  },
  featureNames: {
    analyze: "Analyze",
    timeserie: "Time series",
    geo: "Map",
    custom_view: "Custom view",
    calendar: "Calendar",
    image: "Images",
    apiproxy: "API proxy",
    aggregate: "Aggregations",
  },
  featureExplanations: {
    analyze: "Records can be charted and aggregated on the portal.",
    timeserie: "Records carry dates, so they can be charted over time.",
    geo: "Records carry geographic coordinates or shapes and can be shown on a map.",
    custom_view: "The portal shows this dataset in a custom-made view.",
    calendar: "Records are events with dates, shown on a calendar.",
    image: "Records include images, shown as a gallery.",
    apiproxy: "The dataset is a proxy to another web API.",
    aggregate: "Records can be aggregated through the API.",
  },
  unknownFeature: (name) => `Portal feature ${quoteEn(name)}.`,
  fieldTypes: {
    text: "text",
    int: "integer",
    double: "decimal number",
    boolean: "boolean",
    date: "date",
    datetime: "date and time",
    geo_point_2d: "geographic point",
    geo_shape: "geographic shape",
    file: "file",
    json_blob: "JSON",
    image: "image",
  },
  annotation: (name, args) => {
    const arg = args[0];
    switch (name) {
      case "facet":
        return "facet (filterable)";
      case "disjunctive":
        return "multiple-choice facet";
      case "facetsort":
        return `facet sorted by ${describeSort(arg, { count: "count", alphanum: "name", num: "value" })}`;
      case "sortable":
        return "sortable";
      case "id":
        return "identifier";
      case "multivalued":
        return arg ? `several values, separated by ${quoteEn(arg)}` : "several values";
      case "hierarchical":
        return arg ? `hierarchical, levels separated by ${quoteEn(arg)}` : "hierarchical";
      case "unit":
        return arg ? `unit: ${arg}` : "has a unit";
      case "decimals":
        return arg ? `${arg} decimal places` : "fixed decimals";
      case "timeserie_precision":
        return arg ? `time precision: ${arg}` : "time precision";
      case "timerangeFilter":
        return "filterable by time range";
      default:
        return args.length > 0 ? `${name}: ${args.join(", ")}` : name;
    }
  },
};

const fr: Messages = {
  locale: "fr",
  skipToContent: "Aller au contenu",
  colon: "\u00a0: ",
  home: "Accueil",
  catalogOf: (portal) => `Catalogue de données ouvertes de ${portal}`,
  datasetsCount: plural("fr", { one: "# jeu de données", other: "# jeux de données" }),
  recordsCount: plural("fr", { one: "# enregistrement", other: "# enregistrements" }),
  fieldsCount: plural("fr", { one: "# champ", other: "# champs" }),
  publisher: "Producteur",
  modified: "Modifié",
  records: "Enregistrements",
  features: "Fonctionnalités",
  noDescription: "Aucune description n’a été publiée pour ce jeu de données.",
  description: "Description",
  metadata: "Métadonnées",
  metadataTemplate: (name) => `Métadonnées : ${name}`,
  fields: "Champs",
  noFields: "Ce jeu de données n’a pas de champs : il ne publie que des pièces jointes.",
  fieldName: "Nom",
  fieldLabel: "Libellé",
  fieldType: "Type",
  fieldDescription: "Description",
  fieldAnnotations: "Annotations",
  attachments: "Pièces jointes",
  download: "Télécharger",
  api: "API",
  apiIntro: "Les ressources de ce jeu de données dans l’API Explore v2 du portail :",
  apiSelf: "Jeu de données (JSON)",
  apiRecords: "Enregistrements (JSON)",
  apiExports: "Formats d’export",
  viewOnPortal: "Voir sur le portail",
  portalPage: "Page du portail",
  notFoundTitle: "Page introuvable",
  notFoundText:
    "Il n’y a pas de page à cette adresse. Le jeu de données a peut-être été supprimé ou renommé.",
  backToCatalog: "Retour au catalogue",
  footerSource: "Données et métadonnées issues de",
  footerGenerator: "Catalogue statique généré avec ods-catalog.",
  yes: "oui",
  no: "non",
  metaLabels: {
    publisher: "Producteur",
    theme: "Thèmes",
    keyword: "Mots-clés",
    license: "Licence",
    language: "Langue",
    modified: "Dernière modification",
    data_processed: "Données traitées le",
    metadata_processed: "Métadonnées traitées le",
    records_count: "Enregistrements",
    update_frequency: "Fréquence de mise à jour",
    territory: "Territoire",
    geographic_reference: "Référentiel géographique",
    geographic_reference_auto: "Référentiel géographique détecté automatiquement",
    geographic_area: "Zone géographique",
    geographic_area_mode: "Mode de zone géographique",
    geometry_types: "Types de géométrie",
    bbox: "Emprise",
    references: "Références",
    attributions: "Attributions",
    source_domain: "Portail source",
    source_domain_title: "Nom du portail source",
    source_domain_address: "Adresse du portail source",
    source_dataset: "Jeu de données source",
    shared_catalog: "Catalogue partagé",
    federated: "Fédéré",
    timezone: "Fuseau horaire",
    metadata_languages: "Langues des métadonnées",
    modified_updates_on_metadata_change: "Date de modification suivant les métadonnées",
    modified_updates_on_data_change: "Date de modification suivant les données",
    oauth_scope: "Portée OAuth",
    parent_domain: "Portail parent",
  },
  featureNames: {
    analyze: "Analyse",
    timeserie: "Série temporelle",
    geo: "Carte",
    custom_view: "Vue personnalisée",
    calendar: "Calendrier",
    image: "Images",
    apiproxy: "Proxy d’API",
    aggregate: "Agrégations",
  },
  featureExplanations: {
    analyze: "Les enregistrements peuvent être agrégés et mis en graphique sur le portail.",
    timeserie: "Les enregistrements sont datés et peuvent être tracés dans le temps.",
    geo: "Les enregistrements ont des coordonnées ou des formes géographiques et s’affichent sur une carte.",
    custom_view: "Le portail présente ce jeu de données dans une vue sur mesure.",
    calendar: "Les enregistrements sont des événements datés, affichés dans un calendrier.",
    image: "Les enregistrements contiennent des images, présentées en galerie.",
    apiproxy: "Le jeu de données relaie une autre API web.",
    aggregate: "Les enregistrements peuvent être agrégés par l’API.",
  },
  unknownFeature: (name) => `Fonctionnalité du portail ${quoteFr(name)}.`,
  fieldTypes: {
    text: "texte",
    int: "entier",
    double: "nombre décimal",
    boolean: "booléen",
    date: "date",
    datetime: "date et heure",
    geo_point_2d: "point géographique",
    geo_shape: "forme géographique",
    file: "fichier",
    json_blob: "JSON",
    image: "image",
  },
  annotation: (name, args) => {
    const arg = args[0];
    switch (name) {
      case "facet":
        return "facette (filtrable)";
      case "disjunctive":
        return "facette à choix multiples";
      case "facetsort":
        return `facette triée par ${describeSort(arg, { count: "effectif", alphanum: "nom", num: "valeur" })}`;
      case "sortable":
        return "triable";
      case "id":
        return "identifiant";
      case "multivalued":
        return arg ? `plusieurs valeurs, séparées par ${quoteFr(arg)}` : "plusieurs valeurs";
      case "hierarchical":
        return arg ? `hiérarchique, niveaux séparés par ${quoteFr(arg)}` : "hiérarchique";
      case "unit":
        return arg ? `unité : ${arg}` : "avec unité";
      case "decimals":
        return arg ? `${arg} décimales` : "décimales fixes";
      case "timeserie_precision":
        return arg ? `précision temporelle : ${arg}` : "précision temporelle";
      case "timerangeFilter":
        return "filtrable par période";
      default:
        return args.length > 0 ? `${name} : ${args.join(", ")}` : name;
    }
  },
};

/** `-count` → "count, descending"; the words come from the caller's language. */
function describeSort(arg: string | undefined, words: Record<string, string>): string {
  if (!arg) return words.count ?? "count";
  const descending = arg.startsWith("-");
  const key = arg.replace(/^-/, "");
  return `${words[key] ?? key}${descending ? " ↓" : " ↑"}`;
}

export const MESSAGES: Record<Lang, Messages> = { en, fr };
