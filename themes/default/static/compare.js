// The /compare/ picker. A pre-rendered pair (neighbouring or equivalent levels) navigates
// to its page; any other pair is compared here from framework.json with change.js, which
// follows the build's rules (src/change/). A pair the build pre-renders the other way
// round is its comparison reversed, and a level compared with the level below it on its
// page is read from framework.json's `change` of each behaviour, so the picker tells the
// same story as the level and compare pages.
(function () {
  'use strict';
  var form = document.getElementById('compare-picker');
  var C = window.__rungsChange;
  if (!form || !C) return;
  var root = form.dataset.root;
  var pairs = form.dataset.pairs.split(' ');
  var selA = document.getElementById('compare-a');
  var selB = document.getElementById('compare-b');
  var result = document.getElementById('compare-result');
  var model = null;

  if (selB.options.length > 1) selB.selectedIndex = 1;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }

  /* ---- the two sides, as the build sees them ---- */

  function byId(list) { var m = {}; list.forEach(function (x) { m[x.id] = x; }); return m; }
  var levels, levelIndex, competencies;
  function expectation(l, cid) { return l.expectations.filter(function (x) { return x.competency === cid; })[0]; }
  function applies(c, l) { return c.tracks.some(function (t) { return l.tracks.indexOf(t) >= 0; }); }
  function item(b, at, ref) {
    var text = C.plain(b.text);
    return { text: text, sig: C.signature(text), id: b.id, from: b.grows_from, ref: ref, anchor: b.anchor, at: at, change: b.change };
  }
  /** What level `l` expects of competency `c`: own behaviours, descriptors, then held. */
  function side(l, c) {
    var out = { items: [], own: 0 };
    if (!applies(c, l)) return out;
    var e = expectation(l, c.id);
    if (!e) return out;
    e.behaviours.forEach(function (b) { out.items.push(item(b, l.id, l.id + '#' + b.anchor)); });
    e.descriptors.forEach(function (b) { out.items.push(item(b, l.id, 'step#' + b.anchor)); });
    out.own = out.items.length;
    e.held.forEach(function (h) {
      var from = expectation(levels[h.level], c.id);
      var b = from && from.behaviours.filter(function (x) { return x.anchor === h.anchor; })[0];
      if (b) out.items.push(item(b, h.level, h.level + '#' + b.anchor));
    });
    return out;
  }
  /** The level before `l` on track `t`, in ladder order. */
  function previousOn(l, t) {
    var prev = null;
    for (var i = 0; i < levelIndex[l.id]; i++) if (model.levels[i].tracks.indexOf(t) >= 0) prev = model.levels[i];
    return prev;
  }
  function adjacent(a, b) { return b.tracks.some(function (t) { var p = previousOn(b, t); return p && p.id === a.id; }); }

  /** Links from `a`'s side to `b`'s, as the build makes them. */
  function links(a, b, old, neu) {
    if (b.compared_with !== a.id) return C.align(old.items, neu.items, adjacent(a, b));
    // What the build decided, from each behaviour's `change`; held items are themselves.
    var out = [];
    neu.items.forEach(function (x, j) {
      if (j >= neu.own) {
        old.items.forEach(function (o, i) { if (o.ref === x.ref) out.push({ old: i, new: j }); });
        return;
      }
      ((x.change && x.change.from) || []).forEach(function (f) {
        old.items.forEach(function (o, i) { if (o.anchor === f.anchor && o.at === f.level) out.push({ old: i, new: j }); });
      });
    });
    return out;
  }
  /** Competency `c` compared from level `a` to level `b`, read in that direction. */
  function compareCell(a, b, c) {
    var pre = pairs.indexOf(b.id + '/' + a.id) >= 0;
    var x = pre ? b : a, y = pre ? a : b;
    var old = side(x, c), neu = side(y, c);
    var gs = C.groups(old.items, neu.items, links(x, y, old, neu));
    if (pre) { gs = C.reversed(gs); var t = old; old = neu; neu = t; }
    return { old: old, neu: neu, groups: gs };
  }

  /* ---- rendering ---- */

  function segments(list) {
    var span = el('span');
    list.forEach(function (s) {
      if (s[0] === 'same') { span.appendChild(document.createTextNode(s[1])); return; }
      var label = s[0] === 'added' ? '[added: ' : '[removed: ';
      span.appendChild(el(s[0] === 'added' ? 'ins' : 'del', {}, [el('span', { class: 'visually-hidden' }, [label]), s[1], el('span', { class: 'visually-hidden' }, [']'])]));
    });
    return span;
  }
  function tag(kind, text) { return el('span', { class: 'tag tag-' + kind }, [text]); }

  /** Each side's texts of a group, the whole of each side marked against the other. */
  function marked(g, d) {
    var olds = g.old.map(function (i) { return d.old.items[i].text; });
    var news = g.new.map(function (j) { return d.neu.items[j].text; });
    if (['reworded', 'merged', 'split'].indexOf(g.kind) < 0) {
      return [olds.map(function (t) { return [['same', t]]; }), news.map(function (t) { return [['same', t]]; })];
    }
    // A text whose every word is marked (a rewrite) is shown as written, as the build does.
    var whole = function (segs, i, texts) {
      return segs.every(function (s) { return s[0] !== 'same'; }) ? [['same', texts[i]]] : segs;
    };
    var d2 = C.diffGroup(olds, news);
    return [d2[0].map(function (s, i) { return whole(s, i, olds); }), d2[1].map(function (s, i) { return whole(s, i, news); })];
  }

  function render(a, b) {
    var la = levels[a], lb = levels[b];
    if (!la || !lb) { result.textContent = 'Unknown level.'; return; }
    var up = model.bands.map(function (x) { return x.id; }).indexOf(la.band) < model.bands.map(function (x) { return x.id; }).indexOf(lb.band);
    var label = {
      new: up ? 'New' : 'Only at ' + lb.title,
      dropped: up ? 'No longer listed' : 'Only at ' + la.title,
      reworded: 'Reworded', merged: 'Merged', split: 'Split'
    };
    var stepTitle = {};
    model.scales.forEach(function (s) { s.steps.forEach(function (st) { stepTitle[s.id + '/' + st.id] = st.title; }); });
    function step(l, c) { var e = applies(c, l) && expectation(l, c.id); return e && e.step ? stepTitle[c.scale + '/' + e.step] || e.step : null; }
    var total = { new: 0, grown: 0, dropped: 0, kept: 0, held: 0 };
    var onlyA = [], onlyB = [];
    var body = el('div');
    model.areas.forEach(function (area) {
      var section = el('section', { class: 'area-block compare-area' }, [el('h2', { class: 'area-heading' }, [area.title])]);
      var any = false;
      competencies.filter(function (c) { return c.area === area.id && (applies(c, la) || applies(c, lb)); }).forEach(function (c) {
        var d = compareCell(la, lb, c), sa = step(la, c), sb = step(lb, c);
        if (!d.old.items.length && !d.neu.items.length && !sa && !sb) return;
        any = true;
        var onBoth = applies(c, la) && applies(c, lb);
        if (!onBoth) (applies(c, la) ? onlyA : onlyB).push(c.title);
        var tbody = el('tbody');
        if (sa || sb) {
          tbody.appendChild(el('tr', { class: 'row-step' }, [el('td', {}, [sa ? 'Proficiency: ' + sa : '—']), el('td', {}, [sb ? 'Proficiency: ' + sb : '—'])]));
        }
        var held = 0;
        d.groups.forEach(function (g) {
          if (g.kind === 'kept' && g.new.length === 1 && g.new[0] >= d.neu.own) { held++; return; }
          if (onBoth) {
            if (g.kind === 'new') total.new += g.new.length;
            else if (g.kind === 'dropped') total.dropped += g.old.length;
            else if (g.kind === 'kept') total.kept++;
            else total.grown += g.new.length;
          }
          var m = marked(g, d), left = el('td', { class: 'cell-' + (g.old.length ? g.kind : 'none') }), right = el('td', { class: 'cell-' + (g.new.length ? g.kind : 'none') });
          // As on the pre-rendered pages: each column already names its level, so a row
          // only at one side is tagged when going up a ladder, not "Only at …" on every line.
          if (up && onBoth && g.kind === 'dropped') { left.appendChild(tag('removed', label.dropped)); left.appendChild(document.createTextNode(' ')); }
          if (up && onBoth && g.kind === 'new') { right.appendChild(tag('added', label.new)); right.appendChild(document.createTextNode(' ')); }
          if (onBoth && label[g.kind] && g.kind !== 'new' && g.kind !== 'dropped') { right.appendChild(tag('changed', label[g.kind])); right.appendChild(document.createTextNode(' ')); }
          function fill(td, list, idx, items, l) {
            if (!list.length) { td.appendChild(el('span', { class: 'muted' }, ['—'])); return; }
            list.forEach(function (segs, k) {
              if (k) td.appendChild(el('br'));
              td.appendChild(segments(segs));
              var at = items[idx[k]].at;
              if (at !== l.id) td.appendChild(el('span', { class: 'from-level' }, [' (' + levels[at].title + ')']));
            });
          }
          fill(left, m[0], g.old, d.old.items, la); fill(right, m[1], g.new, d.neu.items, lb);
          tbody.appendChild(el('tr', { class: 'row-' + g.kind }, [left, right]));
        });
        total.held += onBoth ? held : 0;
        var caption = el('caption', {}, [el('a', { href: root + c.url }, [c.title])]);
        if (held) caption.appendChild(el('span', { class: 'muted held-count' }, [held + ' from lower levels ' + (up ? 'still hold' : 'at both')]));
        section.appendChild(el('table', { class: 'compare-table' + (onBoth ? '' : ' off-track') }, [
          caption,
          el('thead', {}, [el('tr', {}, [el('th', { scope: 'col' }, [la.title]), el('th', { scope: 'col' }, [lb.title])])]),
          tbody]));
      });
      if (any) body.appendChild(section);
    });
    result.textContent = '';
    // As on the pre-rendered pages: → up a ladder, ↔ between levels of one band.
    result.appendChild(el('h2', { id: 'compare-result-heading', tabindex: '-1' }, [la.title + (la.band === lb.band ? ' ↔ ' : ' → ') + lb.title]));
    var parts = [total.new + ' ' + (up ? 'new' : 'only at ' + lb.title), total.grown + ' reworded, merged or split'];
    if (total.kept) parts.push(total.kept + ' unchanged');
    if (total.dropped) parts.push(total.dropped + ' ' + (up ? 'no longer listed' : 'only at ' + la.title));
    if (total.held) parts.push(total.held + ' from lower levels at both');
    // As the pre-rendered pages say: competencies of one level only are shown, not counted.
    function listAnd(xs) { return xs.length < 2 ? xs.join('') : xs.slice(0, -1).join(', ') + ' and ' + xs[xs.length - 1]; }
    var sided = [[la, onlyA], [lb, onlyB]].filter(function (p) { return p[1].length; }).map(function (p) {
      return listAnd(p[1]) + (p[1].length === 1 ? ' applies' : ' apply') + ' only to ' + p[0].title;
    });
    var oneSided = sided.length ? ' ' + sided.join('; ') + ' (shown below, not counted above).' : '';
    result.appendChild(el('p', { class: 'lead compare-summary' }, ['Compared with ' + la.title + ', ' + lb.title + ': ' + parts.join(', ') + '.' + oneSided]));
    result.appendChild(body);
    document.getElementById('compare-result-heading').focus();
  }

  function load() {
    if (model) return Promise.resolve(model);
    return fetch(root + 'framework.json').then(function (r) { return r.json(); }).then(function (m) {
      model = m;
      levels = byId(m.levels);
      levelIndex = {};
      m.levels.forEach(function (l, i) { levelIndex[l.id] = i; });
      competencies = m.competencies;
      return m;
    });
  }
  function go(a, b) {
    if (a === b) { result.textContent = 'Choose two different levels.'; return; }
    if (pairs.indexOf(a + '/' + b) >= 0) { location.href = root + 'compare/' + a + '/' + b + '/'; return; }
    history.replaceState(null, '', '#' + a + '/' + b);
    result.textContent = 'Comparing…';
    load().then(function () { render(a, b); }, function () {
      // Browsers refuse to load a file from a file:// page: say so, and what to do.
      result.textContent = location.protocol === 'file:'
        ? 'This comparison is made in your browser from framework.json, which browsers do not load into a page opened from a file. Open the site through a web server (rungs serve, or wherever it is published), or use one of the comparisons listed on this page.'
        : 'Could not load framework.json from ' + root + 'framework.json; the comparison needs it.';
    });
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); go(selA.value, selB.value); });
  document.getElementById('compare-swap').addEventListener('click', function () {
    var a = selA.value; selA.value = selB.value; selB.value = a;
  });
  var m = location.hash.match(/^#([a-z0-9-]+)\/([a-z0-9-]+)$/);
  if (m) { selA.value = m[1]; selB.value = m[2]; go(m[1], m[2]); }
})();
