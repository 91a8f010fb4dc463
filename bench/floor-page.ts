/**
 * The floor's page: one bare Eta template that prints, straight from the raw API object, the
 * same page the build makes for a dataset (src/render's layout and dataset templates): the
 * same head (CSP, description, canonical and OpenGraph tags, JSON-LD), header, breadcrumb,
 * summary with its facet links, description, features, record sample, downloads, API
 * section, metadata tables, fields table and footer, in the same words. What it leaves out is
 * what the floor measures the build against: no store, no validation, no sanitizer, no model,
 * no partials, no Intl. Until the seventh bench session the floor printed a smaller page
 * (7.6 KB against the build's 13.9 KB, without the head's tags, navigation, JSON-LD or
 * facet links). The bench now reports both average sizes and fails the ratio's target when
 * the floor's page is not within 10% of the build's (targets.ts, `MAX_PAGE_DRIFT`), and
 * test/bench/floor-page.test.ts holds the two pages to the same outline: they cannot drift
 * apart unnoticed. The words are the build's French ones, written out as a bare template
 * would have them, rather than read from src/render/i18n.ts.
 */

/** What the floor's template is given besides the dataset and its records. */
export interface FloorHelpers {
  siteTitle: string;
  portal: string;
  slug: (text: string) => string;
  date: (iso: string) => string;
  number: (value: number) => string;
  dateTime: (iso: string) => string;
  metaLabels: Record<string, string>;
  fieldTypes: Record<string, string>;
  features: Record<string, [string, string]>;
  languages: Record<string, string>;
}

const MONTHS = [
  ...["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"],
  ...["septembre", "octobre", "novembre", "décembre"],
];

export function floorHelpers(portal: string, siteTitle: string): FloorHelpers {
  const day = (iso: string) =>
    `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
  return {
    siteTitle,
    portal,
    slug: (text) =>
      text
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
    date: day,
    number: (value) => {
      const [whole = "", decimals] = String(value).split(".");
      return whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f") + (decimals ? `,${decimals}` : "");
    },
    dateTime: (iso) => `${day(iso)} à ${iso.slice(11, 16)} UTC`,
    metaLabels: {
      data_processed: "Données traitées le",
      metadata_processed: "Métadonnées traitées le",
      update_frequency: "Fréquence de mise à jour",
      territory: "Territoire",
      source_domain: "Portail source",
      source_domain_title: "Nom du portail source",
      source_domain_address: "Adresse du portail source",
      source_dataset: "Jeu de données source",
      geographic_reference: "Référentiel géographique",
      geographic_reference_auto: "Référentiel géographique détecté automatiquement",
      geographic_area: "Zone géographique",
      geometry_types: "Types de géométrie",
      references: "Références",
      attributions: "Attributions",
      federated: "Fédéré",
      timezone: "Fuseau horaire",
      metadata_languages: "Langues des métadonnées",
      modified_updates_on_metadata_change: "Date de modification suivant les métadonnées",
      modified_updates_on_data_change: "Date de modification suivant les données",
    },
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
    features: {
      analyze: [
        "Analyse",
        "Les enregistrements peuvent être agrégés et mis en graphique sur le portail.",
      ],
      timeserie: [
        "Série temporelle",
        "Les enregistrements sont datés et peuvent être tracés dans le temps.",
      ],
      geo: [
        "Carte",
        "Les enregistrements ont des coordonnées ou des formes géographiques et s’affichent sur une carte.",
      ],
      calendar: [
        "Calendrier",
        "Les enregistrements sont des événements datés, affichés dans un calendrier.",
      ],
      image: ["Images", "Les enregistrements contiennent des images, présentées en galerie."],
    },
    languages: { fr: "français", en: "anglais", de: "allemand", es: "espagnol", nl: "néerlandais" },
  };
}

/** Keys of `metas.default` the summary or the head already print. */
const SHOWN = [
  ...["title", "description", "publisher", "theme", "keyword", "license", "license_url"],
  ...["language", "modified", "records_count"],
];

/** The template, for `it = { d, records, h }`: d the raw dataset, h the `FloorHelpers`. */
export function floorPageTemplate(): string {
  return `<% const d = it.d, h = it.h, m = d.metas.default, id = encodeURIComponent(d.dataset_id), api = h.portal + "/api/v2/catalog/datasets/" + id, url = "https://catalog.example.org/datasets/" + id + "/", text = (m.description ?? "").replace(/<[^>]*>/g, ""), show = (v) => v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "oui" : "non") : Array.isArray(v) ? v.map(show).join(", ") : typeof v === "object" ? JSON.stringify(v) : typeof v === "number" ? h.number(v) : v, themes = m.theme ?? [], keywords = m.keyword ?? [], shown = ${JSON.stringify(SHOWN)} %>
