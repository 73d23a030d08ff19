/* rungs record: the assessment record file and the share link, in the browser.
 *
 * A record is one JSON file (format "rungs-assessment", schema 1; documented in
 * docs/COMPARE-AND-ASSESS.md). It names the site, the framework version, the level and
 * a build identity (a hash of the level's behaviours as rated), the rater's role, the
 * person and the date, and per behaviour its competency id, its anchor (the behaviour's
 * `id` when it has one, else its words) and a hash of the words that were rated. A
 * checksum over the rest refuses a damaged file; the site and the level refuse a foreign
 * one. Nothing here touches the page; tests/browser/record.test.mjs runs it in Node.
 */
(function () {
  'use strict';
  var G = typeof window !== 'undefined' ? window : globalThis;
  var R = (G.__rungsRecord = G.__rungsRecord || {});
  if (R.open) return;

  var FORMAT = 'rungs-assessment';
  var SCHEMA = 1;
  var ROLES = ['self', 'manager', 'agreed'];

  /** cyrb53: a 53-bit hash of a string, as 14 hex digits. Not a signature: it detects
   * damage (a cut or edited file), not a forger. */
  function hash(str) {
    var h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (var i = 0; i < str.length; i++) {
      var ch = str.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    var n = 4294967296 * (2097151 & h2) + (h1 >>> 0);
    return ('0000000000000' + n.toString(16)).slice(-14);
  }
  function fold(text) { return String(text).replace(/\s+/g, ' ').trim(); }
  /** The hash of a behaviour's words, whitespace folded. */
  function textHash(text) { return hash(fold(text)); }
  /** The build identity of a level as rated: a hash of its anchors and words in order. */
  function build(items) {
    return hash(items.map(function (i) { return i.competency + '\u0001' + i.anchor + '\u0001' + textHash(i.text); }).join('\u0002'));
  }

  function body(record) {
    var copy = {};
    Object.keys(record).forEach(function (k) { if (k !== 'checksum') copy[k] = record[k]; });
    return JSON.stringify(copy);
  }
  /** Adds the checksum; returns the file's text. */
  function seal(record) {
    delete record.checksum;
    record.checksum = hash(body(record));
    return JSON.stringify(record, null, 2) + '\n';
  }

  function fail(kind, message) { var e = new Error(message); e.kind = kind; return e; }
  function str(v, max) { return typeof v === 'string' ? v.slice(0, max || 20000) : ''; }
  function opt(v, allowed) { return typeof v === 'string' && allowed.indexOf(v) >= 0 ? v : null; }
  function side(v, scale, evidence) {
    v = v && typeof v === 'object' ? v : {};
    return { rating: opt(v.rating, scale), evidence: opt(v.evidence, evidence), note: str(v.note) };
  }

  /**
   * Reads a record file's text. `expect`: { site, level, scale: [rating ids], evidence:
   * [ids] }. Throws an Error with a `kind` (`format`, `version`, `damaged`, `site`,
   * `level`) and a message for the reader. Returns a clean copy holding only known
   * fields of the right types (the file is untrusted), with `dropped` counting ratings
   * that are not on this site's scale.
   */
  function open(text, expect) {
    var r;
    try { r = JSON.parse(text); } catch (e) { r = null; }
    // A record cut short is no longer JSON, but it still names its format.
    if (!r && /"format"\s*:\s*"rungs-assessment"/.test(String(text).slice(0, 200))) {
      throw fail('damaged', 'This record file is damaged: it was cut short or edited, so it cannot be read. Export it again from where it was made.');
    }
    if (!r || typeof r !== 'object' || r.format !== FORMAT) {
      throw fail('format', 'This file is not a rungs assessment record.');
    }
    if (typeof r.schema !== 'number' || r.schema > SCHEMA || r.schema < 1) {
      throw fail('version', 'This record uses record schema ' + String(r.schema).slice(0, 20) + ', which this site (schema ' + SCHEMA + ') cannot read. Rebuild the site with a newer rungs.');
    }
    if (typeof r.checksum !== 'string' || r.checksum !== hash(body(r))) {
      throw fail('damaged', 'This record file is damaged: its checksum does not match its content (it was cut short or edited). Export it again from where it was made.');
    }
    if (r.site !== expect.site) {
      throw fail('site', 'This record is from another site (' + str(r.site, 200) + '), not ' + expect.site + '.');
    }
    var level = r.level && typeof r.level === 'object' ? r.level : {};
    if (level.id !== expect.level) {
      var e = fail('level', 'This record is for another level (' + str(level.title || level.id, 200) + '), not this one. Open it on that level\'s assessment page.');
      e.level = str(level.id, 200);
      throw e;
    }
    var role = opt(r.role, ROLES);
    if (!role) throw fail('format', 'This record does not say who rated (self, manager or agreed).');
    var dropped = 0;
    var list = Array.isArray(r.behaviours) ? r.behaviours : [];
    var behaviours = list.filter(function (b) { return b && typeof b === 'object' && typeof b.anchor === 'string' && typeof b.competency === 'string'; })
      .map(function (b) {
        var own = side(b, expect.scale, expect.evidence);
        if (typeof b.rating === 'string' && !own.rating) dropped++;
        var out = { competency: str(b.competency, 200), anchor: str(b.anchor, 400), hash: str(b.hash, 40), text: str(b.text, 4000), rating: own.rating, evidence: own.evidence, note: own.note };
        if (role === 'agreed') { out.self = side(b.self, expect.scale, expect.evidence); out.manager = side(b.manager, expect.scale, expect.evidence); }
        return out;
      });
    var notes = {};
    if (r.notes && typeof r.notes === 'object') Object.keys(r.notes).forEach(function (k) { if (typeof r.notes[k] === 'string') notes[k] = str(r.notes[k]); });
    var clean = {
      format: FORMAT, schema: r.schema, site: expect.site, framework_version: str(r.framework_version, 100),
      level: { id: expect.level, title: str(level.title, 200) }, build: str(r.build, 40), role: role,
      person: str(r.person, 120), date: str(r.date, 40), behaviours: behaviours, notes: notes, summary: str(r.summary),
      dropped: dropped,
    };
    if (role === 'agreed') {
      var o = r.outcome && typeof r.outcome === 'object' ? r.outcome : {};
      clean.outcome = { id: str(o.id, 100), note: str(o.note) };
      clean.target = str(r.target, 200);
      clean.parties = {};
      ['self', 'manager'].forEach(function (k) {
        var p = r.parties && typeof r.parties === 'object' && r.parties[k] && typeof r.parties[k] === 'object' ? r.parties[k] : {};
        var pn = {};
        if (p.notes && typeof p.notes === 'object') Object.keys(p.notes).forEach(function (c) { if (typeof p.notes[c] === 'string') pn[c] = str(p.notes[c]); });
        clean.parties[k] = { person: str(p.person, 120), date: str(p.date, 40), summary: str(p.summary), notes: pn };
      });
      var gone = r.no_longer_listed && typeof r.no_longer_listed === 'object' ? r.no_longer_listed : {};
      clean.no_longer_listed = {};
      ['self', 'manager'].forEach(function (k) {
        clean.no_longer_listed[k] = (Array.isArray(gone[k]) ? gone[k] : [])
          .filter(function (b) { return b && typeof b === 'object' && typeof b.anchor === 'string'; })
          .map(function (b) {
            var own = side(b, expect.scale, expect.evidence);
            return { competency: str(b.competency, 200), anchor: str(b.anchor, 400), hash: str(b.hash, 40), text: str(b.text, 4000), rating: own.rating, evidence: own.evidence, note: own.note };
          });
      });
    }
    return clean;
  }

  /**
   * Matches a record's behaviours to the page's. `items`: [{ competency, anchor, text }].
   * First by identity (competency and anchor): the same words are `same`, other words
   * `changed`. A record behaviour whose anchor is gone (a behaviour without an `id` is
   * anchored by its words) is linked by `align` (change.js) to a still unmatched
   * behaviour of the same competency, and is `changed`. What matches nothing is
   * `removed`; page behaviours nobody rated are `fresh`. Nothing is matched across
   * competencies and nothing is matched silently: every link that is not the same words
   * under the same anchor is `changed`, with the words that were rated.
   * Returns { at: { itemIndex: { entry, changed } }, removed: [entry], fresh: [itemIndex] }.
   */
  function match(entries, items, align) {
    var at = {}, taken = {}, left = [];
    var index = {};
    items.forEach(function (it, i) { index[it.competency + '\u0001' + it.anchor] = i; });
    entries.forEach(function (e) {
      var i = index[e.competency + '\u0001' + e.anchor];
      if (i === undefined || taken[i]) { left.push(e); return; }
      taken[i] = true;
      at[i] = { entry: e, changed: e.hash !== textHash(items[i].text) };
    });
    var removed = [];
    var byCompetency = {};
    left.forEach(function (e) { (byCompetency[e.competency] = byCompetency[e.competency] || []).push(e); });
    Object.keys(byCompetency).forEach(function (c) {
      var olds = byCompetency[c];
      var open = [];
      items.forEach(function (it, i) { if (it.competency === c && !taken[i]) open.push(i); });
      var found = {};
      if (align && open.length) {
        align(olds.map(function (e) { return e.text; }), open.map(function (i) { return items[i].text; })).forEach(function (l) {
          var i = open[l.new];
          if (taken[i] || found[l.old]) return;
          taken[i] = true;
          found[l.old] = true;
          at[i] = { entry: olds[l.old], changed: true };
        });
      }
      olds.forEach(function (e, k) { if (!found[k]) removed.push(e); });
    });
    var fresh = [];
    items.forEach(function (_, i) { if (!at[i]) fresh.push(i); });
    return { at: at, removed: removed, fresh: fresh };
  }

  /** change.js's alignment as `match` wants it: lists of words in, links out. */
  function aligner(C) {
    if (!C || !C.align) return null;
    return function (olds, news) {
      return C.align(olds.map(function (t) { return { sig: C.signature(t) }; }), news.map(function (t) { return { sig: C.signature(t) }; }), false);
    };
  }

  /** A share link's query with its checksum appended (`&c=`, last). */
  function sealLink(query) { return query + '&c=' + hash(query).slice(0, 10); }
  /**
   * Checks a share link's query (without `#`). Returns the query without the checksum;
   * throws when the checksum is missing or wrong: the link was cut short or altered.
   */
  function openLink(query) {
    var at = query.lastIndexOf('&c=');
    if (at < 0 || query.slice(at + 3) !== hash(query.slice(0, at)).slice(0, 10)) {
      throw fail('truncated', 'This link is incomplete: it was probably cut short by a chat or mail app. Nothing was loaded. Ask for the link again, or for the exported record file.');
    }
    return query.slice(0, at);
  }

  // Share links: `#v=4[&w=manager]&r.<competency>=<per rated behaviour: two base-36 characters of its
  // anchor's FNV-1a hash, two of its words' (whitespace folded), then its rating
  // digit>&n.<competency>=<note>&c=<checksum>`. The words' characters let a link tell a
  // behaviour reworded under the same anchor (its `id`, or words that begin the same);
  // such a rating stays on its behaviour and is marked as changed. Older links (v=3
  // without the words' characters, v=2 also without a checksum, and `k=`/`r=` by
  // position) still open, with a warning.
  function short(anchor) {
    var h = 0x811c9dc5;
    for (var i = 0; i < anchor.length; i++) { h ^= anchor.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return ('0' + (h % 1296).toString(36)).slice(-2);
  }
  /** The sealed query of a share link for `state` ({entries, notes}) on the page's `desc`;
   * a manager's link says so (`w=manager`) and opens as the manager's assessment. */
  function linkQuery(desc, ratings, state, role) {
    var by = {}, runs = {}, order = [];
    state.entries.forEach(function (e) { by[e.anchor] = e.rating; });
    desc.forEach(function (d) {
      var i = ratings.indexOf(by[d.anchor]);
      if (i < 0) return;
      if (!(d.competency in runs)) { runs[d.competency] = ''; order.push(d.competency); }
      runs[d.competency] += short(d.anchor) + short(fold(d.text)) + (i + 1).toString(36);
    });
    var p = new URLSearchParams();
    p.set('v', '4');
    if (role === 'manager') p.set('w', 'manager');
    order.forEach(function (c) { p.set('r.' + c, runs[c]); });
    Object.keys(state.notes).sort().forEach(function (c) { p.set('n.' + c, state.notes[c]); });
    return sealLink(p.toString());
  }
  /**
   * Ratings by anchor from a v2/v3/v4 link's `r.<competency>` tokens (`width` characters
   * each; a v4 token's words that differ mark its rating `guessed`, so the page flags it
   * as changed), and in `lost` the
   * ratings whose token matches no behaviour of its competency any more (the behaviour
   * was reworded, so its anchor changed, or removed). A link carries no words, so a lost
   * rating is never placed by position: a removed behaviour and a new one in its place
   * look the same. The page lists them and leaves those behaviours unrated.
   */
  function tokens(p, desc, ratings, lost, width) {
    var out = {};
    p.forEach(function (v, k) {
      if (k.indexOf('r.') !== 0) return;
      var cid = k.slice(2);
      var fs = desc.filter(function (d) { return d.competency === cid; });
      var used = {};
      for (var i = 0; i + width <= v.length; i += width) {
        var h = v.slice(i, i + 2), words = width === 5 ? v.slice(i + 2, i + 4) : null, n = parseInt(v.charAt(i + width - 1), 36);
        if (!(n > 0 && n <= ratings.length)) continue;
        var at = fs.findIndex(function (x) { return !used[x.anchor] && short(x.anchor) === h; });
        if (at >= 0) {
          used[fs[at].anchor] = true;
          out[fs[at].anchor] = { rating: ratings[n - 1], guessed: words !== null && words !== short(fold(fs[at].text)) };
        }
        else lost.push({ competency: cid, rating: ratings[n - 1] });
      }
    });
    return out;
  }
  /**
   * The state a link's fragment holds ({entries, notes, warning, lost}), or null when it
   * holds none; throws when a checksummed link is cut short. `lost`: [{competency,
   * rating}] that match no behaviour any more (see `tokens`). A rating whose words changed
   * (v4), or that the first link format places by position after the level changed,
   * gets an empty hash, so the page marks it as changed.
   */
  function readLink(hash, desc, ratings) {
    var q = hash.replace(/^#/, '');
    var p = new URLSearchParams(q);
    if (!p.has('v') && !p.has('r')) return null;
    var warning = '';
    var byAnchor, lost = [];
    if (p.get('v') === '4' || p.get('v') === '3' || p.has('c')) {
      var v = p.get('v');
      p = new URLSearchParams(openLink(q));
      byAnchor = tokens(p, desc, ratings, lost, v === '3' ? 3 : 5);
      if (v === '3') warning = ' It is in an older link format that cannot tell whether a behaviour was reworded, so check every rating.';
    } else if (p.get('v') === '2') {
      byAnchor = tokens(p, desc, ratings, lost, 3);
      warning = ' It is in an older format without a checksum, so check that every rating is there.';
    } else {
      byAnchor = {};
      var r = p.get('r') || '';
      var moved = p.get('k') !== String(desc.length);
      desc.forEach(function (d, i) {
        var n = parseInt(r.charAt(i) || '0', 36);
        if (n > 0 && n <= ratings.length) byAnchor[d.anchor] = { rating: ratings[n - 1], guessed: moved };
      });
      warning = ' It is in the first link format, which follows the order of the behaviours: check every rating.';
    }
    var state = { v: 3, person: '', notes: {}, summary: '', warning: warning, entries: [], lost: lost, role: p.get('w') === 'manager' ? 'manager' : 'self' };
    desc.forEach(function (d) {
      var b = byAnchor[d.anchor];
      if (b) state.entries.push({ competency: d.competency, anchor: d.anchor, text: '', hash: b.guessed ? '' : textHash(d.text), rating: b.rating, evidence: null, note: '' });
    });
    p.forEach(function (v, k) { if (k.indexOf('n.') === 0) state.notes[k.slice(2)] = v; });
    return state;
  }

  R.FORMAT = FORMAT;
  R.SCHEMA = SCHEMA;
  R.hash = hash;
  R.textHash = textHash;
  R.build = build;
  R.seal = seal;
  R.open = open;
  R.match = match;
  R.aligner = aligner;
  R.sealLink = sealLink;
  R.openLink = openLink;
  R.linkQuery = linkQuery;
  R.readLink = readLink;
  R.short = short;
})();
