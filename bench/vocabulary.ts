/**
 * Small realistic vocabularies for the synthetic portal, taken from what the recorded
 * samples (test/fixtures/ods-samples/) and French/English ODS portals publish: a catalog
 * has a few dozen themes, publishers and licences, reused across thousands of datasets.
 */

/** [French, English] pairs, so a dataset can be monolingual in either or bilingual. */
export const SUBJECTS: ReadonlyArray<readonly [string, string]> = [
  ["Qualité de l'air", "Air quality"],
  ["Consommation d'électricité", "Electricity consumption"],
  ["Production d'énergie renouvelable", "Renewable energy production"],
  ["Accidents corporels de la circulation", "Road traffic injuries"],
  ["Équipements sportifs", "Sports facilities"],
  ["Budget primitif", "Primary budget"],
  ["Marchés publics", "Public procurement"],
  ["Subventions aux associations", "Grants to associations"],
  ["Arbres d'alignement", "Street trees"],
  ["Stationnement vélo", "Bicycle parking"],
  ["Bornes de recharge", "EV charging points"],
  ["Prix des carburants", "Fuel prices"],
  ["Population légale", "Legal population"],
  ["Logements sociaux", "Social housing"],
  ["Établissements scolaires", "Schools"],
  ["Résultats des élections", "Election results"],
  ["Fréquentation des musées", "Museum attendance"],
  ["Déchets ménagers & assimilés", "Household & similar waste"],
  ["Comptages routiers", "Traffic counts"],
  ["Horaires des transports en commun", "Public transport timetables"],
  ["Délibérations du conseil municipal", "City council decisions"],
  ["Permis de construire", "Building permits"],
  ["Qualité de l'eau potable", "Drinking water quality"],
  ["Défibrillateurs", "Defibrillators"],
  ["Créations d'entreprises", "Business creations"],
  ["Demandeurs d'emploi", "Jobseekers"],
  ["Valeurs foncières", "Property values"],
  ["Espaces verts", "Green spaces"],
  ["Places en crèche", "Nursery places"],
  ["Contrôle technique des véhicules", "Vehicle inspection"],
  ["Longueurs de circuits du réseau", "Network circuit lengths"],
  ["Lauréats France Num", "France Num award winners"],
];

export const QUALIFIERS: ReadonlyArray<readonly [string, string]> = [
  ["par commune", "by municipality"],
  ["par département", "by department"],
  ["par région", "by region"],
  ["mensuel", "monthly"],
  ["annuel", "annual"],
  ["en temps réel", "real time"],
  ["historique", "historical"],
  ["géolocalisé", "geolocated"],
  ["par station", "by station"],
  ["agrégé", "aggregated"],
  ["détaillé", "detailed"],
  ["et montants", "and amounts"],
];

export const PLACES = [
  "Paris",
  "Lyon",
  "Marseille",
  "Toulouse",
  "Nantes",
  "Bordeaux",
  "Lille",
  "Rennes",
  "Île-de-France",
  "Occitanie",
  "Bretagne",
  "Grand Est",
  "Provence-Alpes-Côte d'Azur",
  "Auvergne-Rhône-Alpes",
  "Hauts-de-France",
  "France",
  "Montréal",
  "Bruxelles",
  "Genève",
  "Lisboa",
] as const;

