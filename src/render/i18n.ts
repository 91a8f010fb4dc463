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

/** The language most datasets declare, when the interface speaks it; English otherwise. */
export function catalogLanguage(declared: Iterable<string | undefined>): Lang {
  const counts = new Map<string, number>();
  for (const language of declared) {
    const lang = language?.slice(0, 2);
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = ranked[0]?.[0];
  return top !== undefined && isLang(top) ? top : "en";
}

export interface Messages {
  locale: string;
  skipToContent: string;
  breadcrumb: string;
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
  nav: { catalog: string; search: string; browse: string };
  sorts: { title: string; modified: string; records: string };
  sortedBy: string;
  allDatasets: string;
  showing: (first: string, last: string, total: string) => string;
  pagination: string;
  previous: string;
  next: string;
  pageOf: (page: string, count: string) => string;
  facetNames: Record<string, string>;
  facetSingular: Record<string, string>;
  facetValueTitle: (facet: string, value: string) => string;
  facetValuesCount: (n: number, formatted: string) => string;
  latestChanges: string;
  browseBy: string;
  allValues: (formatted: string, facet: string) => string;
  searchLabel: string;
  searchButton: string;
  searchNeedsScript: string;
  searchResults: (n: number, formatted: string) => string;
  searchNone: string;
  searchFilters: string;
  /** Under the filters: their counts are of the whole catalog, not of the results. */
  searchCounts: string;
  searchMore: string;
  searchLoading: string;
  searchClear: string;
  searchFailed: string;
  recordsSample: string;
  recordsCaption: (shown: string, total: string) => string;
  columnsShown: (shown: string, total: string) => string;
  downloads: string;
  downloadsIntro: string;
  licenseText: string;
  apiUsage: string;
  apiUsageIntro: string;
  apiDocs: string;
  moved: string;
  machineReadable: string;
  feedTitle: (site: string) => string;
  catalogJson: string;
  sitemap: string;
  descriptionFallback: (parts: {
    title: string;
    publisher?: string | undefined;
    portal: string;
    records?: string | undefined;
    fields: string[];
  }) => string;
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
  locale: "en-GB",
  skipToContent: "Skip to content",
  breadcrumb: "Breadcrumb",
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
  nav: { catalog: "Datasets", search: "Search", browse: "Browse" },
  sorts: { title: "Title", modified: "Recently modified", records: "Most records" },
  sortedBy: "Sort by",
  allDatasets: "All datasets",
  showing: (first, last, total) => `Datasets ${first}–${last} of ${total}`,
  pagination: "Pages",
  previous: "Previous",
  next: "Next",
  pageOf: (page, count) => `page ${page} of ${count}`,
  facetNames: {
    theme: "Themes",
    keyword: "Keywords",
    publisher: "Publishers",
    license: "Licenses",
    feature: "Features",
    language: "Languages",
    year: "Years of last change",
  },
  facetSingular: {
    theme: "Theme",
    keyword: "Keyword",
    publisher: "Publisher",
    license: "License",
    feature: "Feature",
    language: "Language",
    year: "Last changed in",
  },
  facetValueTitle: (facet, value) => `${facet}: ${value}`,
  facetValuesCount: plural("en", { one: "# value", other: "# values" }),
  latestChanges: "Latest changes",
  browseBy: "Browse by",
  allValues: (formatted, facet) => `All ${formatted} ${facet.toLowerCase()}`,
  searchLabel: "Search the catalog",
  searchButton: "Search",
  searchNeedsScript:
    "Search runs in your browser and needs JavaScript. Everything else works without it: browse the catalog by",
  searchResults: plural("en", { one: "# dataset found", other: "# datasets found" }),
  searchNone: "No dataset matches. Try fewer words or fewer filters.",
  searchFilters: "Filter",
  searchCounts: "Numbers are of datasets in the whole catalog.",
  searchMore: "Show more results",
  searchLoading: "Searching…",
  searchClear: "Clear filters",
  searchFailed: "The search index could not be loaded.",
  recordsSample: "First records",
  recordsCaption: (shown, total) => `The first ${shown} of ${total} records`,
  columnsShown: (shown, total) =>
    `${shown} of ${total} fields shown; download the data for all of them.`,
  downloads: "Download",
  licenseText: "full text",
  downloadsIntro: "The whole dataset, exported by the portal:",
  apiUsage: "Use the API",
  apiUsageIntro:
    "The first records, with a few of this dataset's fields, from the portal's Explore API v2:",
  apiDocs: "Explore API documentation",
  moved: "The list of datasets is in the catalog.",
  machineReadable: "Machine-readable",
  feedTitle: (site) => `Recently changed datasets · ${site}`,
  catalogJson: "Catalog as JSON",
  sitemap: "Sitemap",
  descriptionFallback: ({ title, publisher, portal, records, fields }) =>
    [
      `${title}: a dataset${publisher ? ` published by ${publisher}` : ""} on ${portal}`,
      records ? `, with ${records} records` : "",
      fields.length > 0 ? `. Fields: ${fields.join(", ")}.` : ".",
    ].join(""),
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
  annotation: annotationIn(
    {
      facet: "facet (filterable)",
      disjunctive: "multiple-choice facet",
      facetsort: (arg) =>
        `facet sorted by ${describeSort(arg, { count: "count", alphanum: "name", num: "value" })}`,
      sortable: "sortable",
      id: "identifier",
      multivalued: (arg) =>
        arg ? `several values, separated by ${quoteEn(arg)}` : "several values",
      hierarchical: (arg) =>
        arg ? `hierarchical, levels separated by ${quoteEn(arg)}` : "hierarchical",
      unit: (arg) => (arg ? `unit: ${arg}` : "has a unit"),
      decimals: (arg) => (arg ? `${arg} decimal places` : "fixed decimals"),
      timeserie_precision: (arg) => (arg ? `time precision: ${arg}` : "time precision"),
      timerangeFilter: "filterable by time range",
    },
    (name, args) => (args.length > 0 ? `${name}: ${args.join(", ")}` : name),
  ),
};

const fr: Messages = {
  locale: "fr",
  skipToContent: "Aller au contenu",
  breadcrumb: "Fil d’Ariane",
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
  nav: { catalog: "Jeux de données", search: "Recherche", browse: "Parcourir" },
  sorts: { title: "Titre", modified: "Modifiés récemment", records: "Plus d’enregistrements" },
  sortedBy: "Trier par",
  allDatasets: "Tous les jeux de données",
  showing: (first, last, total) => `Jeux de données ${first} à ${last} sur ${total}`,
  pagination: "Pages",
  previous: "Précédente",
  next: "Suivante",
  pageOf: (page, count) => `page ${page} sur ${count}`,
  facetNames: {
    theme: "Thèmes",
    keyword: "Mots-clés",
    publisher: "Producteurs",
    license: "Licences",
    feature: "Fonctionnalités",
    language: "Langues",
    year: "Années de dernière modification",
  },
  facetSingular: {
    theme: "Thème",
    keyword: "Mot-clé",
    publisher: "Producteur",
    license: "Licence",
    feature: "Fonctionnalité",
    language: "Langue",
    year: "Modifié en",
  },
  facetValueTitle: (facet, value) => `${facet}\u00a0: ${value}`,
  facetValuesCount: plural("fr", { one: "# valeur", other: "# valeurs" }),
  latestChanges: "Dernières modifications",
  browseBy: "Parcourir par",
  allValues: (formatted, facet) => `${facet}\u00a0: les ${formatted}`,
  searchLabel: "Rechercher dans le catalogue",
  searchButton: "Rechercher",
  searchNeedsScript:
    "La recherche s’exécute dans votre navigateur et demande JavaScript. Tout le reste fonctionne sans : parcourez le catalogue par",
  searchResults: plural("fr", {
    one: "# jeu de données trouvé",
    other: "# jeux de données trouvés",
  }),
  searchNone: "Aucun jeu de données ne correspond. Essayez moins de mots ou de filtres.",
  searchFilters: "Filtrer",
  searchCounts: "Les nombres sont ceux des jeux de données de tout le catalogue.",
  searchMore: "Plus de résultats",
  searchLoading: "Recherche…",
  searchClear: "Effacer les filtres",
  searchFailed: "L’index de recherche n’a pas pu être chargé.",
  recordsSample: "Premiers enregistrements",
  recordsCaption: (shown, total) => `Les ${shown} premiers enregistrements sur ${total}`,
  columnsShown: (shown, total) =>
    `${shown} champs affichés sur ${total} ; téléchargez les données pour les voir tous.`,
  downloads: "Télécharger",
  licenseText: "texte intégral",
  downloadsIntro: "Le jeu de données complet, exporté par le portail :",
  apiUsage: "Utiliser l’API",
  apiUsageIntro:
    "Les premiers enregistrements, avec quelques champs de ce jeu de données, depuis l’API Explore v2 du portail :",
  apiDocs: "Documentation de l’API Explore",
  moved: "La liste des jeux de données est dans le catalogue.",
  machineReadable: "Formats ouverts",
  feedTitle: (site) => `Jeux de données modifiés récemment · ${site}`,
  catalogJson: "Catalogue en JSON",
  sitemap: "Plan du site",
  descriptionFallback: ({ title, publisher, portal, records, fields }) =>
    [
      `${title} : un jeu de données${publisher ? ` publié par ${publisher}` : ""} sur ${portal}`,
      records ? `, avec ${records} enregistrements` : "",
      fields.length > 0 ? `. Champs : ${fields.join(", ")}.` : ".",
    ].join(""),
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
  annotation: annotationIn(
    {
      facet: "facette (filtrable)",
      disjunctive: "facette à choix multiples",
      facetsort: (arg) =>
        `facette triée par ${describeSort(arg, { count: "effectif", alphanum: "nom", num: "valeur" })}`,
      sortable: "triable",
      id: "identifiant",
      multivalued: (arg) =>
        arg ? `plusieurs valeurs, séparées par ${quoteFr(arg)}` : "plusieurs valeurs",
      hierarchical: (arg) =>
        arg ? `hiérarchique, niveaux séparés par ${quoteFr(arg)}` : "hiérarchique",
      unit: (arg) => (arg ? `unité : ${arg}` : "avec unité"),
      decimals: (arg) => (arg ? `${arg} décimales` : "décimales fixes"),
      timeserie_precision: (arg) =>
        arg ? `précision temporelle : ${arg}` : "précision temporelle",
      timerangeFilter: "filtrable par période",
    },
    (name, args) => (args.length > 0 ? `${name} : ${args.join(", ")}` : name),
  ),
};

/** How a language words each annotation: fixed words, or words around its first argument. */
type AnnotationWords = Record<string, string | ((arg: string | undefined) => string)>;

function annotationIn(
  words: AnnotationWords,
  other: (name: string, args: string[]) => string,
): Messages["annotation"] {
  return (name, args) => {
    const word = Object.hasOwn(words, name) ? words[name] : undefined;
    if (word === undefined) return other(name, args);
    return typeof word === "string" ? word : word(args[0]);
  };
}

/** `-count` → "count, descending"; the words come from the caller's language. */
function describeSort(arg: string | undefined, words: Record<string, string>): string {
  if (!arg) return words.count ?? "count";
  const descending = arg.startsWith("-");
  const key = arg.replace(/^-/, "");
  return `${words[key] ?? key}${descending ? " ↓" : " ↑"}`;
}

export const MESSAGES: Record<Lang, Messages> = { en, fr };
