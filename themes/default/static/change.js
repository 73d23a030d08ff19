/* rungs change: which behaviour at one level grows from which at another, in the browser.
 *
 * The same rules, thresholds and order as the build (src/change/align.rs and
 * src/change/mod.rs): what authors state, then the same text, then one behaviour on each
 * side, then the most similar pairs, then merges and splits. The compare picker uses it
 * for pairs the build does not pre-render, the self-assessment to carry a rating over to
 * a reworded behaviour, and level pages to follow a link to a behaviour since reworded
 * (`follow` below).
 * tests/browser/change.test.mjs checks it links the hand-labelled real-framework
 * comparisons exactly as the build does.
 *
 * Words and stems are search.js's (loaded on every page of the default theme); without it
 * words are compared unstemmed. Nothing here touches the page.
 */
(function () {
  'use strict';
  var G = typeof window !== 'undefined' ? window : globalThis;
  var C = (G.__rungsChange = G.__rungsChange || {});
  if (C.align) return;

  // src/search/tokenize.rs STOP_WORDS and src/change/signature.rs PRONOUNS.
  var STOP = ['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'is', 'it', 'of', 'on',
    'or', 'that', 'the', 'their', 'this', 'to', 'was', 'with'];
  var PRONOUNS = ['i', 'its', 'me', 'my', 'our', 'them', 'they', 'us', 'we', 'you', 'your'];
  var PAIR = 0.18, JOIN = 0.30, PLACE = 0.05;
  var skip = new Set(STOP.concat(PRONOUNS));

  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function words(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) out.push(m[0].toLowerCase());
    return out;
  }
  var stems = new Map();
  function stem(lower) {
    var s = stems.get(lower);
    if (s === undefined) {
      var engine = G.__rungsSearch && G.__rungsSearch.engine;
      s = engine ? engine.stem(lower) : lower;
      stems.set(lower, s);
    }
    return s;
  }

  /** Markdown to plain text, roughly as the build's plain_text: links keep their text. */
  function plain(md) {
    return String(md)
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]*>/g, '')
      .replace(/[*_`~]+/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  }

  /** What comparing needs of a text: its key (words, lowercased) and stemmed content words. */
  function signature(text) {
    var ws = words(text), set = new Set();
    ws.forEach(function (w) {
      if (Array.from(w).length > 1 && !skip.has(w)) set.add(stem(w));
    });
    return { key: ws.join(' '), words: Array.from(set).sort() };
  }

  /**
   * Links the items of two lists. An item is {sig, id, from, ref}: `ref` names the very
   * behaviour (the same ref on both sides is the same behaviour, held from below both);
   * `from` is its stated lineage (ids at the level below), used when `adjacent`.
   * Returns [{old, new, source}] sorted by new, then old.
   */
  function align(old, neu, adjacent) {
    var st = {
      links: [],
      oldDone: old.map(function () { return false; }),
      newDone: neu.map(function () { return false; }),
      oldStated: old.map(function () { return false; }),
      newStated: neu.map(function () { return false; })
    };
    function link(i, j, source) { st.links.push({ old: i, new: j, source: source }); st.oldDone[i] = true; st.newDone[j] = true; }
    // 0. The very same behaviour.
    neu.forEach(function (b, j) {
      if (b.ref == null) return;
      for (var i = 0; i < old.length; i++) {
        if (!st.oldDone[i] && old[i].ref === b.ref) { link(i, j, 'same'); return; }
      }
    });
    // 1. What authors state.
    var byId = new Map();
    old.forEach(function (b, i) { if (b.id != null) byId.set(b.id, i); });
    neu.forEach(function (b, j) {
      if (st.newDone[j]) return;
      var sources;
      if (b.from && adjacent) {
        sources = b.from.map(function (id) { return byId.get(id); }).filter(function (i) {
          return i !== undefined && (!st.oldDone[i] || st.links.some(function (l) { return l.old === i && l.source === 'stated'; }));
        });
      } else if (b.id != null) {
        var i = byId.get(b.id);
        if (i === undefined || st.oldDone[i]) return;
        sources = [i];
      } else {
        return;
      }
      st.newDone[j] = true;
      st.newStated[j] = true;
      sources.forEach(function (i) { link(i, j, 'stated'); st.oldStated[i] = true; });
    });
    // 2. The same text up to case, punctuation and spacing.
    neu.forEach(function (b, j) {
      if (st.newDone[j]) return;
      for (var i = 0; i < old.length; i++) {
        if (!st.oldDone[i] && old[i].sig.key === b.sig.key) { link(i, j, 'same'); return; }
      }
    });
    var sim = similarity(old, neu);
    // 3. One behaviour on each side.
    if (old.length === 1 && neu.length === 1 && !st.oldDone[0] && !st.newDone[0]) {
      if (sim(0, 0) > 0) link(0, 0, 'inferred');
      return sorted(st.links);
    }
    // 4. The most similar pairs, best first.
    var nOld = old.length, nNew = neu.length, cands = [];
    function place(i, j) {
      if (nOld > 1 && nNew > 1) return PLACE * (1 - Math.abs(i / (nOld - 1) - j / (nNew - 1)));
      return 0;
    }
    for (var i = 0; i < nOld; i++) {
      if (st.oldDone[i]) continue;
      for (var j = 0; j < nNew; j++) {
        if (st.newDone[j]) continue;
        var s = sim(i, j);
        if (s > 0) cands.push([s + place(i, j), i, j]);
      }
    }
    cands.sort(function (p, q) { return q[0] - p[0] || p[2] - q[2] || p[1] - q[1]; });
    for (var k = 0; k < cands.length; k++) {
      var c = cands[k];
      if (c[0] < PAIR) break;
      if (!st.oldDone[c[1]] && !st.newDone[c[2]]) link(c[1], c[2], 'inferred');
    }
    // 5. Merges and splits: what is still alone joins its most similar partner.
    function best(n, score) {
      var top = null;
      for (var x = 0; x < n; x++) { var v = score(x); if (top === null || v > top[0]) top = [v, x]; }
      return top;
    }
    var joins = [];
    var aloneOld = [], aloneNew = [];
    for (i = 0; i < nOld; i++) if (!st.oldDone[i]) aloneOld.push(i);
    for (j = 0; j < nNew; j++) if (!st.newDone[j]) aloneNew.push(j);
    aloneOld.forEach(function (i) {
      var b = best(nNew, function (j) { return st.newStated[j] ? 0 : sim(i, j); });
      if (b && b[0] >= JOIN) joins.push([i, b[1]]);
    });
    aloneNew.forEach(function (j) {
      var b = best(nOld, function (i) { return st.oldStated[i] ? 0 : sim(i, j); });
      if (b && b[0] >= JOIN) joins.push([b[1], j]);
    });
    joins.forEach(function (p) { link(p[0], p[1], 'inferred'); });
    return sorted(st.links);
  }
  function sorted(links) {
    links.sort(function (a, b) { return a.new - b.new || a.old - b.old; });
    return links.filter(function (l, k) { return k === 0 || l.new !== links[k - 1].new || l.old !== links[k - 1].old; });
  }

  /** Weighted Dice similarity of two items' words, each word weighted by its rarity. */
  function similarity(old, neu) {
    var df = new Map(), n = 0;
    old.concat(neu).forEach(function (b) {
      n++;
      b.sig.words.forEach(function (w) { df.set(w, (df.get(w) || 0) + 1); });
    });
    var idf = new Map();
    df.forEach(function (d, w) { idf.set(w, Math.log(1 + n / d)); });
    function weight(w) { return idf.get(w) || 0; }
    return function (i, j) {
      var a = old[i].sig.words, b = neu[j].sig.words, total = 0, common = 0;
      a.forEach(function (w) { total += weight(w); });
      b.forEach(function (w) { total += weight(w); });
      if (total === 0) return 0;
      var bs = new Set(b);
      a.forEach(function (w) { if (bs.has(w)) common += weight(w); });
      return 2 * common / total;
    };
  }

  /**
   * The groups of linked items, each with its kind (kept, reworded, merged, split, new,
   * dropped) and whether a link was stated, in the build's display order.
   */
  function groups(old, neu, links) {
    var n = old.length, parent = [];
    for (var x = 0; x < n + neu.length; x++) parent.push(x);
    function root(v) { while (parent[v] !== v) { parent[v] = parent[parent[v]]; v = parent[v]; } return v; }
    links.forEach(function (l) {
      var a = root(l.old), b = root(n + l.new);
      parent[Math.max(a, b)] = Math.min(a, b);
    });
    var byRoot = new Map();
    function entry(r) { if (!byRoot.has(r)) byRoot.set(r, { old: [], new: [] }); return byRoot.get(r); }
    for (var i = 0; i < n; i++) entry(root(i)).old.push(i);
    for (var j = 0; j < neu.length; j++) entry(root(n + j)).new.push(j);
    var out = [];
    byRoot.forEach(function (g) {
      var o = g.old, w = g.new, kind;
      if (!w.length) kind = 'dropped';
      else if (!o.length) kind = 'new';
      else if (o.length === 1 && w.length === 1) kind = old[o[0]].sig.key === neu[w[0]].sig.key ? 'kept' : 'reworded';
      else if (o.length === 1) kind = 'split';
      else kind = 'merged';
      var stated = links.some(function (l) { return l.source === 'stated' && o.indexOf(l.old) >= 0 && w.indexOf(l.new) >= 0; });
      out.push({ kind: kind, old: o, new: w, stated: stated });
    });
    return order(out);
  }

  /** Display order: by first new item; a group with only old items just before the first
   * group that follows it in the old list. */
  function order(out) {
    var MAX = Number.MAX_SAFE_INTEGER;
    var firsts = out.map(function (g) { return [g.new.length ? g.new[0] : MAX, g.old.length ? g.old[0] : MAX]; });
    var keys = firsts.map(function (f) {
      if (f[0] !== MAX) return [f[0], 1, f[1]];
      var next = MAX;
      firsts.forEach(function (h) { if (h[0] !== MAX && h[1] !== MAX && h[1] > f[1] && h[0] < next) next = h[0]; });
      return [next, 0, f[1]];
    });
    var idx = out.map(function (_, k) { return k; });
    idx.sort(function (p, q) {
      var a = keys[p], b = keys[q];
      return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
    });
    return idx.map(function (k) { return out[k]; });
  }

  /** The groups read the other way round (second list first). */
  function reversed(gs) {
    var flip = { merged: 'split', split: 'merged', new: 'dropped', dropped: 'new' };
    var out = gs.map(function (g) { return { kind: flip[g.kind] || g.kind, old: g.new, new: g.old, stated: g.stated }; });
    return order(out);
  }

  // Word diff: [[mark, text]] for each side; whitespace between two changes joins them.
  function lcs(a, b) {
    var t = [];
    for (var i = 0; i <= a.length; i++) t.push(new Array(b.length + 1).fill(0));
    for (i = a.length - 1; i >= 0; i--) {
      for (var j = b.length - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
    }
    return t;
  }
  function merge(tokens) {
    for (var k = 1; k < tokens.length - 1; k++) {
      if (tokens[k][0] === 'same' && !tokens[k][1].trim() && tokens[k - 1][0] !== 'same' && tokens[k - 1][0] === tokens[k + 1][0]) tokens[k][0] = tokens[k - 1][0];
    }
    var out = [];
    tokens.forEach(function (t) {
      if (out.length && out[out.length - 1][0] === t[0]) out[out.length - 1][1] += t[1];
      else out.push([t[0], t[1]]);
    });
    return out;
  }
  // As the build does (src/change/diff.rs): the diff runs over words (runs of
  // non-whitespace); a word or two in common between two changes joins them; texts with
  // fewer than one word in three in common (of the longer) are a rewrite, marked whole.
  var INCIDENTAL = 2, REWRITE = 3;
  function wordRanges(s) {
    var out = [], re = /\S+/g, m;
    while ((m = re.exec(s))) out.push([m.index, m.index + m[0].length]);
    return out;
  }
  var EDGE = /^[^\p{Alphabetic}\p{N}]+|[^\p{Alphabetic}\p{N}]+$/gu;
  function wordKey(w) {
    return w.replace(EDGE, '') || w;
  }
  function diff(x, y) {
    var wa = wordRanges(x), wb = wordRanges(y);
    // Compared without the punctuation around them, as src/change/diff.rs word_key.
    var a = wa.map(function (r) { return wordKey(x.slice(r[0], r[1])); });
    var b = wb.map(function (r) { return wordKey(y.slice(r[0], r[1])); });
    var am = a.map(function () { return 'removed'; }), bm = b.map(function () { return 'added'; });
    // Runs of words in common, in order: [i, j, length].
    var t = lcs(a, b), runs = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        var last = runs[runs.length - 1];
        if (last && last[0] + last[2] === i && last[1] + last[2] === j) last[2]++;
        else runs.push([i, j, 1]);
        i++; j++;
      } else if (t[i][j + 1] >= t[i + 1][j]) j++;
      else i++;
    }
    var same = 0;
    runs.forEach(function (r) {
      var before = r[0] > 0 || r[1] > 0;
      var after = r[0] + r[2] < a.length || r[1] + r[2] < b.length;
      // Between two changes (neighbouring runs are one run, so a change lies on
      // either side): joins them.
      if (r[2] <= INCIDENTAL && before && after) return;
      same += r[2];
      for (var q = 0; q < r[2]; q++) { am[r[0] + q] = 'same'; bm[r[1] + q] = 'same'; }
    });
    if (same * REWRITE < Math.max(a.length, b.length)) {
      am = am.map(function () { return 'removed'; });
      bm = bm.map(function () { return 'added'; });
    }
    return [merge(tokens(x, wa, am)), merge(tokens(y, wb, bm))];
  }
  function tokens(text, ws, marks) {
    var out = [], at = 0;
    ws.forEach(function (r, k) {
      if (r[0] > at) out.push(['same', text.slice(at, r[0])]);
      out.push([marks[k], text.slice(r[0], r[1])]);
      at = r[1];
    });
    if (at < text.length) out.push(['same', text.slice(at)]);
    return out;
  }
  /** A group's diff: the whole of each side against the whole of the other, cut back
   * into its items (as the build does). */
  function diffGroup(olds, news) {
    var d = diff(olds.join(' '), news.join(' '));
    return [cut(d[0], olds), cut(d[1], news)];
  }
  function cut(segments, texts) {
    var out = texts.map(function () { return []; }), k = 0, used = 0;
    segments.forEach(function (seg) {
      var mark = seg[0], text = seg[1];
      while (text.length && k < texts.length) {
        var room = texts[k].length - used;
        if (room <= 0) {
          // The space that joined two items belongs to neither.
          text = text.slice(1); k++; used = 0;
          continue;
        }
        var part = text.slice(0, room);
        var list = out[k];
        if (list.length && list[list.length - 1][0] === mark) list[list.length - 1][1] += part;
        else list.push([mark, part]);
        text = text.slice(part.length); used += part.length;
      }
    });
    return out;
  }

  /**
   * On a page marked `data-follow-links` (level pages): a link to a behaviour whose
   * anchor no longer exists (it followed the behaviour's words, which changed) goes to
   * the behaviour of the same competency whose anchor words are most alike, and says so.
   * Anchors are `<competency>-<first words>`, so the competency is the longest id prefix
   * that behaviours on the page share with the link.
   */
  function follow() {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (!hash || document.getElementById(hash)) return;
    var items = Array.prototype.slice.call(document.querySelectorAll('li.behaviour[id]'));
    function prefix(a, b) { var n = 0; while (n < a.length && a[n] === b[n]) n++; return a.slice(0, n).replace(/[^-]*$/, ''); }
    var best = null;
    items.forEach(function (li) {
      var p = prefix(li.id, hash);
      if (!p) return;
      var old = [{ sig: signature(hash.slice(p.length).replace(/-/g, ' ')) }];
      var neu = [{ sig: signature(li.id.slice(p.length).replace(/-/g, ' ')) }];
      var s = similarity(old, neu)(0, 0) + p.length / 1000;
      if (s >= PAIR && (!best || s > best[0])) best = [s, li];
    });
    if (!best) return;
    var li = best[1];
    location.replace('#' + li.id);
    var note = document.createElement('p');
    note.className = 'link-note';
    note.setAttribute('role', 'status');
    note.textContent = 'The behaviour this link pointed to has been reworded since; this is the closest one now.';
    li.insertBefore(note, li.firstChild);
  }
  if (typeof document !== 'undefined' && document.querySelector('[data-follow-links]')) {
    follow();
    window.addEventListener('hashchange', follow);
  }

  C.plain = plain;
  C.signature = signature;
  C.align = align;
  C.groups = groups;
  C.reversed = reversed;
  C.diff = diff;
  C.diffGroup = diffGroup;
  C.PAIR = PAIR;
  C.JOIN = JOIN;
})();