export const THEMES: ReadonlyArray<readonly [string, string]> = [
  [
    "Administration, Gouvernement, Finances publiques, Citoyenneté",
    "Administration, Government, Public finances, Citizenship",
  ],
  [
    "Economie, Entreprise, PME, Développement économique, Emploi",
    "Economy, Business, SME, Economic development, Employment",
  ],
  ["Environnement", "Environment"],
  ["Transports, Déplacements", "Transport, Movements"],
  ["Santé", "Health"],
  ["Education, Formation, Recherche, Enseignement", "Education, Training, Research, Teaching"],
  ["Culture, Patrimoine", "Culture, Heritage"],
  [
    "Aménagement du territoire, Urbanisme, Bâtiments, Equipements, Logement",
    "Spatial planning, Town planning, Buildings, Equipment, Housing",
  ],
  ["Energie", "Energy"],
  ["Agriculture, Pêche, Sylviculture, Alimentation", "Agriculture, Fisheries, Forestry, Foods"],
  ["Justice, Sécurité, Police, Criminalité", "Justice, Safety, Police, Crime"],
  ["Sports, Loisirs", "Sports, Leisure"],
  ["Solidarité, Social", "Social, Solidarity"],
  ["Réseau", "Network"],
  ["Territoires et régions", "Territories and regions"],
];

export const KEYWORDS = [
  "budget",
  "finances",
  "élections",
  "transport",
  "vélo",
  "mobilité",
  "énergie",
  "électricité",
  "gaz",
  "eau",
  "air",
  "pollution",
  "climat",
  "déchets",
  "recyclage",
  "arbres",
  "parcs",
  "logement",
  "urbanisme",
  "population",
  "recensement",
  "INSEE",
  "emploi",
  "entreprises",
  "SIRENE",
  "commerce",
  "tourisme",
  "culture",
  "musées",
  "bibliothèques",
  "sport",
  "santé",
  "hôpitaux",
  "écoles",
  "collèges",
  "crèches",
  "sécurité",
  "accidents",
  "voirie",
  "stationnement",
  "Circuit",
  "Réseau",
  "Bilan électrique",
  "open data",
  "ISO-3 code",
  "Countries",
  "Boundaries",
  "timeseries",
  "geodata",
  "statistics",
] as const;

export const PUBLISHERS = [
  "Ministères économiques et financiers",
  "DGFIP",
  "INSEE",
  "Ville de Paris",
  "Métropole de Lyon",
  "Région Bretagne",
  "RTE",
  "Enedis",
  "SNCF",
  "Île-de-France Mobilités",
  "Météo-France",
  "Agence de l'eau Seine-Normandie",
  "Ademe",
  "OpenDataSoft",
  "World Food Programme (UN agency)",
  "GeoNames",
  "INSA",
  "Conseil départemental de la Gironde",
  "Toulouse Métropole",
  "Nantes Métropole",
  "Rennes Métropole",
  "Ministère de l'Intérieur",
  "Santé publique France",
  "Atmo Auvergne-Rhône-Alpes",
  "Communauté d'agglomération du Grand Annecy",
] as const;

/** [name, url]; null licences happen (see the geonames sample). */
export const LICENSES: ReadonlyArray<readonly [string | null, string | null]> = [
  [
    "Licence Ouverte v2.0 (Etalab)",
    "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
  ],
  ["Licence Ouverte (Etalab)", "https://www.etalab.gouv.fr/licence-ouverte-open-licence"],
  ["Open Database License (ODbL)", "https://opendatacommons.org/licenses/odbl/"],
  ["CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"],
  ["CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"],
  [
    "Open Government Licence v3.0",
    "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
  ],
  [null, null],
];

/** Domains of federated datasets (`name@domain` ids), as on data.opendatasoft.com. */
export const SOURCE_DOMAINS: ReadonlyArray<readonly [string, string]> = [
  ["rte", "OPEN DATA RTE"],
  ["public", "Opendatasoft public"],
  ["parisdata", "Paris Data"],
  ["enedis", "Enedis Open Data"],
  ["datasud", "DataSud"],
];

export type FieldType =
  | "text"
  | "int"
  | "double"
  | "date"
  | "datetime"
  | "geo_point_2d"
  | "geo_shape"
  | "boolean"
  | "file"
  | "json_blob";

/** How often each type appears in the recorded samples (text dominates), rarer types added. */
export const FIELD_TYPES: ReadonlyArray<readonly [FieldType, number]> = [
  ["text", 55],
  ["int", 12],
  ["double", 10],
  ["date", 8],
  ["datetime", 4],
  ["geo_point_2d", 4],
  ["geo_shape", 2],
  ["boolean", 2],
  ["file", 1.5],
  ["json_blob", 1.5],
];

