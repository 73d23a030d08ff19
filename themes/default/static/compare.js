// The /compare/ picker (issue 5). A pre-rendered pair (neighbouring or equivalent
// levels) navigates to its page; any other pair is compared here from framework.json,
// with the same alignment rules as the build (src/compare.rs): identical behaviours pair
// first, then the most similar ones (word similarity >= 0.5) as rewordings.
(function () {
  'use strict';
  var form = document.getElementById('compare-picker');
  if (!form) return;
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
  function plain(md) {
    return md.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]+/g, '').replace(/\s+/g, ' ').trim();
  }
  function words(s) {
    return s.split(/\s+/).map(function (w) { return w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase(); }).filter(Boolean);
  }
  // Longest common subsequence table of two token lists.
  function lcs(a, b) {
    var t = [];
    for (var i = 0; i <= a.length; i++) { t.push(new Array(b.length + 1).fill(0)); }
    for (i = a.length - 1; i >= 0; i--) {
      for (var j = b.length - 1; j >= 0; j--) {
        t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
      }
    }
    return t;
  }
  function similarity(x, y) {
    var a = words(x), b = words(y);
    if (!a.length && !b.length) return 1;
    return 2 * lcs(a, b)[0][0] / (a.length + b.length);
  }
  // Word diff: [[mark, text]] for each side; whitespace joins neighbouring changes.
  function wordDiff(x, y) {
    var a = x.split(/(\s+)/).filter(Boolean), b = y.split(/(\s+)/).filter(Boolean);
    var t = lcs(a, b), i = 0, j = 0, left = [], right = [];
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) { left.push(['same', a[i]]); right.push(['same', b[j]]); i++; j++; }
      else if (j < b.length && (i === a.length || t[i][j + 1] >= t[i + 1][j])) { right.push(['added', b[j++]]); }
      else { left.push(['removed', a[i++]]); }
    }
    return [merge(left), merge(right)];
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
  function align(old, neu) {
    var pairOfNew = neu.map(function () { return -1; }), used = old.map(function () { return false; });
    neu.forEach(function (n, j) {
      for (var i = 0; i < old.length; i++) { if (!used[i] && old[i] === n) { used[i] = true; pairOfNew[j] = i; return; } }
    });
    var cands = [];
    neu.forEach(function (n, j) {
      if (pairOfNew[j] >= 0) return;
      old.forEach(function (o, i) { if (!used[i]) { var s = similarity(o, n); if (s >= 0.5) cands.push([s, i, j]); } });
    });
    cands.sort(function (p, q) { return q[0] - p[0] || p[2] - q[2] || p[1] - q[1]; });
    cands.forEach(function (c) { if (!used[c[1]] && pairOfNew[c[2]] < 0) { used[c[1]] = true; pairOfNew[c[2]] = c[1]; } });
    var rows = [], emitted = old.map(function () { return false; });
    function removed(k) { emitted[k] = true; rows.push({ kind: 'removed', old: [['same', old[k]]], neu: [] }); }
    neu.forEach(function (n, j) {
      var i = pairOfNew[j];
      if (i < 0) { rows.push({ kind: 'added', old: [], neu: [['same', n]] }); return; }
      for (var k = 0; k < i; k++) { if (!used[k] && !emitted[k]) removed(k); }
      if (old[i] === n) rows.push({ kind: 'same', old: [['same', old[i]]], neu: [['same', n]] });
      else { var d = wordDiff(old[i], n); rows.push({ kind: 'changed', old: d[0], neu: d[1] }); }
    });
    old.forEach(function (o, k) { if (!used[k] && !emitted[k]) removed(k); });
    return rows;
  }

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

  function render(a, b) {
    var la = model.levels.filter(function (l) { return l.id === a; })[0];
    var lb = model.levels.filter(function (l) { return l.id === b; })[0];
    if (!la || !lb) { result.textContent = 'Unknown level.'; return; }
    var stepTitle = {};
    model.scales.forEach(function (s) { s.steps.forEach(function (st) { stepTitle[s.id + '/' + st.id] = st.title; }); });
    function cell(l, c) {
      var e = l.expectations.filter(function (x) { return x.competency === c.id; })[0];
      if (!e) return { texts: [], step: null };
      return { texts: e.behaviours.concat(e.descriptors).map(function (x) { return plain(x.text); }), step: e.step ? stepTitle[c.scale + '/' + e.step] || e.step : null };
    }
    var total = { added: 0, changed: 0, removed: 0, same: 0 };
    var body = el('div');
    model.areas.forEach(function (area) {
      var section = el('section', { class: 'area-block compare-area' }, [el('h2', { class: 'area-heading' }, [area.title])]);
      var any = false;
      model.competencies.filter(function (c) { return c.area === area.id; }).forEach(function (c) {
        var ca = cell(la, c), cb = cell(lb, c);
        if (!ca.texts.length && !cb.texts.length && !ca.step && !cb.step) return;
        any = true;
        var rows = align(ca.texts, cb.texts);
        var tbody = el('tbody');
        if (ca.step || cb.step) {
          tbody.appendChild(el('tr', { class: 'row-step' }, [el('td', {}, [ca.step ? 'Proficiency: ' + ca.step : '—']), el('td', {}, [cb.step ? 'Proficiency: ' + cb.step : '—'])]));
        }
        rows.forEach(function (r) {
          total[r.kind]++;
          var left = el('td'), right = el('td');
          if (r.kind === 'removed') left.appendChild(tag('removed', 'No longer listed')), left.appendChild(document.createTextNode(' '));
          if (r.kind === 'added') right.appendChild(tag('added', 'New')), right.appendChild(document.createTextNode(' '));
          if (r.kind === 'changed') right.appendChild(tag('changed', 'Reworded')), right.appendChild(document.createTextNode(' '));
          left.appendChild(r.old.length ? segments(r.old) : el('span', { class: 'muted' }, ['—']));
          right.appendChild(r.neu.length ? segments(r.neu) : el('span', { class: 'muted' }, ['—']));
          tbody.appendChild(el('tr', { class: 'row-' + r.kind }, [left, right]));
        });
        section.appendChild(el('table', { class: 'compare-table' }, [
          el('caption', {}, [el('a', { href: root + c.url }, [c.title])]),
          el('thead', {}, [el('tr', {}, [el('th', { scope: 'col' }, [la.title]), el('th', { scope: 'col' }, [lb.title])])]),
          tbody]));
      });
      if (any) body.appendChild(section);
    });
    result.textContent = '';
    result.appendChild(el('h2', { id: 'compare-result-heading', tabindex: '-1' }, [la.title + ' → ' + lb.title]));
    result.appendChild(el('p', { class: 'lead compare-summary' }, [
      'Compared with ' + la.title + ', ' + lb.title + ' lists ' + total.added + ' new expectation' + (total.added === 1 ? '' : 's') +
      ', rewords ' + total.changed + ', no longer lists ' + total.removed + ' and keeps ' + total.same + ' unchanged.']));
    result.appendChild(body);
    document.getElementById('compare-result-heading').focus();
  }

  function load() {
    if (model) return Promise.resolve(model);
    return fetch(root + 'framework.json').then(function (r) { return r.json(); }).then(function (m) { model = m; return m; });
  }
  function go(a, b) {
    if (a === b) { result.textContent = 'Choose two different levels.'; return; }
    if (pairs.indexOf(a + '/' + b) >= 0) { location.href = root + 'compare/' + a + '/' + b + '/'; return; }
    history.replaceState(null, '', '#' + a + '/' + b);
    result.textContent = 'Comparing…';
    load().then(function () { render(a, b); }, function () { result.textContent = 'Could not load framework.json.'; });
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); go(selA.value, selB.value); });
  document.getElementById('compare-swap').addEventListener('click', function () {
    var a = selA.value; selA.value = selB.value; selB.value = a;
  });
  var m = location.hash.match(/^#([a-z0-9-]+)\/([a-z0-9-]+)$/);
  if (m) { selA.value = m[1]; selB.value = m[2]; go(m[1], m[2]); }
})();
