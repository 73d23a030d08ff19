//! What every mapping rungs reads may hold, as data: for framework.yaml, each kind of
//! front matter, site.toml and every mapping nested in them, its keys, the type of each
//! value, whether it is required and what it means.
//!
//! These tables are the one list of keys. The parsers open every mapping with its
//! [`Spec`] ([`Reader::fields`](super::schema::Reader::fields)), so the keys `check`
//! accepts (and names in "unknown key" messages) are the ones listed here, and
//! [`crate::schemas`] turns the same tables into the JSON Schemas editors read. In debug
//! builds (every test run) a parser that reads a key its table does not list, or never
//! reads a key its table lists, panics: the parsers and the schemas cannot drift apart.
//!
//! A [`Ty`] says what the parser accepts, not more: `title: 2024` is read as text, a
//! missing list reads as empty, a single string stands for a one-item list where the
//! parser allows it. Rules that need other files (a level's band must exist) stay with
//! `check`; the docs say so, and the schemas repeat it.

/// A mapping's keys.
#[derive(Debug)]
pub(crate) struct Spec {
    /// Its definition's name in a JSON Schema (`track`); unique among the specs.
    pub name: &'static str,
    /// How it is named when it is not a mapping: "`a track` must be a mapping …".
    pub what: &'static str,
    /// How unknown keys in it are reported: "unknown key `x` in a track".
    pub context: &'static str,
    /// What it is, for people (shown by editors).
    pub doc: &'static str,
    pub fields: &'static [Field],
    /// An empty mapping is not one of these (a change names at least one of its keys).
    pub non_empty: bool,
}

impl Spec {
    /// The keys, in the order they are documented and listed in messages.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.key)
    }

    /// The field of `key`, with its index.
    pub(crate) fn field(&self, key: &str) -> Option<(usize, &'static Field)> {
        let fields: &'static [Field] = self.fields;
        fields.iter().enumerate().find(|(_, f)| f.key == key)
    }
}

/// One key of a mapping.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub key: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub doc: &'static str,
}

const fn req(key: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        key,
        ty,
        required: true,
        doc,
    }
}

const fn opt(key: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        key,
        ty,
        required: false,
        doc,
    }
}