export const FIELD_NAMES: Record<FieldType, readonly string[]> = {
  text: [
    "libelle",
    "nom",
    "code_insee",
    "commune",
    "departement",
    "region",
    "adresse",
    "categorie",
    "statut",
    "type",
    "commentaire",
    "code_postal",
    "nom_station",
    "identifiant",
    "operateur",
    "secteur",
    "siret",
    "url",
    "telephone",
    "ministeres",
    "volet",
    "mesure",
    "indicateur",
    "iso3",
    "alternate_names",
    "feature_code",
  ],
  int: ["population", "nombre", "annee", "capacite", "nb_places", "effectif", "total", "dem"],
  double: ["valeur", "montant", "surface", "taux", "prix", "consommation_mwh", "longueur_km"],
  date: ["date", "date_debut", "date_fin", "date_mise_a_jour", "period_date"],
  datetime: ["horodatage", "date_heure", "derniere_mise_a_jour"],
  geo_point_2d: ["geo_point_2d", "coordonnees", "geolocalisation"],
  geo_shape: ["geo_shape", "contour", "perimetre"],
  boolean: ["accessible_pmr", "gratuit", "ouvert", "actif"],
  file: ["photo", "document", "image"],
  json_blob: ["proprietes", "attributs", "metadonnees"],
};

export const WORDS = [
  "Saint-Leu",
  "Challans",
  "Vendée",
  "AUTO BILAN",
  "Voiture particulière",
  "Hybride",
  "Nouveau",
  "Renouvelé",
  "Ferraillé",
  "France",
  "Europe/Paris",
  "PPL",
  "Entidade",
  "Région",
  "Département",
  "Commune",
  "Centre-ville",
  "Zone d'activité",
  "Quartier nord",
  "Rue de la République",
  "Avenue Jean Jaurès",
  "Place de la Mairie",
  "Ouvert",
  "Fermé",
  "En service",
] as const;

/** Sentence parts for descriptions; accents, `&`, `<` and em dashes on purpose. */
export const SENTENCES: ReadonlyArray<readonly [string, string]> = [
  [
    "Ce jeu de données présente l'évolution annuelle des indicateurs, par niveau géographique.",
    "This dataset shows the yearly change of the indicators, by geographic level.",
  ],
  [
    "Les données sont mises à jour chaque mois à partir des systèmes de gestion internes.",
    "The data is updated every month from internal management systems.",
  ],
  [
    "Les valeurs < 5 sont masquées pour respecter le secret statistique.",
    "Values < 5 are hidden to preserve statistical confidentiality.",
  ],
  [
    "Données définitives — les années antérieures ont été corrigées & complétées.",
    "Final data — earlier years were corrected & completed.",
  ],
  [
    "Chaque enregistrement correspond à un équipement recensé sur le territoire.",
    "Each record is one facility surveyed on the territory.",
  ],
  [
    "La géolocalisation est fournie en WGS84 (EPSG:4326).",
    "Locations are given in WGS84 (EPSG:4326).",
  ],
  [
    "Le fichier TOPO se substitue désormais au fichier FANTOIR depuis juillet 2023.",
    "The TOPO file replaces the FANTOIR file since July 2023.",
  ],
  [
    "Les natures d'évolution d'un tronçon sont : nouveau, renouvelé, mis en souterrain, ferraillé.",
    "A section's changes are: new, renewed, buried, scrapped.",
  ],
  [
    "Pour toute question, contactez le service producteur via le formulaire du portail.",
    "For any question, contact the producing department through the portal's form.",
  ],
  [
    "Source : relevés des stations de mesure agréées ; voir la méthodologie jointe.",
    "Source: readings of certified measuring stations; see the attached methodology.",
  ],
];