<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'">
<title><%= m.title %> · <%= h.siteTitle %></title>
<% if (text) { %><meta name="description" property="og:description" content="<%= text %>">
<% } %>
<link rel="canonical" href="<%= url %>">
<meta property="og:type" content="website">
<meta property="og:site_name" content="<%= h.siteTitle %>">
<meta property="og:title" content="<%= m.title %>">
<meta property="og:url" content="<%= url %>">
<meta property="og:locale" content="fr_FR">
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" href="/feed.xml" title="Jeux de données modifiés récemment · <%= h.siteTitle %>">
<script type="application/ld+json"><%~ JSON.stringify({ "@context": "https://schema.org", "@type": "Dataset", name: m.title, description: text || undefined, url, sameAs: h.portal + "/explore/dataset/" + id + "/", identifier: [d.dataset_id, d.dataset_uid], keywords: [...themes, ...keywords], license: m.license_url ?? undefined, isAccessibleForFree: true, dateModified: m.modified, inLanguage: m.language, creator: m.publisher ? { "@type": "Organization", name: m.publisher } : undefined, publisher: m.publisher ? { "@type": "Organization", name: m.publisher } : undefined, includedInDataCatalog: { "@type": "DataCatalog", name: h.siteTitle, url: "https://catalog.example.org/" }, distribution: [...(d.has_records ? [["CSV", "text/csv", "csv"], ["Excel", "application/vnd.ms-excel", "xls"], ["JSON", "application/json", "json"]].map(([name, type, f]) => ({ "@type": "DataDownload", name, encodingFormat: type, contentUrl: api + "/exports/" + f })) : []), ...d.attachments.map((a) => ({ "@type": "DataDownload", name: a.title, encodingFormat: a.mimetype, contentUrl: a.url }))], variableMeasured: d.fields.length > 0 ? d.fields.map((f) => ({ "@type": "PropertyValue", name: f.label, alternateName: f.name, description: f.description ?? undefined })) : undefined }).replace(/</g, "\\\\u003c") %></script></head>
<body>
<a class="skip" href="#main">Aller au contenu</a>
<header>
<div class="wrap">
<a class="brand" href="/"><%= h.siteTitle %></a>
<nav aria-label="Parcourir">
<ul>
<li><a href="/catalog/" aria-current="true">Jeux de données</a></li>
<li><a href="/themes/">Thèmes</a></li>
<li><a href="/publishers/">Producteurs</a></li>
<li><a href="/search/">Recherche</a></li>
</ul>
</nav>
<form role="search" action="/search/" method="get">
<label class="visually-hidden" for="site-q">Rechercher dans le catalogue</label>
<input id="site-q" name="q" type="search" placeholder="Rechercher dans le catalogue" autocomplete="off">
<button type="submit">Rechercher</button>
</form>
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
<nav class="crumbs" aria-label="Fil d’Ariane"><a href="/">Accueil</a> <a href="/catalog/">Jeux de données</a> <span aria-current="page"><%= m.title %></span></nav>
<article class="dataset">
<h1><%= m.title %></h1>
<dl class="summary">
<% if (m.publisher) { %><dt>Producteur</dt><dd><a href="/publishers/<%= h.slug(m.publisher) %>/"><%= m.publisher %></a></dd><% } %>
<% if (themes.length > 0) { %><dt>Thèmes</dt><dd class="tags"><% for (const v of themes) { %><a href="/themes/<%= h.slug(v) %>/"><%= v %></a> <% } %></dd><% } %>
<% if (keywords.length > 0) { %><dt>Mots-clés</dt><dd class="tags"><% for (const v of keywords) { %><a href="/keywords/<%= h.slug(v) %>/"><%= v %></a> <% } %></dd><% } %>
<% if (m.license) { %><dt>Licence</dt><dd><a href="/licenses/<%= h.slug(m.license) %>/"><%= m.license %></a><% if (m.license_url) { %> (<a href="<%= m.license_url %>" rel="license nofollow noopener noreferrer">texte intégral</a>)<% } %></dd><% } %>
<% if (m.language) { %><dt>Langue</dt><dd><a href="/languages/<%= m.language %>/"><%= h.languages[m.language] ?? m.language %></a></dd><% } %>
<% if (m.modified) { %><dt>Modifié</dt><dd><time datetime="<%= m.modified.slice(0, 10) %>"><%= h.date(m.modified) %></time> (<a href="/years/<%= m.modified.slice(0, 4) %>/"><%= m.modified.slice(0, 4) %></a>)</dd><% } %>
<% if (m.records_count !== null) { %><dt>Enregistrements</dt><dd><%= h.number(m.records_count) %></dd><% } %>
<dt>Page du portail</dt><dd><a href="<%= h.portal %>/explore/dataset/<%= id %>/">Voir sur le portail</a></dd>
</dl>
<section aria-labelledby="description">
<h2 id="description">Description</h2>
<% if (m.description) { %><div class="prose"><%~ m.description %></div><% } else { %><p class="muted">Pas de description.</p><% } %>
</section>
<% if (d.features.length > 0) { %>
<section aria-labelledby="features">
<h2 id="features">Fonctionnalités</h2>
<dl class="features">
<% for (const f of d.features) { const [name, about] = h.features[f] ?? [f, ""] %>
<dt><a href="/features/<%= f %>/"><%= name %></a></dt><dd><%= about %></dd>
<% } %>
</dl>
</section>
<% } %>
<% if (it.records.length > 0) { const columns = d.fields.slice(0, 10) %>
<section aria-labelledby="records">
<h2 id="records">Premiers enregistrements</h2>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="records-caption">
<table class="records">
<caption id="records-caption">Les <%= it.records.length %> premiers enregistrements sur <%= h.number(m.records_count) %></caption>
<thead><tr><% for (const f of columns) { %><th><%= f.label %></th><% } %></tr></thead>
<tbody>
<% for (const r of it.records) { %><tr><% for (const f of columns) { %><td><%= f.type === "int" || f.type === "double" ? show(r.fields[f.name]) : r.fields[f.name] ?? "" %></td><% } %></tr>
<% } %>
</tbody>
</table>
</div>
</section>
<% } %>
<% if (d.has_records || d.attachments.length > 0) { %>
<section aria-labelledby="downloads">
<h2 id="downloads">Télécharger</h2>
<% if (d.has_records) { %>
<p>Le jeu de données complet, exporté par le portail :</p>
<ul class="inline-links">
<li><a href="<%= api %>/exports/csv">CSV</a></li><li><a href="<%= api %>/exports/xls">Excel</a></li><li><a href="<%= api %>/exports/json">JSON</a></li></ul>
<% } %>
<% if (d.attachments.length > 0) { %>
<h3>Pièces jointes</h3>
<ul class="attachments">
<% for (const a of d.attachments) { %>
<li><a href="<%= a.url %>"><%= a.title %></a><% if (a.mimetype) { %> <span class="muted">(<%= a.mimetype %>)</span><% } %></li>
<% } %>
</ul>
<% } %>
</section>
<% } %>
<section aria-labelledby="api">
<h2 id="api">Utiliser l’API</h2>
<% if (d.has_records && d.fields.length > 0) { %>
<p>Les premiers enregistrements, avec quelques champs de ce jeu de données, depuis l’API Explore v2 du portail :</p>
<pre><code>curl '<%= api %>/records?select=<%= encodeURIComponent(d.fields.slice(0, 3).map((f) => f.name).join(",")) %>&limit=10'</code></pre>
<% } %>
<ul class="inline-links">
<li><a href="<%= api %>">Jeu de données (JSON)</a></li>
<% if (d.has_records) { %><li><a href="<%= api %>/records">Enregistrements (JSON)</a></li><% } %><li><a href="<%= h.portal %>/api/v2/console">Documentation de l’API Explore</a></li>
</ul>
</section>
<% Object.entries(d.metas).forEach(([name, values], index) => { const rows = Object.entries(values).filter(([k, v]) => v !== null && String(show(v)).trim() !== "" && !/_[a-z]{2}$/.test(k) && !(name === "default" && shown.includes(k))) %>
<% if (rows.length > 0) { %>
<section aria-labelledby="metas-<%= index %>">
<h2 id="metas-<%= index %>"><%= name === "default" ? "Métadonnées" : "Métadonnées : " + name %></h2>
<table class="metas">
<tbody>
<% for (const [k, v] of rows) { %>
<tr><th scope="row"><%= name === "default" ? h.metaLabels[k] ?? k : k %></th><td><% if (typeof v === "string" && /^\\d{4}-\\d\\d-\\d\\d/.test(v)) { %><time datetime="<%= v %>"><%= v.length === 10 ? h.date(v) : h.dateTime(v) %></time><% } else { %><%= show(v) %><% } %></td></tr>
<% } %>
</tbody>
</table>
</section>
<% } %>
<% }) %>
<section aria-labelledby="fields">
<h2 id="fields">Champs</h2>
<% if (d.fields.length === 0) { %>
<p class="muted">Ce jeu de données n’a pas de champs : il ne publie que des pièces jointes.</p>
<% } else { %>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="fields-caption">
<table class="fields">
<caption id="fields-caption" class="visually-hidden"><%= d.fields.length %> champs</caption>
<thead><tr><th>Nom</th><th>Libellé</th><th>Type</th><th>Description</th><th>Annotations</th></tr></thead>
<tbody>
<% for (const f of d.fields) { %>
<tr><td><%= f.name %></td><td><%= f.label %></td><td><%= h.fieldTypes[f.type] ?? f.type %></td><td><%= f.description ?? "" %></td><td><%= Array.isArray(f.annotations) ? "" : Object.keys(f.annotations).join(" · ") %></td></tr>
<% } %>
</tbody>
</table>
</div>
<% } %>
</section>
</article>
</main>
<footer>
<div class="wrap">
<p>Données et métadonnées issues de <a href="<%= h.portal %>/"><%= h.portal.replace(/^https?:\\/\\//, "") %></a>. Catalogue statique généré avec ods-catalog.</p>
<p>Formats ouverts : <a href="/catalog.json">Catalogue en JSON</a> · <a href="/feed.xml">Atom</a> · <a href="/sitemap.xml">Plan du site</a></p>
</div>
</footer>
</body>
</html>
`;
}