/// What a value may be, as the parser reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ty {
    /// A scalar read as text; a number is accepted and read as its digits
    /// ([`Reader::string`](super::schema::Reader::string)).
    String,
    /// Text that is not blank ([`Reader::text`](super::schema::Reader::text)).
    Text,
    /// A title: text, not blank, at most
    /// [`MAX_TITLE_CHARS`](super::schema::MAX_TITLE_CHARS) characters.
    Title,
    /// An id: lowercase letters, digits and hyphens (see
    /// [`check_slug`](super::schema::check_slug)); a whole number reads as its digits.
    Id,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// One of these words.
    Enum(&'static [&'static str]),
    /// A string matching this pattern (ECMA-262 and Rust `regex` alike: no look-around);
    /// what a pattern cannot say stays with `check`.
    Pattern(&'static str),
    /// The string form of a type only: where the parser tells a string from a list by
    /// the value's type, a number is neither.
    StringOnly(&'static Ty),
    /// One value (a string) or a list of them; nothing (`null`) reads as an empty list.
    OneOrList(&'static Ty),
    /// A list; nothing (`null`) reads as empty.
    List(&'static Ty),
    /// A list of at most this many items; nothing reads as empty.
    ListUpTo(&'static Ty, usize),
    /// A list, which must be written.
    Array(&'static Ty),
    /// A mapping of keys (the first type, always a string) to values (the second);
    /// nothing reads as empty.
    Map(&'static Ty, &'static Ty),
    /// A mapping read key by key.
    Object(&'static Spec),
    /// Any one of these.
    AnyOf(&'static [Ty]),
}

/// The kinds of track.
pub(crate) const TRACK_KINDS: &[&str] = &["expert", "manager"];
/// A level's `status`.
pub(crate) const STATUSES: &[&str] = &["current", "draft", "legacy"];
/// framework.yaml's `expectations`.
pub(crate) const EXPECTATIONS: &[&str] = &["cumulative", "restated"];
/// The version bumps `[versioning]` maps kinds of change to, least first.
pub(crate) const BUMPS: &[&str] = &["none", "patch", "minor", "major"];

// framework.yaml

pub(crate) const FRAMEWORK: Spec = Spec {
    name: "framework",
    what: "framework.yaml",
    context: "framework.yaml",
    doc: "content/framework.yaml: the framework's skeleton (tracks, bands, areas, scales) that every level and competency file refers to.",
    non_empty: false,
    fields: &[
        opt(
            "families",
            Ty::List(&Ty::Object(&FAMILY)),
            "Job families, each a ladder of its own tracks on the shared bands. With families, every track names its `family`.",
        ),
        req(
            "tracks",
            Ty::List(&Ty::Object(&TRACK)),
            "The ladder's columns, in order. A track's levels live in content/levels/<track id>/.",
        ),
        req(
            "bands",
            Ty::List(&Ty::Object(&BAND)),
            "The ladder's rows, lowest first; levels in the same band are equivalent across tracks.",
        ),
        req(
            "areas",
            Ty::List(&Ty::Object(&AREA)),
            "Groups of competencies. An area's competencies live in content/competencies/<area id>/.",
        ),
        opt(
            "scales",
            Ty::List(&Ty::Object(&SCALE)),
            "Proficiency scales, lowest step first: competencies describe each step under `proficiency`, levels name the step they expect under `expects`.",
        ),
        opt(
            "assessment",
            Ty::Object(&ASSESSMENT),
            "The assessment's rating scale, outcomes and evidence sources (each with a default).",
        ),
        opt(
            "expectations",
            Ty::Enum(EXPECTATIONS),
            "`cumulative`: each level lists what it adds, and what the levels below expect still holds. `restated`: each level lists everything it expects. Left out, rungs infers it from how much text levels carry over.",
        ),
        opt(
            "version",
            Ty::String,
            "The framework's own version, e.g. `1.4.0`; `rungs diff` suggests the next one.",
        ),
    ],
};

pub(crate) const FAMILY: Spec = Spec {
    name: "family",
    what: "a family",
    context: "a family",
    doc: "A job family: a ladder of its own tracks on the shared bands.",
    non_empty: false,
    fields: &[
        req("id", Ty::Id, "The family's id; tracks name it in `family`."),
        req(
            "title",
            Ty::Title,
            "The family's name, shown in the header and on its page.",
        ),
        opt(
            "summary",
            Ty::String,
            "One sentence on who the family is for.",
        ),
        opt(
            "requires",
            Ty::OneOrList(&Ty::Enum(TRACK_KINDS)),
            "Track kinds the family must have, e.g. `[expert, manager]` (checked by `rungs check`).",
        ),
    ],
};

pub(crate) const TRACK: Spec = Spec {
    name: "track",
    what: "a track",
    context: "a track",
    doc: "A column of the ladder. Its levels live in content/levels/<id>/.",
    non_empty: false,
    fields: &[
        req(
            "id",
            Ty::Id,
            "The track's id, which is also the name of its folder under content/levels/.",
        ),
        req("title", Ty::Title, "The track's name, e.g. `Expert track`."),
        req(
            "kind",
            Ty::Enum(TRACK_KINDS),
            "`expert` (grows by deepening the craft) or `manager` (grows by building teams).",
        ),
        opt(
            "summary",
            Ty::String,
            "One sentence on how people grow on it.",
        ),
        opt(
            "family",
            Ty::Id,
            "The id of its job family, required when `families` is given (checked by `rungs check`).",
        ),
        opt(
            "based_on",
            Ty::Id,
            "The id of another track: at each band this track's level takes that track's level's behaviours, with the changes its competencies list (checked by `rungs check`: the track exists, no cycles).",
        ),
        opt(
            "status",
            Ty::Enum(TRACK_STATUSES),
            "`current` (the default) or `legacy`: a legacy track stays published, marked as such, for people assessed against it.",
        ),
    ],
};

/// A track's `status`.
pub(crate) const TRACK_STATUSES: &[&str] = &["current", "legacy"];

pub(crate) const BAND: Spec = Spec {
    name: "band",
    what: "a band",
    context: "a band",
    doc: "A row of the ladder; levels name their band in `band`.",
    non_empty: false,
    fields: &[
        req("id", Ty::Id, "The band's id, which levels name in `band`."),
        req("title", Ty::Title, "The band's name, e.g. `Band 3`."),
        opt("summary", Ty::String, "One sentence on the band."),
    ],
};

pub(crate) const AREA: Spec = Spec {
    name: "area",
    what: "an area",
    context: "an area",
    doc: "A group of competencies; its competencies live in content/competencies/<id>/.",
    non_empty: false,
    fields: &[
        req(
            "id",
            Ty::Id,
            "The area's id, which is also the name of its folder under content/competencies/.",
        ),
        req(
            "title",
            Ty::Title,
            "The area's name, e.g. `Technical craft`.",
        ),
        opt("summary", Ty::String, "One sentence on the area."),
        req(
            "category",
            Ty::Text,
            "Free text the balance charts group areas by, e.g. `technical`, `delivery`, `leadership`.",
        ),
    ],
};

pub(crate) const SCALE: Spec = Spec {
    name: "scale",
    what: "a scale",
    context: "a scale",
    doc: "A proficiency scale, lowest step first.",
    non_empty: false,
    fields: &[
        req(
            "id",
            Ty::Id,
            "The scale's id, which competencies name in `scale`.",
        ),
        req("title", Ty::Title, "The scale's name, e.g. `Proficiency`."),
        req(
            "steps",
            Ty::List(&Ty::Object(&STEP)),
            "Its steps, lowest first.",
        ),
    ],
};

pub(crate) const STEP: Spec = Spec {
    name: "step",
    what: "a scale step",
    context: "a scale step",
    doc: "A step of a proficiency scale.",
    non_empty: false,
    fields: &[
        req(
            "id",
            Ty::Id,
            "The step's id, which levels name in `expects` and competencies in `proficiency`.",
        ),
        req("title", Ty::Title, "The step's name, e.g. `Practitioner`."),
        opt(
            "summary",
            Ty::String,
            "One sentence on the step, e.g. `Does it independently.`",
        ),
    ],
};

pub(crate) const ASSESSMENT: Spec = Spec {
    name: "assessment",
    what: "`assessment`",
    context: "`assessment`",
    doc: "The assessment's rating scale, outcome vocabulary and evidence sources.",
    non_empty: false,
    fields: &[
        opt(
            "ratings",
            Ty::List(&Ty::Object(&RATING)),
            "The ratings a reader gives each behaviour, lowest first. Default: Not yet, Sometimes, Consistently.",
        ),
        opt(
            "outcomes",
            Ty::List(&Ty::Object(&OUTCOME)),
            "The outcomes a person and their manager can agree at calibration, e.g. Maturing, Performing, Exceeding (the default).",
        ),
        opt(
            "evidence",
            Ty::List(&Ty::Object(&EVIDENCE)),
            "Where the evidence for a rating comes from. Default: my own account, a peer, the manager, an artefact.",
        ),
    ],
};

pub(crate) const OUTCOME: Spec = Spec {
    name: "outcome",
    what: "an outcome",
    context: "an outcome",
    doc: "One outcome a calibration can agree; never computed from the ratings.",
    non_empty: false,
    fields: &[
        req("id", Ty::Id, "The outcome's id, kept in agreed records."),
        req("title", Ty::Title, "The outcome's name, e.g. `Performing`."),
        opt("summary", Ty::String, "One sentence on what it means."),
    ],
};

pub(crate) const EVIDENCE: Spec = Spec {
    name: "evidence",
    what: "an evidence source",
    context: "an evidence source",
    doc: "One source of evidence a rater can name for a rating.",
    non_empty: false,
    fields: &[
        req("id", Ty::Id, "The source's id, kept in records."),
        req("title", Ty::Title, "The source's name, e.g. `A peer`."),
        opt("summary", Ty::String, "One sentence on what counts."),
    ],
};

pub(crate) const RATING: Spec = Spec {
    name: "rating",
    what: "a rating",
    context: "a rating",
    doc: "One rating of the self-assessment.",
    non_empty: false,
    fields: &[
        req("id", Ty::Id, "The rating's id, kept in saved assessments."),
        req("title", Ty::Title, "The rating's name, e.g. `Sometimes`."),
        opt("summary", Ty::String, "One sentence on what it means."),
    ],
};

// A level's front matter.

pub(crate) const LEVEL: Spec = Spec {
    name: "level",
    what: "front matter",
    context: "a level's front matter",
    doc: "The front matter of a level, content/levels/<track>/<level>.md: the file's stem is the level's id, its folder its track; the Markdown body is the level's narrative.",
    non_empty: false,
    fields: &[
        req(
            "title",
            Ty::Title,
            "The level's name, e.g. `Senior Engineer`.",
        ),
        req(
            "band",
            Ty::Id,
            "The id of its band in framework.yaml (checked by `rungs check`); levels in the same band are equivalent.",
        ),
        opt(
            "summary",
            Ty::String,
            "One sentence on the level, shown on the ladder and in search.",
        ),
        opt(
            "order",
            Ty::Integer,
            "Its order among levels of the same band and track (default 0, then by id).",
        ),
        opt(
            "tracks",
            Ty::OneOrList(&Ty::String),
            "The ids of the tracks a shared-trunk level sits on, e.g. `[expert, manager]`; its folder's track must be one of them (checked by `rungs check`). Default: its folder's track.",
        ),
        opt(
            "status",
            Ty::Enum(STATUSES),
            "`current` (the default), `draft` (left out of `rungs build` unless `--drafts` is given) or `legacy` (published, marked as no longer used).",
        ),
        opt(
            "attributes",
            Ty::Map(&Ty::Text, &Ty::AnyOf(&[Ty::String, Ty::Array(&Ty::String)])),
            "Named facts about the level, in order (`Scope: Team`); each value is inline Markdown, or a list of them shown as a list.",
        ),
        opt(
            "expects",
            Ty::Map(&Ty::String, &Ty::String),
            "Competency id -> the id of the step of its scale this level expects, e.g. `troubleshooting: practitioner` (checked by `rungs check`).",
        ),
    ],
};

// A competency's front matter.

/// One behaviour in a list: its text (inline Markdown), or a mapping with more.
const BEHAVIOUR_ITEM: Ty = Ty::AnyOf(&[Ty::Text, Ty::Object(&BEHAVIOUR)]);

/// What a competency lists for one level, step or band: one behaviour or a list of them.
const CELL: Ty = Ty::AnyOf(&[
    Ty::StringOnly(&Ty::Text),
    Ty::Object(&BEHAVIOUR),
    Ty::ListUpTo(&BEHAVIOUR_ITEM, super::MAX_BEHAVIOURS_PER_CELL),
]);

/// What a competency lists for one level: a cell, or a change to what the level inherits.
const LEVEL_CELL: Ty = Ty::AnyOf(&[
    Ty::StringOnly(&Ty::Text),
    Ty::Object(&BEHAVIOUR),
    Ty::Object(&CHANGE),
    Ty::ListUpTo(&BEHAVIOUR_ITEM, super::MAX_BEHAVIOURS_PER_CELL),
]);

pub(crate) const COMPETENCY: Spec = Spec {
    name: "competency",
    what: "front matter",
    context: "a competency's front matter",
    doc: "The front matter of a competency, content/competencies/<area>/<competency>.md: the file's stem is its id, its folder its area; the Markdown body is its guidance.",
    non_empty: false,
    fields: &[
        req(
            "title",
            Ty::Title,
            "The competency's name, e.g. `Troubleshooting`.",
        ),
        opt("summary", Ty::String, "One sentence on the competency."),
        opt(
            "tracks",
            Ty::OneOrList(&Ty::String),
            "The ids of the tracks it applies to (checked by `rungs check`). Default: every track.",
        ),
        opt(
            "scale",
            Ty::String,
            "The id of the scale `proficiency` describes; needed when framework.yaml has several scales (checked by `rungs check`).",
        ),
        opt(
            "proficiency",
            Ty::Map(&Ty::String, &CELL),
            "Scale step id -> the behaviours that describe the step (checked by `rungs check`: the step exists).",
        ),
        opt(
            "behaviours",
            Ty::Map(&Ty::String, &LEVEL_CELL),
            "Level id -> the behaviours expected at that level; for a level of a track with `based_on`, a change (`add`, `replace`, `remove`) to what it inherits (checked by `rungs check`: the level exists and the competency applies to its track).",
        ),
        opt(
            "core",
            Ty::Map(&Ty::String, &CELL),
            "Band id -> behaviours every level of the band on the competency's tracks holds, written once (checked by `rungs check`).",
        ),
        opt(
            "order",
            Ty::Integer,
            "Its place within its area (default 0, then by title).",
        ),
    ],
};

pub(crate) const BEHAVIOUR: Spec = Spec {
    name: "behaviour",
    what: "a behaviour",
    context: "a behaviour",
    doc: "A behaviour with more than its text: examples, a stable id, where it grew from.",
    non_empty: false,
    fields: &[
        req(
            "text",
            Ty::Text,
            "What the person does, in inline Markdown.",
        ),
        opt(
            "examples",
            Ty::OneOrList(&Ty::String),
            "Examples of it, each inline Markdown.",
        ),
        opt(
            "id",
            Ty::Id,
            "A stable anchor; the same id at a higher level of the track says it is this behaviour, grown. Default: derived from the text.",
        ),
        opt(
            "from",
            Ty::OneOrList(&Ty::Id),
            "The ids of the behaviours at the level below it grew from; `[]` says it is new (checked by `rungs check`: they exist).",
        ),
    ],
};

pub(crate) const CHANGE: Spec = Spec {
    name: "change",
    what: "a change to inherited behaviours",
    context: "a change to inherited behaviours",
    doc: "A change to what a level inherits from the shared core or from the track it is based on; behaviours are named by id.",
    non_empty: true,
    fields: &[
        opt(
            "add",
            CELL,
            "Behaviours the level adds to what it inherits.",
        ),
        opt(
            "replace",
            Ty::Map(&Ty::Id, &BEHAVIOUR_ITEM),
            "Inherited behaviour id -> the behaviour that replaces it at this level (checked by `rungs check`).",
        ),
        opt(
            "remove",
            Ty::List(&Ty::Id),
            "Ids of inherited behaviours this level does not hold (checked by `rungs check`).",
        ),
    ],
};

// Pages.

pub(crate) const PAGE: Spec = Spec {
    name: "page",
    what: "front matter",
    context: "a page's front matter",
    doc: "The front matter of a free page, content/pages/<slug>.md: the file's stem is its URL; the Markdown body is the page.",
    non_empty: false,
    fields: &[
        req("title", Ty::Title, "The page's title."),
        opt("summary", Ty::String, "One sentence on the page."),
        opt(
            "order",
            Ty::Integer,
            "Its order in the navigation (default: after the numbered pages, by title).",
        ),
    ],
};

pub(crate) const INDEX: Spec = Spec {
    name: "index",
    what: "front matter",
    context: "the home page's front matter",
    doc: "The optional front matter of the home page's introduction, content/index.md.",
    non_empty: false,
    fields: &[opt(
        "title",
        Ty::Title,
        "The home page's heading (default: the site's title).",
    )],
};

// site.toml.

pub(crate) const SITE: Spec = Spec {
    name: "site",
    what: "site.toml",
    context: "site.toml",
    doc: "site.toml: the site's settings. Every key is optional.",
    non_empty: false,
    fields: &[
        opt(
            "title",
            Ty::Title,
            "The site's name, shown in the header and every page's <title> (default: `Career framework`, with a warning).",
        ),
        opt(
            "description",
            Ty::String,
            "Every page's <meta name=\"description\">.",
        ),
        opt(
            "base_url",
            Ty::Text,
            "Where the site is published: an http(s) URL such as `https://careers.example.com/eng/`, or a path on the site's own host such as `/eng/` (checked by `rungs check`). Used for sitemap.xml and 404.html; `--base-url` overrides it. Default: `/`.",
        ),
        opt(
            "language",
            Ty::Text,
            "Every page's <html lang>. Default: `en`.",
        ),
        opt(
            "theme",
            Ty::Id,
            "A folder under themes/ whose files override the built-in theme's. Default: `default`, the built-in theme.",
        ),
        opt(
            "output_dir",
            Ty::Text,
            "Where `rungs build` writes without `--out`: a folder inside the site, outside content/, templates/, static/ and themes/ (checked by `rungs check`). Default: `public`.",
        ),
        opt(
            "logo",
            Ty::Pattern(LOGO_PATTERN),
            "An image in the site's static/ folder shown before the title, as a path relative to static/, e.g. `logo.svg` (checked by `rungs check`: the file exists, no `.` or `..` segments).",
        ),
        opt(
            "accent_color",
            Ty::Pattern("^#[0-9a-fA-F]{6}$"),
            "The colour of links, buttons and the current page's marker, `#rrggbb`; it needs a contrast of 4.5:1 on white (checked by `rungs check`). The dark scheme's shade is derived.",
        ),
        opt(
            "repository",
            Ty::Text,
            "The http(s) address of the site's source repository, e.g. `https://github.com/acme/careers`: every level, competency and page gets an edit link and competencies and behaviours feedback links (checked by `rungs check`: a repository, not a page in it, without credentials).",
        ),
        opt(
            "forge",
            Ty::Enum(&["github", "gitlab"]),
            "The kind of forge the repository is on, needed for hosts other than github.com and gitlab.com.",
        ),
        opt(
            "branch",
            Ty::Text,
            "The branch edit links open. Default: `main`.",
        ),
        opt(
            "content_path",
            Ty::String,
            "The site's folder inside the repository, when it is not at the top, e.g. `careers/`.",
        ),
        opt(
            "markdown",
            Ty::Object(&MARKDOWN),
            "How Markdown is rendered.",
        ),
        opt(
            "changes",
            Ty::Object(&CHANGES),
            "Past versions the site shows what changed since.",
        ),
        opt(
            "versioning",
            Ty::Object(&VERSIONING),
            "The version bump each kind of change implies in `rungs diff`. Default: a new expectation at an existing level is major; new levels, tracks and competencies, rewordings and removals are minor; names and prose are patch.",
        ),
    ],
};

/// `logo`: a plain relative path to an image (the rest of the rule is `check`'s).
const LOGO_PATTERN: &str = "^[A-Za-z0-9_./-]+[.]([sS][vV][gG]|[pP][nN][gG]|[jJ][pP][eE]?[gG]|[wW][eE][bB][pP]|[gG][iI][fF]|[aA][vV][iI][fF])$";

pub(crate) const CHANGES: Spec = Spec {
    name: "changes",
    what: "changes",
    context: "the [changes] table",
    doc: "Past versions of the framework: a What changed page shows what changed since each, and level pages what changed on them since the last one.",
    non_empty: false,
    fields: &[opt(
        "since",
        Ty::OneOrList(&Ty::Text),
        "Git revisions of the site's repository (tags, usually), oldest first, e.g. `[\"v1.0.0\", \"v1.1.0\"]` (checked by `rungs check`: each must be a revision git knows).",
    )],
};

pub(crate) const MARKDOWN: Spec = Spec {
    name: "markdown",
    what: "markdown",
    context: "the [markdown] table",
    doc: "How Markdown is rendered.",
    non_empty: false,
    fields: &[opt(
        "allow_raw_html",
        Ty::Boolean,
        "Whether raw HTML in Markdown is kept as written; by default (false) it is sanitised.",
    )],
};

/// Every kind of change `[versioning]` names (`config::BumpRule` gives each a bump).
pub(crate) const CHANGE_KINDS: &[&str] = &[
    "behaviour_added",
    "behaviour_removed",
    "behaviour_reworded",
    "behaviour_moved",
    "expectation_raised",
    "expectation_lowered",
    "descriptors_changed",
    "attribute_changed",
    "text_changed",
    "level_added",
    "level_removed",
    "level_renamed",
    "track_added",
    "track_removed",
    "track_renamed",
    "competency_added",
    "competency_removed",
    "competency_renamed",
    "competency_tracks_changed",
    "area_added",
    "area_removed",
    "area_renamed",
    "family_added",
    "family_removed",
    "family_renamed",
];

const VERSIONING_FIELDS: [Field; CHANGE_KINDS.len()] = {
    let mut fields = [opt(
        "",
        Ty::Enum(BUMPS),
        "The version bump a change of this kind implies: `major`, `minor`, `patch` or `none`.",
    ); CHANGE_KINDS.len()];
    let mut i = 0;
    while i < fields.len() {
        fields[i].key = CHANGE_KINDS[i];
        i += 1;
    }
    fields
};

pub(crate) const VERSIONING: Spec = Spec {
    name: "versioning",
    what: "versioning",
    context: "the [versioning] table",
    doc: "Kind of change -> the version bump it implies in `rungs diff`.",
    non_empty: false,
    fields: &VERSIONING_FIELDS,
};

/// The spec of every top-level file, by the name its JSON Schema is written under.
#[cfg(test)]
pub(crate) const ROOTS: &[&Spec] = &[&FRAMEWORK, &LEVEL, &COMPETENCY, &PAGE, &INDEX, &SITE];

/// Every spec reachable from `spec` (itself included, first), each once, by name.
#[cfg(test)]
pub(crate) fn reachable(spec: &'static Spec, out: &mut Vec<&'static Spec>) {
    if out.iter().any(|s| s.name == spec.name) {
        return;
    }
    out.push(spec);
    for f in spec.fields {
        nested(&f.ty, out);
    }
}

#[cfg(test)]
fn nested(ty: &'static Ty, out: &mut Vec<&'static Spec>) {
    match ty {
        Ty::Object(s) => reachable(s, out),
        Ty::StringOnly(t) | Ty::OneOrList(t) | Ty::List(t) | Ty::ListUpTo(t, _) | Ty::Array(t) => {
            nested(t, out)
        }
        Ty::Map(k, v) => {
            nested(k, out);
            nested(v, out);
        }
        Ty::AnyOf(ts) => ts.iter().for_each(|t| nested(t, out)),
        Ty::String
        | Ty::Text
        | Ty::Title
        | Ty::Id
        | Ty::Integer
        | Ty::Boolean
        | Ty::Enum(_)
        | Ty::Pattern(_) => {}
    }
}

/// Every spec, each once.
#[cfg(test)]
pub(crate) fn all() -> Vec<&'static Spec> {
    let mut out = Vec::new();
    for root in ROOTS {
        reachable(root, &mut out);
    }
    out
}

/// Which keys of which specs the parsers found in the files they read, on this thread,
/// while [`coverage::start`] is on: the every-key fixture's test proves that it uses every
/// key of every table.
#[cfg(test)]
pub(crate) mod coverage {
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    thread_local! {
        static FOUND: RefCell<Option<BTreeSet<(&'static str, &'static str)>>> = const { RefCell::new(None) };
    }

    pub(crate) fn start() {
        FOUND.with(|f| *f.borrow_mut() = Some(BTreeSet::new()));
    }

    pub(crate) fn record(spec: &'static str, key: &'static str) {
        FOUND.with(|f| {
            if let Some(set) = f.borrow_mut().as_mut() {
                set.insert((spec, key));
            }
        });
    }

    pub(crate) fn stop() -> BTreeSet<(&'static str, &'static str)> {
        FOUND.with(|f| f.borrow_mut().take().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys_are_unique_and_fit_the_debug_bitset() {
        let specs = all();
        let mut names: Vec<_> = specs.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), specs.len(), "two specs share a name");
        for s in &specs {
            let mut keys: Vec<_> = s.keys().collect();
            assert!(keys.len() <= 64, "{}: at most 64 keys", s.name);
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), s.fields.len(), "{}: a key twice", s.name);
            assert!(s.fields.iter().all(|f| !f.doc.is_empty()), "{}", s.name);
        }
    }

    /// The every-key fixture is what the schema tests validate and `check` reads clean;
    /// this proves it really uses every key of every table, read by the parsers.
    #[test]
    fn the_every_key_fixture_uses_every_key_of_every_table() {
        use crate::discover::{SourceFile, classify};
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every-key");
        coverage::start();
        let mut diags = Vec::new();
        let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
        crate::config::parse(&toml, &mut diags);
        let content = root.join("content");
        for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
            let entry = entry.unwrap();
            let rel = entry
                .path()
                .strip_prefix(&content)
                .unwrap()
                .to_str()
                .unwrap();
            let parts: Vec<&str> = rel.split('/').collect();
            let Ok(Some(kind)) = classify(&parts) else {
                continue;
            };
            let file = SourceFile {
                rel: format!("content/{rel}"),
                kind,
                bytes: std::fs::read(entry.path()).unwrap(),
            };
            diags.extend(crate::parse::parse_file(file, Default::default()).diags);
        }
        let found = coverage::stop();
        assert!(diags.is_empty(), "{diags:?}");
        let missing: Vec<(&str, &str)> = all()
            .iter()
            .flat_map(|s| s.keys().map(move |k| (s.name, k)))
            .filter(|pair| !found.contains(pair))
            .collect();
        assert!(
            missing.is_empty(),
            "tests/fixtures/every-key does not use these (table, key): {missing:?}"
        );
    }

    #[test]
    fn versioning_lists_every_kind_of_change_once() {
        assert!(VERSIONING.keys().eq(CHANGE_KINDS.iter().copied()));
        let mut seen = std::collections::HashSet::new();
        for k in CHANGE_KINDS {
            assert!(seen.insert(k), "`{k}` is listed twice");
            let (what, change) = k.split_once('_').expect("`<part>_<change>`");
            assert!(
                !what.is_empty()
                    && !change.is_empty()
                    && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "`{k}` is not a `<part>_<change>` key"
            );
        }
    }
}
