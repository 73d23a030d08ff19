/* rungs search: the header box, the /search/ page and the engine behind both.
 *
 * The index is a set of scripts written by `rungs build` under search/ (see docs/SEARCH.md).
 * Each calls __rungsSearch.add(id, data); nothing is fetched, so this works from file://.
 * Loaded lazily: nothing but this file is read until the search box gets focus (or `/`).
 * Text from the framework only ever reaches the page through textContent / text nodes.
 */
(function () {
  'use strict';
  var G = typeof window !== 'undefined' ? window : globalThis;
  var R = (G.__rungsSearch = G.__rungsSearch || {});
  if (R.engine) return; // loaded twice

  /* ---- Snowball English (Porter2) stemmer, as in the Rust crate rust-stemmers ---- */

  var EX1 = { skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes' };
  var EX2 = { inning: 1, outing: 1, canning: 1, herring: 1, earring: 1, proceed: 1, exceed: 1, succeed: 1 };
  var STEP2 = [['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'], ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'], ['ation', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'], ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'], ['bli', 'ble'], ['ogi', 'og'], ['li', '']];
  var STEP3 = [['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ative', ''], ['ical', 'ic'], ['ness', ''], ['ful', '']];
  var STEP4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion', 'al', 'er', 'ic'];

  function isV(c) { return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y'; }
  function hasV(s) { for (var i = 0; i < s.length; i++) if (isV(s[i])) return true; return false; }
  function afterVC(w, from) {
    var i = from;
    while (i < w.length && !isV(w[i])) i++;
    while (i < w.length && isV(w[i])) i++;
    return i < w.length ? i + 1 : w.length;
  }
  function shortv(s) {
    var n = s.length;
    if (n >= 3) return !isV(s[n - 1]) && 'wxY'.indexOf(s[n - 1]) < 0 && isV(s[n - 2]) && !isV(s[n - 3]);
    return n === 2 && isV(s[0]) && !isV(s[1]);
  }
  function ends(w, s) { return w.length >= s.length && w.lastIndexOf(s) === w.length - s.length; }

  function stem(word) {
    if (EX1.hasOwnProperty(word)) return EX1[word];
    if (word.length < 3) return word;
    var w = word;
    if (w[0] === 'y') w = 'Y' + w.slice(1);
    for (var i = 1; i < w.length; i++) if (w[i] === 'y' && isV(w[i - 1])) w = w.slice(0, i) + 'Y' + w.slice(i + 1);
    var m = /^(gener|commun|arsen)/.exec(w);
    var p1 = m ? m[0].length : afterVC(w, 0);
    var p2 = afterVC(w, p1);
    // Step 1a
    if (ends(w, 'sses')) w = w.slice(0, -2);
    else if (ends(w, 'ied') || ends(w, 'ies')) w = w.length > 4 ? w.slice(0, -2) : w.slice(0, -1);
    else if (ends(w, 'us') || ends(w, 'ss')) { /* keep */ }
    else if (ends(w, 's') && hasV(w.slice(0, -2))) w = w.slice(0, -1);
    if (EX2[w]) return w.replace(/Y/g, 'y');
    // Step 1b
    var sfx = ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed'].filter(function (s) { return ends(w, s); })[0];
    if (sfx === 'eedly' || sfx === 'eed') {
      if (w.length - sfx.length >= p1) w = w.slice(0, -sfx.length) + 'ee';
    } else if (sfx) {
      var rest = w.slice(0, -sfx.length);
      if (hasV(rest)) {
        w = rest;
        if (ends(w, 'at') || ends(w, 'bl') || ends(w, 'iz')) w += 'e';
        else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
        else if (w.length === p1 && shortv(w)) w += 'e';
      }
    }
    // Step 1c
    if (w.length >= 3 && (ends(w, 'y') || ends(w, 'Y')) && !isV(w[w.length - 2])) w = w.slice(0, -1) + 'i';
    // Step 2
    var s2 = longest(w, STEP2);
    if (s2 && w.length - s2[0].length >= p1) {
      var pre = w[w.length - s2[0].length - 1];
      if (s2[0] === 'ogi') { if (pre === 'l') w = w.slice(0, -3) + 'og'; }
      else if (s2[0] === 'li') { if (pre && 'cdeghkmnrt'.indexOf(pre) >= 0) w = w.slice(0, -2); }
      else w = w.slice(0, -s2[0].length) + s2[1];
    }
    // Step 3
    var s3 = longest(w, STEP3);
    if (s3 && w.length - s3[0].length >= p1) {
      if (s3[0] === 'ative') { if (w.length - 5 >= p2) w = w.slice(0, -5); }
      else w = w.slice(0, -s3[0].length) + s3[1];
    }
    // Step 4
    var s4 = STEP4.filter(function (s) { return ends(w, s); }).sort(function (a, b) { return b.length - a.length; })[0];
    if (s4 && w.length - s4.length >= p2) {
      if (s4 !== 'ion') w = w.slice(0, -s4.length);
      else if ('st'.indexOf(w[w.length - 4]) >= 0 && w.length >= 4) w = w.slice(0, -3);
    }
    // Step 5
    if (ends(w, 'e')) {
      var b = w.slice(0, -1);
      if (b.length >= p2 || (b.length >= p1 && !shortv(b))) w = b;
    } else if (ends(w, 'l') && w.length - 1 >= p2 && w[w.length - 2] === 'l') w = w.slice(0, -1);
    return w.replace(/Y/g, 'y');
  }
  function longest(w, table) {
    var best = null;
    for (var i = 0; i < table.length; i++) if (ends(w, table[i][0]) && (!best || table[i][0].length > best[0].length)) best = table[i];
    return best;
  }

  /* ---- words (same rules as src/search/tokenize.rs) ---- */

  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function words(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) out.push({ start: m.index, end: m.index + m[0].length, lower: m[0].toLowerCase() });
    return out;
  }
  var stemCache = new Map();
  function cachedStem(lower) {
    var s = stemCache.get(lower);
    if (s === undefined) { s = stem(lower); stemCache.set(lower, s); }
    return s;
  }

  /* ---- loading ---- */

  var store = {}, waiting = {};
  R.add = function (id, data) {
    store[id] = data;
    if (waiting[id]) { waiting[id].ok(data); delete waiting[id]; }
  };
  var root = '';
  /** Loads search/<path> once, as a script; resolves with what it registered. */
  R.load = R.load || function (id, path) {
    return new Promise(function (ok, fail) {
      var s = document.createElement('script');
      s.src = root + 'search/' + path;
      s.async = true;
      s.onerror = function () { delete waiting[id]; fail(new Error('cannot load ' + s.src)); };
      document.head.appendChild(s);
      waiting[id] = { ok: ok };
    });
  };
  var loading = {};
  function need(id, path) {
    if (store[id] !== undefined) return Promise.resolve(store[id]);
    if (!loading[id]) loading[id] = R.load(id, path).catch(function (e) { delete loading[id]; throw e; });
    return loading[id];
  }

  /* ---- the engine ---- */

  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  var B64V = new Int8Array(128);
  for (var bi = 0; bi < 64; bi++) B64V[B64.charCodeAt(bi)] = bi;
  var TIER = [10, 4, 1];
  var QUALITY = { exact: 1, prefix: 0.6, typo: 0.4 };

  function decodeList(v) {
    if (!v) return null;
    if (typeof v === 'string') {
      var ids = [];
      for (var i = 0; i < v.length; i++) {
        var bits = B64V[v.charCodeAt(i)];
        for (var b = 0; bits; b++, bits >>= 1) if (bits & 1) ids.push(i * 6 + b);
      }
      return Int32Array.from(ids);
    }
    var out = new Int32Array(v.length), id = 0;
    for (var j = 0; j < v.length; j++) { id = j === 0 ? v[0] : id + v[j]; out[j] = id; }
    return out;
  }

  function within1(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (i === la && i === lb) return true;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function Engine(m) {
    this.m = m;
    var n = m.n, runOf = new Int32Array(n), d = 0;
    for (var r = 0; r < m.runs.length; r++) for (var k = 0; k < m.runs[r][0]; k++) runOf[d++] = r;
    this.runOf = runOf;
    this.keys = m.shards.map(function (s) { return s[0]; });
    this.keyIndex = new Map(this.keys.map(function (k, i) { return [k, i]; }));
    this.stop = new Set(m.stop);
    this.terms = new Map(); // decoded terms
    var areaTracks = m.areas.map(function () { return new Set(); });
    m.comps.forEach(function (c) { c[3].forEach(function (t) { areaTracks[c[2]].add(t); }); });
    this.areaTracks = areaTracks;
  }

  /** The query's words: {lower, stem, prefix} for each indexed word. */
  Engine.prototype.parse = function (q) {
    var ws = words(q), self = this, open = !/[^\p{Alphabetic}\p{N}]$/u.test(q);
    return ws.map(function (w, i) {
      return { lower: w.lower, stem: cachedStem(w.lower), prefix: open && i === ws.length - 1 };
    }).filter(function (t) { return t.lower.length > 1 && !self.stop.has(t.lower); });
  };

  Engine.prototype.shardsFor = function (t) {
    var out = new Set(), k, i;
    [t.stem, t.lower].forEach(function (s) {
      for (var l = 1; l <= Math.min(5, s.length); l++) if (this.keyIndex.has(s.slice(0, l))) out.add(this.keyIndex.get(s.slice(0, l)));
    }, this);
    if (t.prefix) {
      var lo = 0, hi = this.keys.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (this.keys[mid] < t.lower) lo = mid + 1; else hi = mid; }
      var bytes = 0, extra = [];
      for (i = lo; i < this.keys.length && this.keys[i].indexOf(t.lower) === 0; i++) { extra.push(i); bytes += this.m.shards[i][1]; }
      // Two typed letters of a huge framework would load most of the index: wait for a third.
      if (t.lower.length >= 3 || bytes <= 200000) extra.forEach(function (x) { out.add(x); });
    }
    return Array.from(out);
  };

  Engine.prototype.load = function (tokens) {
    var ids = new Set();
    tokens.forEach(function (t) { this.shardsFor(t).forEach(function (i) { ids.add(i); }); }, this);
    return Promise.all(Array.from(ids).map(function (i) { return need('t' + i, 't/' + i + '.js'); }));
  };

  Engine.prototype.term = function (shard, term) {
    var key = shard + ' ' + term, t = this.terms.get(key);
    if (!t) {
      var rec = store['t' + shard][term];
      t = { term: term, words: rec[0] ? rec[0].concat([term]) : [term], lists: [decodeList(rec[1]), decodeList(rec[2]), decodeList(rec[3])] };
      this.terms.set(key, t);
    }
    return t;
  };

  /** The terms a query word matches, each with its quality. */
  Engine.prototype.matches = function (t) {
    var exact = [], prefix = [], typo = [], self = this;
    this.shardsFor(t).forEach(function (si) {
      var shard = store['t' + si];
      if (!shard) return;
      for (var term in shard) {
        var rec = shard[term], ws = rec[0] ? rec[0].concat([term]) : [term];
        if (term === t.stem) exact.push(self.term(si, term));
        else if (t.prefix && (term.indexOf(t.lower) === 0 || ws.some(function (w) { return w.indexOf(t.lower) === 0; }))) prefix.push(self.term(si, term));
        else if (t.lower.length >= 5 && (within1(term, t.stem) || ws.some(function (w) { return within1(w, t.lower); }))) typo.push(self.term(si, term));
      }
    });
    var out = exact.map(function (x) { return [x, QUALITY.exact]; }).concat(prefix.map(function (x) { return [x, QUALITY.prefix]; }));
    if (!out.length) out = typo.map(function (x) { return [x, QUALITY.typo]; });
    return out;
  };

  /** Whether document `d` passes the filters ({track, area} as indices or -1; or
   * `tracks`, a list of track indices: a job family). */
  Engine.prototype.passes = function (d, f) {
    var T = f.tracks || (f.track >= 0 ? [f.track] : null);
    if (!T && f.area < 0) return true;
    var m = this.m, run = m.runs[this.runOf[d]], kind = m.kinds[run[1]], a = run[2], b = run[3];
    if (T) {
      var self = this, on;
      var any = function (test) { return T.some(test); };
      var onLevel = function (l, t) { return m.levels[l][2].indexOf(t) >= 0; };
      if (kind === 'track') on = T.indexOf(a) >= 0;
      else if (kind === 'level') on = any(function (t) { return onLevel(a, t); });
      else if (kind === 'behaviour') on = any(function (t) { return onLevel(a, t) && m.comps[b][3].indexOf(t) >= 0; });
      else if (kind === 'competency') on = any(function (t) { return m.comps[a][3].indexOf(t) >= 0; });
      else if (kind === 'area') on = any(function (t) { return self.areaTracks[a].has(t); });
      else if (kind === 'descriptor') on = any(function (t) { return m.comps[m.steps[a][0]][3].indexOf(t) >= 0 && m.steps[a][3].some(function (l) { return onLevel(l, t); }); });
      else on = false;
      if (!on) return false;
    }
    if (f.area >= 0) {
      var area = kind === 'area' ? a : kind === 'competency' ? m.comps[a][2] : kind === 'behaviour' ? m.comps[b][2] : kind === 'descriptor' ? m.comps[m.steps[a][0]][2] : -1;
      if (area !== f.area) return false;
    }
    return true;
  };

  /**
   * Ranks the documents for a query (after `load`): documents matching more of the words
   * first, then by score (tier weight x match quality x rarity, summed over words), then in
   * framework order. Returns {tokens, terms, total, ids} with the best `limit` ids.
   */
  Engine.prototype.rank = function (tokens, filters, limit) {
    var n = this.m.n, count = new Uint8Array(n), score = new Float64Array(n), best = new Float32Array(n);
    var matched = new Set(), self = this;
    tokens.forEach(function (t) {
      best.fill(0);
      var df = 0;
      self.matches(t).forEach(function (pair) {
        var term = pair[0], q = pair[1];
        matched.add(term.term);
        for (var tier = 0; tier < 3; tier++) {
          var list = term.lists[tier];
          if (!list) continue;
          var v = TIER[tier] * q;
          for (var i = 0; i < list.length; i++) if (best[list[i]] < v) best[list[i]] = v;
        }
      });
      for (var d = 0; d < n; d++) if (best[d] > 0) df++;
      var idf = 1 + Math.log(1 + n / (1 + df));
      for (d = 0; d < n; d++) if (best[d] > 0) { count[d]++; score[d] += best[d] * idf; }
    });
    var ids = [], total = 0;
    for (var d = 0; d < n; d++) {
      if (!count[d] || !self.passes(d, filters)) continue;
      total++;
      ids.push(d);
    }
    var key = function (d) { return count[d] * 1e6 + score[d]; };
    if (ids.length > limit * 4 && ids.length > 200) {
      // Keep the candidates above the limit-th best key before sorting them all.
      var keys = Float64Array.from(ids, key).sort();
      var cut = keys[keys.length - limit];
      ids = ids.filter(function (d) { return key(d) >= cut; });
    }
    ids.sort(function (x, y) { return key(y) - key(x) || x - y; });
    return { tokens: tokens, terms: matched, total: total, ids: ids.slice(0, limit) };
  };

  Engine.prototype.chunkOf = function (d) {
    var c = this.m.chunks, lo = 0, hi = c.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (c[mid] <= d) lo = mid; else hi = mid - 1; }
    return lo;
  };

  /** Everything a result shows, once its text chunk is loaded. */
  Engine.prototype.describe = function (d) {
    var m = this.m, run = m.runs[this.runOf[d]], kind = m.kinds[run[1]], a = run[2], b = run[3];
    var c = this.chunkOf(d), text = store['d' + c][d - m.chunks[c]];
    var trackNames = function (ix) { return ix.map(function (i) { return m.tracks[i][1]; }).join(' & '); };
    var r = { id: d, kind: kind, label: kind, title: '', where: [], url: '', fields: [text[1] || '', text[2] || ''] };
    if (kind === 'track') { r.title = m.tracks[a][1]; r.url = 'tracks/' + m.tracks[a][0] + '/'; }
    else if (kind === 'level') { r.title = m.levels[a][1]; r.where = [trackNames(m.levels[a][2])]; r.url = 'levels/' + m.levels[a][0] + '/'; r.track = m.levels[a][2][0]; }
    else if (kind === 'competency') { r.title = m.comps[a][1]; r.where = [m.areas[m.comps[a][2]][1]]; r.url = 'competencies/' + m.comps[a][0] + '/'; }
    else if (kind === 'area') { r.title = m.areas[a][1]; r.url = 'areas/' + m.areas[a][0] + '/'; }
    else if (kind === 'page') { r.title = m.pages[a][1]; r.url = m.pages[a][0] + '/'; }
    else if (kind === 'behaviour') {
      r.where = [m.comps[b][1], m.levels[a][1], trackNames(m.levels[a][2])];
      r.track = m.levels[a][2][0];
      r.url = 'levels/' + m.levels[a][0] + '/#' + text[0];
    } else if (kind === 'descriptor') {
      var st = m.steps[a], names = st[3].map(function (l) { return m.levels[l][1]; });
      r.label = 'behaviour';
      r.where = [m.comps[st[0]][1], 'proficiency: ' + st[2]];
      if (names.length) r.where.push('expected at ' + (names.length > 3 ? names.slice(0, 3).join(', ') + ' and ' + (names.length - 3) + ' more' : names.join(', ')));
      r.url = 'competencies/' + m.comps[st[0]][0] + '/#' + text[0];
    }
    return r;
  };

  /** Ranks, loads the text of the shown results and describes them. */
  Engine.prototype.search = function (q, filters, limit) {
    var self = this, tokens = this.parse(q);
    if (!tokens.length) return Promise.resolve({ tokens: tokens, terms: new Set(), total: 0, results: [] });
    return this.load(tokens).then(function () {
      // Ranked beyond the limit, so results that repeat one text (a behaviour inherited
      // by a based track, a level attribute every track restates) can be shown once.
      var res = self.rank(tokens, filters, limit * 3), chunks = new Set();
      res.ids.forEach(function (d) { chunks.add(self.chunkOf(d)); });
      return Promise.all(Array.from(chunks).map(function (c) { return need('d' + c, 'd/' + c + '.js'); })).then(function () {
        var grouped = group(res.ids.map(function (d) { return self.describe(d); }), res);
        res.total -= grouped.merged;
        res.results = grouped.results.slice(0, limit);
        res.ids = res.results.map(function (r) { return r.id; });
        return res;
      });
    });
  };

  /**
   * Results of one kind with the same text, shown once: the first keeps its place and
   * names where else the text is (`also`: level titles). `res`: the ranking, whose
   * matched words place a snippet. Returns {results, merged}.
   */
  function group(results, res) {
    var first = new Map(), out = [], merged = 0;
    // A level's text is its summary and attributes, which tracks restate with small
    // changes: levels group on the part a result shows (the snippet around the match).
    var shown = function (text) { return highlight(text, res, 220).parts.map(function (p) { return p.text; }).join(''); };
    results.forEach(function (r) {
      var at = r.kind === 'level' ? r.title : r.kind === 'behaviour' ? r.where[1] : null;
      r.at = at;
      // A behaviour is the same one only in the same competency.
      var text = r.kind === 'level' ? shown(r.fields[0]) + '\u0000' + shown(r.fields[1]) : r.where[0] + '\u0000' + r.fields[0] + '\u0000' + r.fields[1];
      var key = at !== null && r.fields[0] ? r.kind + '\u0000' + text : null;
      var i = key !== null ? first.get(key) : undefined;
      r.also = [];
      if (i === undefined) {
        if (key !== null) first.set(key, out.length);
        out.push(r);
        return;
      }
      merged++;
      // The one on the track listed first (in the sample, the base a track is based on)
      // is shown, in the place of the best ranked.
      var kept = out[i];
      if (r.track < kept.track) { r.also = kept.also.concat([kept.at]); out[i] = r; } else kept.also.push(at);
    });
    return { results: out, merged: merged };
  }

  /** Splits text into [{text, mark}] parts around the matched words, trimmed to a window. */
  function highlight(text, res, max) {
    var prefixes = res.tokens.filter(function (t) { return t.prefix; }).map(function (t) { return t.lower; });
    var hits = words(text).filter(function (w) {
      return res.terms.has(cachedStem(w.lower)) || prefixes.some(function (p) { return w.lower.indexOf(p) === 0; });
    });
    var from = 0, to = text.length;
    if (max && text.length > max) {
      var first = hits.length ? hits[0].start : 0;
      from = Math.max(0, first - 40);
      while (from > 0 && /\S/.test(text[from - 1])) from--;
      to = Math.min(text.length, from + max);
      while (to < text.length && /\S/.test(text[to])) to++;
    }
    var parts = [], at = from;
    hits.forEach(function (h) {
      if (h.start < from || h.end > to) return;
      if (h.start > at) parts.push({ text: text.slice(at, h.start) });
      parts.push({ text: text.slice(h.start, h.end), mark: true });
      at = h.end;
    });
    if (at < to) parts.push({ text: text.slice(at, to) });
    if (from > 0) parts.unshift({ text: '… ' });
    if (to < text.length) parts.push({ text: ' …' });
    return { parts: parts, hits: hits.length };
  }

  R.engine = { stem: stem, words: words, Engine: Engine, highlight: highlight, within1: within1, store: store, group: group };

  /* ---- the page: header combobox and /search/ ---- */

  if (typeof document === 'undefined') return;

  var engine = null, enginePromise = null;
  function ready() {
    if (!enginePromise) {
      enginePromise = need('m', 'manifest.js').then(function (m) { engine = new Engine(m); return engine; });
      enginePromise.catch(function () { enginePromise = null; });
    }
    return enginePromise;
  }
  function href(url) {
    var hash = url.indexOf('#'), path = hash < 0 ? url : url.slice(0, hash), frag = hash < 0 ? '' : url.slice(hash);
    if (location.protocol === 'file:' && (path === '' || /\/$/.test(path))) path += 'index.html';
    return root + path + frag;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function appendParts(parent, parts) {
    parts.forEach(function (p) {
      parent.appendChild(p.mark ? el('mark', null, p.text) : document.createTextNode(p.text));
    });
  }
  var KIND = { track: 'Track', level: 'Level', competency: 'Competency', area: 'Area', page: 'Page', behaviour: 'Behaviour' };

  /** A result's content: kind, title or text, where it sits, snippet. */
  function resultBody(r, res, compact) {
    var frag = document.createDocumentFragment();
    var head = el('span', 'sr-head');
    head.appendChild(el('span', 'sr-kind sr-kind-' + r.kind, KIND[r.label] || r.label));
    var title = el('span', 'sr-title');
    var isText = !r.title;
    var main = r.title ? highlight(r.title, res) : null;
    var snippetSource = r.fields[0], prefix = '';
    var a = highlight(r.fields[0], res, compact ? 110 : 220), b = highlight(r.fields[1], res, compact ? 110 : 220);
    if (!a.hits && b.hits) { snippetSource = r.fields[1]; a = b; if (isText) prefix = 'Example: '; }
    if (isText) {
      if (prefix) { appendParts(title, highlight(r.fields[0], res, compact ? 90 : 200).parts); }
      else appendParts(title, a.parts);
    } else appendParts(title, main.parts);
    head.appendChild(title);
    frag.appendChild(head);
    var where = r.where.slice();
    if (r.also && r.also.length) {
      var names = r.also.length > 3 ? r.also.slice(0, 2).concat([(r.also.length - 2) + ' more levels']) : r.also;
      where.push('also at ' + (names.length > 1 ? names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1] : names[0]));
    }
    if (where.length) frag.appendChild(el('span', 'sr-where', where.join(' · ')));
    if (snippetSource && (!isText || prefix)) {
      var snip = el('span', 'sr-snippet');
      if (prefix) snip.appendChild(el('span', 'sr-example', prefix));
      appendParts(snip, a.parts);
      frag.appendChild(snip);
    }
    return frag;
  }

  function emptyState(container, q) {
    var p = el('p', 'search-empty');
    p.appendChild(document.createTextNode('No results for “' + q + '”. Try a shorter word, or browse the tracks'));
    var tracks = engine ? engine.m.tracks : [];
    tracks.forEach(function (t, i) {
      p.appendChild(document.createTextNode(i === 0 ? ': ' : i === tracks.length - 1 ? ' and ' : ', '));
      var a = el('a', null, t[1]);
      a.href = href('tracks/' + t[0] + '/');
      p.appendChild(a);
    });
    p.appendChild(document.createTextNode('.'));
    container.appendChild(p);
  }

  function rendered(q, started) {
    var ms = performance.now() - started;
    R.lastMs = ms;
    R.lastQuery = q;
    document.dispatchEvent(new CustomEvent('rungs:search-rendered', { detail: { query: q, ms: ms } }));
  }

  function setupBox(form) {
    var input = form.querySelector('input[role="combobox"]');
    var popup = form.querySelector('.search-popup');
    var list = form.querySelector('[role="listbox"]');
    var status = form.querySelector('.search-popup-status');
    var seq = 0, active = -1, options = [];
    function searchPage(q) { return href('search/') + '?q=' + encodeURIComponent(q); }
    function open(on) {
      popup.hidden = !on;
      input.setAttribute('aria-expanded', on ? 'true' : 'false');
      if (!on) setActive(-1);
    }
    function setActive(i) {
      if (options[active]) options[active].setAttribute('aria-selected', 'false');
      active = i;
      if (options[i]) {
        options[i].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', options[i].id);
        options[i].scrollIntoView({ block: 'nearest' });
      } else input.removeAttribute('aria-activedescendant');
    }
    function run() {
      var q = input.value, my = ++seq, started = performance.now();
      if (!q.trim()) { open(false); return; }
      ready().then(function (e) {
        return e.search(q, { track: -1, area: -1 }, 8);
      }).then(function (res) {
        if (my !== seq) return;
        list.textContent = '';
        status.textContent = '';
        options = [];
        active = -1;
        input.removeAttribute('aria-activedescendant');
        res.results.forEach(function (r, i) {
          var li = el('li', 'sr-option');
          li.id = 'site-search-opt-' + i;
          li.setAttribute('role', 'option');
          li.setAttribute('aria-selected', 'false');
          var a = el('a', 'sr-link');
          a.href = href(r.url);
          a.tabIndex = -1;
          a.appendChild(resultBody(r, res, true));
          li.appendChild(a);
          list.appendChild(li);
          options.push(li);
        });
        if (res.results.length) {
          var li = el('li', 'sr-option sr-all');
          li.id = 'site-search-opt-all';
          li.setAttribute('role', 'option');
          li.setAttribute('aria-selected', 'false');
          var a = el('a', 'sr-link', res.total > res.results.length ? 'See all ' + res.total + ' results' : 'Open the search page');
          a.href = searchPage(q);
          a.tabIndex = -1;
          li.appendChild(a);
          list.appendChild(li);
          options.push(li);
        } else if (res.tokens.length) {
          emptyState(status, q.trim());
        } else {
          status.appendChild(el('p', 'search-empty', 'Keep typing…'));
        }
        open(true);
        rendered(q, started);
      }).catch(function () {
        if (my !== seq) return;
        list.textContent = '';
        status.textContent = 'Search is unavailable: its index could not be loaded.';
        open(true);
      });
    }
    input.addEventListener('focus', function () { ready(); if (input.value.trim() && popup.hidden) run(); });
    input.addEventListener('input', run);
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        if (popup.hidden) { run(); return; }
        if (!options.length) return;
        var next = ev.key === 'ArrowDown' ? (active + 1) % options.length : (active <= 0 ? options.length - 1 : active - 1);
        setActive(next);
      } else if (ev.key === 'Escape') {
        if (!popup.hidden) { ev.preventDefault(); open(false); } else if (input.value) { input.value = ''; }
      } else if (ev.key === 'Enter') {
        // A result picked with the arrow keys opens; otherwise Enter means "search":
        // the results page, as in a search engine or a documentation site.
        ev.preventDefault();
        var q = input.value;
        if (!q.trim()) return;
        var picked = !popup.hidden && active >= 0 && options[active];
        location.href = picked ? picked.querySelector('a').href : searchPage(q);
      }
    });
    form.addEventListener('submit', function (ev) { ev.preventDefault(); });
    document.addEventListener('click', function (ev) { if (!form.contains(ev.target)) open(false); });
    form.addEventListener('focusout', function (ev) { if (ev.relatedTarget && !form.contains(ev.relatedTarget)) open(false); });
    document.addEventListener('keydown', function (ev) {
      if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var t = ev.target, tag = t && t.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
      ev.preventDefault();
      ready();
      input.focus();
      input.select();
    });
  }

  function setupPage(form) {
    var input = form.querySelector('input[name="q"]');
    var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-filter]'));
    var status = document.querySelector('[data-search-status]');
    var list = document.querySelector('[data-search-results]');
    var more = document.querySelector('[data-search-more]');
    var params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    selects.forEach(function (s) { s.value = params.get(s.name) || ''; if (s.selectedIndex < 0) s.value = ''; });
    var seq = 0, limit = 20;
    function filters(m) {
      var f = { track: -1, area: -1 };
      selects.forEach(function (s) {
        var table = s.name === 'track' ? m.tracks : m.areas;
        var option = s.options[s.selectedIndex];
        if (option && option.dataset.tracks) {
          // A job family: every track of it.
          f.tracks = option.dataset.tracks.split(' ').map(function (id) {
            return table.findIndex(function (x) { return x[0] === id; });
          }).filter(function (i) { return i >= 0; });
        } else {
          f[s.name] = table.findIndex(function (x) { return x[0] === s.value; });
        }
      });
      return f;
    }
    function syncUrl() {
      var p = new URLSearchParams();
      if (input.value) p.set('q', input.value);
      selects.forEach(function (s) { if (s.value) p.set(s.name, s.value); });
      var qs = p.toString();
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : '') + location.hash);
    }
    function run(keepLimit) {
      if (!keepLimit) limit = 20;
      var q = input.value, my = ++seq, started = performance.now();
      syncUrl();
      if (!q.trim()) { list.textContent = ''; status.textContent = 'Type a word to search levels, competencies, behaviours and pages.'; more.hidden = true; return; }
      ready().then(function (e) { return e.search(q, filters(e.m), limit); }).then(function (res) {
        if (my !== seq) return;
        list.textContent = '';
        status.textContent = '';
        res.results.forEach(function (r) {
          var li = el('li', 'sr-result');
          var a = el('a', 'sr-link');
          a.href = href(r.url);
          a.appendChild(resultBody(r, res, false));
          li.appendChild(a);
          list.appendChild(li);
        });
        if (res.total) status.textContent = res.total + (res.total === 1 ? ' result' : ' results') + ' for “' + q.trim() + '”';
        else if (res.tokens.length) emptyState(status, q.trim());
        else status.textContent = 'Keep typing…';
        more.hidden = res.total <= res.results.length;
        document.title = (q.trim() ? q.trim() + ' · ' : '') + document.title.replace(/^.* · (Search · )/, '$1');
        rendered(q, started);
      }).catch(function () {
        if (my !== seq) return;
        status.textContent = 'Search is unavailable: its index could not be loaded.';
      });
    }
    input.addEventListener('input', function () { run(); });
    selects.forEach(function (s) { s.addEventListener('change', function () { run(); }); });
    form.addEventListener('submit', function (ev) { ev.preventDefault(); run(); });
    more.addEventListener('click', function () { limit += 20; run(true); });
    run();
  }

  /* The phone header: the navigation folds behind a Menu button (without JavaScript the
     * button stays hidden and the navigation simply wraps). */
  function setupMenu() {
    var button = document.querySelector('.nav-toggle');
    var header = document.querySelector('.site-header');
    if (!button || !header) return;
    header.classList.add('has-menu');
    button.hidden = false;
    button.addEventListener('click', function () {
      var open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      header.classList.toggle('menu-open', open);
    });
    // Header disclosures (many tracks, many guides) close on Escape or a click elsewhere.
    var more = Array.prototype.slice.call(document.querySelectorAll('.nav-more'));
    document.addEventListener('click', function (ev) {
      more.forEach(function (d) { if (d.open && !d.contains(ev.target)) d.open = false; });
    });
    document.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Escape') return;
      var open = more.filter(function (d) { return d.open; });
      if (open.length) {
        open.forEach(function (d) { d.open = false; d.querySelector('summary').focus(); });
        return;
      }
      if (header.classList.contains('menu-open')) {
        button.setAttribute('aria-expanded', 'false');
        header.classList.remove('menu-open');
        button.focus();
      }
    });
  }

  function init() {
    setupMenu();
    var box = document.querySelector('form[data-search-root]');
    if (!box) return;
    root = box.getAttribute('data-search-root') || '';
    setupBox(box);
    var page = document.querySelector('form[data-search-page]');
    if (page) setupPage(page);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
