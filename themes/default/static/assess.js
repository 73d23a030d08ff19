// Self-assessment: enhances the server-rendered checklist on /assess/<level>/.
// State lives in localStorage (per site path and level): each rating under its
// behaviour's anchor, with the behaviour's text and competency when it was rated, so a
// rating survives a rewording (the anchor of a behaviour without an `id` follows its
// text): a rating whose anchor is gone moves to the behaviour of the same competency
// that change.js links it to, and the page says so. A shared link carries the state in
// the URL hash: v=2, r.<competency>=<two base-36 characters of the anchor's hash and one
// rating digit, per rated behaviour>, n.<competency>=<note>. Links of the first format
// (r = one digit per behaviour in page order, k = their count) still open.
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
    var state = { ratings: {}, notes: {}, about: {} };
    items.forEach(function (f) {
      var checked = f.querySelector('input:checked');
      if (checked) {
        state.ratings[f.dataset.anchor] = checked.value;
        state.about[f.dataset.anchor] = [competencyOf(f).dataset.competency, text(f)];
      }
    });
    notes.forEach(function (t) { if (t.value.trim()) state.notes[t.dataset.competency] = t.value; });
    return state;
  }
  /**
   * Puts `state` on the page. A rating whose behaviour is no longer on the page (its
   * anchor changed with its words) moves to the unrated behaviour of the same competency
   * that change.js links its remembered text to; that behaviour is marked until it is
   * rated again. Returns how many moved and how many found no behaviour.
   */
  function apply(state) {
    var byAnchor = {};
    items.forEach(function (f) { byAnchor[f.dataset.anchor] = f; });
    var moved = {}, orphans = {}, lost = 0, carried = 0;
    Object.keys(state.ratings).forEach(function (a) {
      if (byAnchor[a]) return;
      var about = (state.about || {})[a];
      if (!about) { lost++; return; }
      (orphans[about[0]] = orphans[about[0]] || []).push({ anchor: a, text: about[1] });
    });
    var C = window.__rungsChange;
    Object.keys(orphans).forEach(function (cid) {
      var box = page.querySelector('.assess-competency[data-competency="' + CSS.escape(cid) + '"]');
      var open = box ? Array.prototype.slice.call(box.querySelectorAll('.assess-item')).filter(function (f) { return !state.ratings[f.dataset.anchor]; }) : [];
      if (!C || !open.length) { lost += orphans[cid].length; return; }
      var old = orphans[cid].map(function (o) { return { sig: C.signature(o.text) }; });
      var neu = open.map(function (f) { return { sig: C.signature(text(f)) }; });
      var taken = {}, found = {};
      C.align(old, neu, false).forEach(function (l) {
        var f = open[l.new];
        found[l.old] = true;
        if (taken[f.dataset.anchor]) return;
        taken[f.dataset.anchor] = true;
        moved[f.dataset.anchor] = state.ratings[orphans[cid][l.old].anchor];
        carried++;
      });
      lost += old.filter(function (_, i) { return !found[i]; }).length;
    });
    items.forEach(function (f) {
      var v = state.ratings[f.dataset.anchor] || moved[f.dataset.anchor];
      f.querySelectorAll('input').forEach(function (i) { i.checked = i.value === v; });
      markCarried(f, !!moved[f.dataset.anchor]);
    });
    notes.forEach(function (t) { t.value = state.notes[t.dataset.competency] || ''; });
    return { carried: carried, lost: lost };
  }
  function markCarried(f, on) {
    var tag = f.querySelector('.assess-carried');
    if (on && !tag) {
      tag = document.createElement('span');
      tag.className = 'tag tag-changed assess-carried';
      tag.textContent = 'Reworded since you rated it: check your rating';
      f.querySelector('.rating-options').appendChild(tag);
    } else if (!on && tag) {
      tag.remove();
    }
  }
  function moveNotice(r) {
    var parts = [];
    if (r.carried) parts.push(r.carried + (r.carried === 1 ? ' rating was' : ' ratings were') + ' moved to behaviours reworded since you rated them (marked below: check them)');
    if (r.lost) parts.push(r.lost + (r.lost === 1 ? ' rating is' : ' ratings are') + ' for behaviours no longer at this level');
    return parts.length ? parts.join('; ') + '.' : '';
  }

  // Two base-36 characters of an anchor's FNV-1a hash: enough to tell apart the few
  // behaviours of one competency in a shared link.
  function short(anchor) {
    var h = 0x811c9dc5;
    for (var i = 0; i < anchor.length; i++) { h ^= anchor.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return ('0' + (h % 1296).toString(36)).slice(-2);
  }
  function encode(state) {
    var p = new URLSearchParams();
    p.set('v', '2');
    page.querySelectorAll('.assess-competency').forEach(function (c) {
      var r = '';
      c.querySelectorAll('.assess-item').forEach(function (f) {
        var i = ratings.indexOf(state.ratings[f.dataset.anchor]);
        if (i >= 0) r += short(f.dataset.anchor) + (i + 1).toString(36);
      });
      if (r) p.set('r.' + c.dataset.competency, r);
    });
    Object.keys(state.notes).sort().forEach(function (c) { p.set('n.' + c, state.notes[c]); });
    return p.toString();
  }
  function decode(hash) {
    var p = new URLSearchParams(hash.replace(/^#/, ''));
    var state = { ratings: {}, notes: {}, about: {} };
    p.forEach(function (v, k) { if (k.indexOf('n.') === 0) state.notes[k.slice(2)] = v; });
    if (p.get('v') === '2') {
      var unmatched = 0;
      p.forEach(function (v, k) {
        if (k.indexOf('r.') !== 0) return;
        var box = page.querySelector('.assess-competency[data-competency="' + CSS.escape(k.slice(2)) + '"]');
        var fs = box ? Array.prototype.slice.call(box.querySelectorAll('.assess-item')) : [];
        // Tokens match behaviours by anchor hash; a run of tokens that match none (their
        // behaviours were reworded since) pairs in order with the behaviours left between
        // the matched neighbours, when there are as many.
        var used = {}, tokens = [];
        for (var i = 0; i + 3 <= v.length; i += 3) {
          var h = v.slice(i, i + 2), n = parseInt(v.charAt(i + 2), 36);
          if (!(n > 0 && n <= ratings.length)) continue;
          var at = fs.findIndex(function (x) { return !used[x.dataset.anchor] && short(x.dataset.anchor) === h; });
          if (at >= 0) used[fs[at].dataset.anchor] = true;
          tokens.push({ rating: ratings[n - 1], at: at });
        }
        var t = 0;
        while (t < tokens.length) {
          if (tokens[t].at >= 0) { state.ratings[fs[tokens[t].at].dataset.anchor] = tokens[t].rating; t++; continue; }
          var end = t;
          while (end < tokens.length && tokens[end].at < 0) end++;
          var lo = t > 0 ? tokens[t - 1].at : -1, hi = end < tokens.length ? tokens[end].at : fs.length;
          var open = fs.filter(function (x, k) { return k > lo && k < hi && !used[x.dataset.anchor]; });
          if (open.length === end - t) {
            open.forEach(function (f, k) { used[f.dataset.anchor] = true; state.ratings[f.dataset.anchor] = tokens[t + k].rating; });
          } else {
            unmatched += end - t;
          }
          t = end;
        }
      });
      state.mismatch = unmatched > 0;
      return state;
    }
    if (!p.has('r')) return null;
    var r = p.get('r');
    items.forEach(function (f, i) {
      var n = parseInt(r.charAt(i) || '0', 36);
      if (n > 0 && n <= ratings.length) state.ratings[f.dataset.anchor] = ratings[n - 1];
    });
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
    apply({ ratings: {}, notes: {}, about: {} });
    try { localStorage.removeItem(key); } catch (e) { /* nothing stored */ }
    say('Cleared.');
    progress();
  });

  page.addEventListener('change', function (e) {
    if (e.target.type !== 'radio') return;
    markCarried(e.target.closest('.assess-item'), false);
    save();
  });
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
    var stored = storageGet();
    if (stored) {
      var r = apply(stored);
      if (r.carried || r.lost) say(moveNotice(r));
    }
  }
  document.getElementById('assess-toolbar').hidden = false;
  view('checklist');
  progress();
})();
