// Self-assessment (issue 5): enhances the server-rendered checklist on /assess/<level>/.
// State lives in localStorage (per site path and level); a shared link carries it in the
// URL hash: r = one base-36 digit per behaviour in page order (0 = not rated), n.<id> =
// the note of a competency, k = the number of behaviours (to notice a changed level).
(function () {
  'use strict';
  var page = document.getElementById('assess');
  if (!page) return;
  var ratings = page.dataset.ratings.split(' ');
  var top = page.dataset.top;
  var items = Array.prototype.slice.call(page.querySelectorAll('.assess-item'));
  var notes = Array.prototype.slice.call(page.querySelectorAll('.assess-note'));
  var key = 'rungs-assess:' + location.pathname;
  var status = document.getElementById('assess-status');
  var titleOf = {};
  if (items.length) {
    items[0].querySelectorAll('input').forEach(function (input) {
      titleOf[input.value] = input.parentNode.textContent.trim();
    });
  }
  var shared = false;

  function storageGet() {
    try { return JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { return null; }
  }
  function storageSet(state) {
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { say('Could not save in this browser: ' + e.message); }
  }
  function say(text) { status.textContent = text; }

  function read() {
    var state = { ratings: {}, notes: {} };
    items.forEach(function (f) {
      var checked = f.querySelector('input:checked');
      if (checked) state.ratings[f.dataset.anchor] = checked.value;
    });
    notes.forEach(function (t) { if (t.value.trim()) state.notes[t.dataset.competency] = t.value; });
    return state;
  }
  function apply(state) {
    items.forEach(function (f) {
      var v = state.ratings[f.dataset.anchor];
      f.querySelectorAll('input').forEach(function (i) { i.checked = i.value === v; });
    });
    notes.forEach(function (t) { t.value = state.notes[t.dataset.competency] || ''; });
  }

  function encode(state) {
    var p = new URLSearchParams();
    p.set('k', String(items.length));
    p.set('r', items.map(function (f) {
      var i = ratings.indexOf(state.ratings[f.dataset.anchor]);
      return (i + 1).toString(36);
    }).join(''));
    Object.keys(state.notes).sort().forEach(function (c) { p.set('n.' + c, state.notes[c]); });
    return p.toString();
  }
  function decode(hash) {
    var p = new URLSearchParams(hash.replace(/^#/, ''));
    if (!p.has('r')) return null;
    var state = { ratings: {}, notes: {} };
    var r = p.get('r');
    items.forEach(function (f, i) {
      var n = parseInt(r.charAt(i) || '0', 36);
      if (n > 0 && n <= ratings.length) state.ratings[f.dataset.anchor] = ratings[n - 1];
    });
    p.forEach(function (v, k) { if (k.indexOf('n.') === 0) state.notes[k.slice(2)] = v; });
    state.mismatch = p.get('k') !== String(items.length);
    return state;
  }

  // The behaviour's own words: the element's text without rating labels, tags, step
  // labels and screen-reader-only diff markers (kept out of the HTML to halve its size).
  // The copy goes into an inert document (no browsing context), so nothing in it loads or
  // runs: a clone in this page would fetch its images again.
  var inert = document.implementation.createHTMLDocument('');
  function text(el) {
    var src = el.querySelector('legend') || el;
    var copy = inert.importNode(src, true);
    copy.querySelectorAll('.step-label, .tag, .visually-hidden').forEach(function (n) { n.remove(); });
    return copy.textContent.replace(/\s+/g, ' ').trim();
  }
  function competencyOf(el) { return el.closest('.assess-competency'); }

  function progress() {
    var state = read();
    var rated = 0, met = 0;
    page.querySelectorAll('.assess-area').forEach(function (area) {
      var fs = area.querySelectorAll('.assess-item');
      var r = 0, m = 0;
      fs.forEach(function (f) {
        var v = state.ratings[f.dataset.anchor];
        if (v) r++;
        if (v === top) m++;
      });
      rated += r; met += m;
      var out = area.querySelector('.area-progress');
      out.textContent = r + ' of ' + fs.length + ' rated, ' + m + ' ' + (titleOf[top] || top).toLowerCase();
    });
    document.getElementById('assess-progress').textContent =
      rated + ' of ' + items.length + ' behaviours rated, ' + met + ' ' + (titleOf[top] || top).toLowerCase() + '.';
    plan(state);
  }

  function plan(state) {
    var box = document.getElementById('plan-current');
    var groups = [];
    var unrated = 0;
    items.forEach(function (f) {
      var v = state.ratings[f.dataset.anchor];
      if (!v) { unrated++; return; }
      if (v === top) return;
      var c = competencyOf(f);
      var g = groups.filter(function (x) { return x.c === c; })[0];
      if (!g) { g = { c: c, list: [] }; groups.push(g); }
      g.list.push({ text: text(f), rating: titleOf[v] || v, anchor: f.dataset.anchor });
    });
    box.textContent = '';
    if (!groups.length) {
      var p = document.createElement('p');
      p.className = 'muted';
      p.textContent = unrated === items.length
        ? 'Rate the behaviours in the checklist to build your plan.'
        : 'Every behaviour you rated is ' + (titleOf[top] || top).toLowerCase() + '.';
      box.appendChild(p);
    }
    groups.forEach(function (g) {
      var h = document.createElement('p');
      h.className = 'plan-competency';
      h.textContent = g.c.dataset.title;
      var ul = document.createElement('ul');
      ul.className = 'plan-items';
      g.list.forEach(function (it) {
        var li = document.createElement('li');
        li.dataset.anchor = it.anchor;
        var tag = document.createElement('span');
        tag.className = 'tag tag-rating';
        tag.textContent = it.rating;
        li.appendChild(tag);
        li.appendChild(document.createTextNode(' ' + it.text));
        ul.appendChild(li);
      });
      box.appendChild(h);
      box.appendChild(ul);
    });
    if (unrated && unrated < items.length) {
      var n = document.createElement('p');
      n.className = 'muted';
      n.textContent = unrated + (unrated === 1 ? ' behaviour is' : ' behaviours are') + ' not rated yet.';
      box.appendChild(n);
    }
  }

  function save() {
    storageSet(read());
    if (shared) {
      shared = false;
      history.replaceState(null, '', location.pathname + location.search);
      say('Saved in this browser.');
    }
    progress();
  }

  // Targets of the plan: one visible at a time.
  var select = document.getElementById('plan-target');
  function showTarget() {
    page.querySelectorAll('.plan-target').forEach(function (s) { s.hidden = select && s.dataset.target !== select.value; });
  }
  if (select) {
    select.closest('.plan-target-picker').hidden = false;
    select.addEventListener('change', showTarget);
    showTarget();
  }
  function currentTarget() {
    return select ? page.querySelector('.plan-target[data-target="' + select.value + '"]') : null;
  }

  // Views: the checklist or the plan (both print).
  var views = page.querySelectorAll('[data-view]');
  function view(name) {
    views.forEach(function (b) {
      var on = b.dataset.view === name;
      b.setAttribute('aria-pressed', String(on));
      b.classList.toggle('button-quiet', !on);
    });
    document.getElementById('assess-checklist').hidden = name !== 'checklist';
    document.getElementById('plan').hidden = name !== 'plan';
    page.dataset.view = name;
  }
  views.forEach(function (b) { b.addEventListener('click', function () { view(b.dataset.view); }); });

  // Exports.
  function download(name, type, body) {
    var url = URL.createObjectURL(new Blob([body], { type: type }));
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  function today() { return new Date().toISOString().slice(0, 10); }
  function slug() { return page.dataset.level + '-' + today(); }

  function markdown() {
    var state = read();
    var out = ['# Self-assessment: ' + page.dataset.levelTitle, '',
      '_' + page.dataset.siteTitle + ', exported ' + today() + '. A guide for conversations, not a promotion checklist._', '',
      'Rating scale: ' + ratings.map(function (r) { return titleOf[r] || r; }).join(', ') + '.', ''];
    page.querySelectorAll('.assess-area').forEach(function (area) {
      out.push('## ' + area.querySelector('h2').textContent.trim(), '');
      area.querySelectorAll('.assess-competency').forEach(function (c) {
        out.push('### ' + c.dataset.title, '');
        c.querySelectorAll('.assess-item').forEach(function (f) {
          var v = state.ratings[f.dataset.anchor];
          out.push('- **' + (v ? titleOf[v] || v : 'Not rated') + '**: ' + text(f));
        });
        var note = state.notes[c.dataset.competency];
        out.push('');
        if (note) { out.push('Evidence and notes:', '', note.split('\n').map(function (l) { return '> ' + l; }).join('\n'), ''); }
      });
    });
    out.push('## Development plan', '', '### Not yet ' + (titleOf[top] || top).toLowerCase(), '');
    var any = false;
    items.forEach(function (f) {
      var v = state.ratings[f.dataset.anchor];
      if (v && v !== top) { any = true; out.push('- ' + competencyOf(f).dataset.title + ': ' + text(f) + ' (' + (titleOf[v] || v) + ')'); }
    });
    if (!any) out.push('- Nothing rated below ' + (titleOf[top] || top).toLowerCase() + '.');
    var t = currentTarget();
    if (t) {
      out.push('', '### New at ' + t.dataset.label, '');
      t.querySelectorAll('li[data-anchor]').forEach(function (li) { out.push('- ' + li.dataset.competency + ': ' + text(li)); });
    }
    return out.join('\n') + '\n';
  }

  function cell(v) {
    v = String(v);
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function csv() {
    var state = read();
    var rows = [['level', 'area', 'competency', 'behaviour', 'rating', 'evidence']];
    items.forEach(function (f) {
      var c = competencyOf(f);
      var v = state.ratings[f.dataset.anchor];
      rows.push([page.dataset.levelTitle, f.closest('.assess-area').querySelector('h2').textContent.trim(),
        c.dataset.title, text(f), v ? titleOf[v] || v : '', state.notes[c.dataset.competency] || '']);
    });
    return '\ufeff' + rows.map(function (r) { return r.map(cell).join(','); }).join('\r\n') + '\r\n';
  }

  document.getElementById('assess-export-md').addEventListener('click', function () {
    download('self-assessment-' + slug() + '.md', 'text/markdown;charset=utf-8', markdown());
  });
  document.getElementById('assess-export-csv').addEventListener('click', function () {
    download('self-assessment-' + slug() + '.csv', 'text/csv;charset=utf-8', csv());
  });
  document.getElementById('assess-print').addEventListener('click', function () { window.print(); });
  document.getElementById('assess-share').addEventListener('click', function () {
    var url = location.origin + location.pathname + '#' + encode(read());
    var out = document.getElementById('assess-share-out');
    var input = document.getElementById('assess-share-url');
    out.hidden = false;
    input.value = url;
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { say('Link copied to the clipboard.'); }, function () { say('Copy the link above.'); });
    } else {
      say('Copy the link above.');
    }
  });
  document.getElementById('assess-clear').addEventListener('click', function () {
    if (!window.confirm('Clear every rating and note of this assessment in this browser?')) return;
    apply({ ratings: {}, notes: {} });
    try { localStorage.removeItem(key); } catch (e) { /* nothing stored */ }
    say('Cleared.');
    progress();
  });

  page.addEventListener('change', function (e) { if (e.target.type === 'radio') save(); });
  var timer;
  page.addEventListener('input', function (e) {
    if (!e.target.classList.contains('assess-note')) return;
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  });

  // Start: a shared link wins over what is stored, but is saved only once edited.
  var fromHash = decode(location.hash);
  if (fromHash) {
    shared = true;
    apply(fromHash);
    say('Showing an assessment from a shared link' + (fromHash.mismatch ? ' (the level has changed since it was shared, so some ratings may be on the wrong behaviour)' : '') +
      '. It is saved in this browser, replacing any assessment of this level kept here, as soon as you change something.');
  } else {
    apply(storageGet() || { ratings: {}, notes: {} });
  }
  document.getElementById('assess-toolbar').hidden = false;
  view('checklist');
  progress();
})();
