// Assessment: enhances the server-rendered checklist on /assess/<level>/.
//
// Two roles, "Assessing myself" and "Assessing a report", each with its own state in
// localStorage (`rungs-assess:<page path>` and `…#report`): per behaviour a rating, an
// evidence source and a note, per competency notes, a level-wide summary and the
// person's name. The state keeps each behaviour's competency, anchor and the words that
// were rated, so record.js can match it to the page again after the framework changed:
// a reworded behaviour is marked "Changed since you rated it" with its word diff, a
// removed one is listed, a new one is unrated. Nothing is moved silently.
//
// Record files and share links are record.js's; a link cut short is refused with a
// message. calibrate.js builds the calibration view on the API at the end of this file.
(function () {
  'use strict';
  var page = document.getElementById('assess');
  if (!page) return;
  var R = window.__rungsRecord;
  var C = window.__rungsChange;
  var ratings = page.dataset.ratings.split(' ');
  var top = page.dataset.top;
  var items = Array.prototype.slice.call(page.querySelectorAll('.assess-item'));
  var notes = Array.prototype.slice.call(page.querySelectorAll('.assess-note'));
  var summary = document.getElementById('assess-summary');
  var person = document.getElementById('assess-person');
  var base = 'rungs-assess:' + location.pathname;
  var status = document.getElementById('assess-status');
  var role = 'self';
  var shared = false;
  var titleOf = {};
  if (items.length) {
    items[0].querySelectorAll('input').forEach(function (input) {
      titleOf[input.value] = input.parentNode.textContent.trim();
    });
  }
  var evidenceTemplate = document.getElementById('assess-evidence-options');
  var evidenceTitle = {};
  Array.prototype.forEach.call(evidenceTemplate.content.querySelectorAll('option'), function (o) {
    if (o.value) evidenceTitle[o.value] = o.textContent;
  });

  // The behaviour's own words: the legend's text without step labels, tags and
  // screen-reader-only markers. Copied into an inert document so nothing in it loads.
  var inert = document.implementation.createHTMLDocument('');
  function text(el) {
    var src = el.querySelector('legend') || el;
    var copy = inert.importNode(src, true);
    copy.querySelectorAll('.step-label, .tag, .visually-hidden').forEach(function (n) { n.remove(); });
    return copy.textContent.replace(/\s+/g, ' ').trim();
  }
  function competencyOf(el) { return el.closest('.assess-competency'); }
  var desc = items.map(function (f) {
    return { competency: competencyOf(f).dataset.competency, anchor: f.dataset.anchor, text: text(f) };
  });

  function say(message) { status.textContent = message; }
  function storeKey(r) { return r === 'manager' ? base + '#report' : base; }
  function storageGet(r) {
    try { return JSON.parse(localStorage.getItem(storeKey(r)) || 'null'); } catch (e) { return null; }
  }
  function storageSet(state) {
    try { localStorage.setItem(storeKey(role), JSON.stringify(state)); } catch (e) { say('Could not save in this browser: ' + e.message); }
  }

  // Per-behaviour evidence source and note, added here (useless without script).
  items.forEach(function (f, i) {
    var row = document.createElement('div');
    row.className = 'assess-detail';
    var ev = document.createElement('label');
    ev.className = 'assess-evidence-label';
    ev.appendChild(document.createTextNode('Evidence '));
    var select = document.createElement('select');
    select.className = 'assess-evidence';
    select.appendChild(evidenceTemplate.content.cloneNode(true));
    ev.appendChild(select);
    var nl = document.createElement('label');
    nl.className = 'assess-bnote-label';
    nl.setAttribute('for', 'bnote-' + i);
    nl.textContent = 'Note';
    var note = document.createElement('input');
    note.type = 'text';
    note.id = 'bnote-' + i;
    note.className = 'assess-bnote';
    note.maxLength = 2000;
    row.appendChild(ev);
    row.appendChild(nl);
    row.appendChild(note);
    f.querySelector('.rating-options').after(row);
  });

  /** The form as state: one entry per behaviour rated, sourced or noted. */
  function read() {
    var entries = [];
    items.forEach(function (f, i) {
      var checked = f.querySelector('input[type=radio]:checked');
      var evidence = f.querySelector('.assess-evidence').value;
      var note = f.querySelector('.assess-bnote').value;
      if (!checked && !evidence && !note.trim()) return;
      // A behaviour still marked as changed keeps the words it was rated for.
      var was = f._was;
      entries.push({
        competency: desc[i].competency, anchor: desc[i].anchor,
        text: was ? was.text : desc[i].text, hash: was ? was.hash : R.textHash(desc[i].text),
        rating: checked ? checked.value : null, evidence: evidence || null, note: note,
      });
    });
    var n = {};
    notes.forEach(function (t) { if (t.value.trim()) n[t.dataset.competency] = t.value; });
    return { v: 3, person: person.value, entries: entries, notes: n, summary: summary.value };
  }
  /** Upgrades a state stored by an earlier version ({ratings, notes, about}). */
  function upgrade(state) {
    if (!state || Array.isArray(state.entries)) return state;
    var entries = [];
    Object.keys(state.ratings || {}).forEach(function (a) {
      var about = (state.about || {})[a];
      var i = desc.findIndex(function (d) { return d.anchor === a; });
      var words = about ? about[1] : i >= 0 ? desc[i].text : '';
      entries.push({ competency: about ? about[0] : i >= 0 ? desc[i].competency : '', anchor: a, text: words, hash: R.textHash(words), rating: state.ratings[a], evidence: null, note: '' });
    });
    return { v: 3, person: '', entries: entries, notes: state.notes || {}, summary: '' };
  }

  /** Puts `state` on the page through record.js's matching; returns what changed. */
  function apply(state) {
    state = upgrade(state) || { entries: [], notes: {} };
    var m = R.match(state.entries, desc, R.aligner(C));
    var changed = 0;
    items.forEach(function (f, i) {
      var hit = m.at[i];
      var e = hit ? hit.entry : {};
      f.querySelectorAll('input[type=radio]').forEach(function (r) { r.checked = r.value === e.rating; });
      f.querySelector('.assess-evidence').value = e.evidence && evidenceTitle[e.evidence] ? e.evidence : '';
      f.querySelector('.assess-bnote').value = e.note || '';
      mark(f, i, hit && hit.changed ? e : null);
      if (hit && hit.changed) changed++;
    });
    notes.forEach(function (t) { t.value = (state.notes || {})[t.dataset.competency] || ''; });
    summary.value = state.summary || '';
    if (typeof state.person === 'string') person.value = state.person;
    showRemoved(m.removed);
    return { changed: changed, removed: m.removed.length };
  }

  /** The words a behaviour had when rated, with what changed since: a paragraph. */
  function was(old, now) {
    var p = document.createElement('p');
    p.className = 'assess-was';
    p.appendChild(document.createTextNode('When rated it read: '));
    var segs = C && C.diff ? C.diff(old, now)[0] : [['same', old]];
    segs.forEach(function (s) {
      if (s[0] === 'removed') {
        var del = document.createElement('del');
        var hidden = document.createElement('span');
        hidden.className = 'visually-hidden';
        hidden.textContent = '[since removed: ';
        del.appendChild(hidden);
        del.appendChild(document.createTextNode(s[1]));
        var end = hidden.cloneNode(false);
        end.textContent = ']';
        del.appendChild(end);
        p.appendChild(del);
      } else {
        p.appendChild(document.createTextNode(s[1]));
      }
    });
    return p;
  }
  function mark(f, i, entry) {
    f._was = entry;
    f.querySelectorAll('.assess-changed, .assess-was').forEach(function (n) { n.remove(); });
    if (!entry) return;
    var tag = document.createElement('span');
    tag.className = 'tag tag-changed assess-changed';
    tag.textContent = 'Changed since you rated it: check your rating';
    f.querySelector('.rating-options').appendChild(tag);
    if (entry.text && entry.text !== desc[i].text) f.querySelector('.assess-detail').before(was(entry.text, desc[i].text));
  }
  function showRemoved(list, lost) {
    var box = document.getElementById('assess-removed');
    if (box) box.remove();
    if (!list.length) return;
    box = document.createElement('div');
    box.id = 'assess-removed';
    box.className = 'assess-removed';
    var p = document.createElement('p');
    p.textContent = lost
      ? 'Not placed (' + list.length + '): the link rated ' + (list.length === 1 ? 'a behaviour that was' : 'behaviours that were') + ' reworded or removed since it was made. A link does not carry the words, so these ratings are not put on any behaviour: rate the behaviours of these competencies again, or open the exported record file, which keeps the words.'
      : 'No longer in the framework (' + list.length + '): these were rated but are not at this level any more, so their ratings are kept out of this assessment.';
    var ul = document.createElement('ul');
    list.forEach(function (e) {
      var li = document.createElement('li');
      li.textContent = (e.rating ? (titleOf[e.rating] || e.rating) + ': ' : '') + e.text;
      ul.appendChild(li);
    });
    box.appendChild(p);
    box.appendChild(ul);
    status.after(box);
  }
  function notice(r) {
    var parts = [];
    if (r.changed) parts.push(r.changed + (r.changed === 1 ? ' behaviour has' : ' behaviours have') + ' changed since rated (marked below: check them)');
    if (r.removed) parts.push(r.removed + (r.removed === 1 ? ' rated behaviour is' : ' rated behaviours are') + ' no longer in the framework (listed below)');
    if (r.lost) parts.push(r.lost + (r.lost === 1 ? ' rating' : ' ratings') + ' could not be placed: ' + (r.lost === 1 ? 'its behaviour was' : 'their behaviours were') + ' reworded or removed since the link was made (listed below)');
    return parts.length ? parts.join('; ') + '.' : '';
  }

  function progress() {
    var state = read();
    var by = {};
    state.entries.forEach(function (e) { by[e.anchor] = e.rating; });
    var rated = 0, met = 0;
    var topTitle = (titleOf[top] || top).toLowerCase();
    page.querySelectorAll('.assess-area').forEach(function (area) {
      var fs = area.querySelectorAll('.assess-item');
      var r = 0, m = 0;
      fs.forEach(function (f) {
        var v = by[f.dataset.anchor];
        if (v) r++;
        if (v === top) m++;
      });
      rated += r; met += m;
      area.querySelector('.area-progress').textContent = r + ' of ' + fs.length + ' rated, ' + m + ' ' + topTitle;
    });
    document.getElementById('assess-progress').textContent =
      rated + ' of ' + items.length + ' behaviours rated, ' + met + ' ' + topTitle + '.';
    plan(by, document.getElementById('plan-current'));
    blind();
  }

  /** Lists, in `box`, the behaviours rated below the top rating in `by` (anchor -> rating).
   * `agreed`: the ratings are a calibration's agreed ones (the wording says so). */
  function plan(by, box, agreed) {
    var groups = [];
    var unrated = 0;
    items.forEach(function (f, i) {
      var v = by[f.dataset.anchor];
      if (!v) { unrated++; return; }
      if (v === top) return;
      var c = competencyOf(f);
      var g = groups.filter(function (x) { return x.c === c; })[0];
      if (!g) { g = { c: c, list: [] }; groups.push(g); }
      g.list.push({ text: desc[i].text, rating: titleOf[v] || v, anchor: f.dataset.anchor });
    });
    box.textContent = '';
    function line(cls, words) {
      var p = document.createElement('p');
      p.className = cls;
      p.textContent = words;
      box.appendChild(p);
    }
    if (!groups.length) {
      line('muted', unrated === items.length
        ? (agreed ? 'Agree the ratings above to build the plan.' : 'Rate the behaviours in the checklist to build the plan.')
        : 'Every behaviour ' + (agreed ? 'agreed' : 'rated') + ' is ' + (titleOf[top] || top).toLowerCase() + '.');
    }
    groups.forEach(function (g) {
      line('plan-competency', g.c.dataset.title);
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
      box.appendChild(ul);
    });
    if (unrated && unrated < items.length) line('muted', unrated + (unrated === 1 ? ' behaviour is' : ' behaviours are') + (agreed ? ' not agreed yet.' : ' not rated yet.'));
  }

  function fingerprint(state) {
    return R.hash(JSON.stringify([state.person, state.entries, state.notes, state.summary]));
  }
  function save() {
    var state = read();
    var old = storageGet(role);
    state.exported = old && old.exported;
    storageSet(state);
    if (shared) {
      shared = false;
      history.replaceState(null, '', location.pathname + location.search);
      say('Saved in this browser.');
    }
    progress();
  }
  /** Whether this role's ratings were exported and not changed since. */
  function exported() {
    var stored = storageGet(role);
    return !!stored && stored.exported === fingerprint(read());
  }
  function blind() {
    document.dispatchEvent(new CustomEvent('rungs-assess-state'));
  }

  // Roles.
  var who = page.querySelectorAll('input[name="assess-role"]');
  function showRole(r) {
    role = r;
    who.forEach(function (i) { i.checked = i.value === r; });
    document.getElementById('assess-person-label').textContent = r === 'manager'
      ? 'Name of the person you are assessing' : 'Your name (optional, for your exported record)';
    page.dataset.role = r;
  }
  function setRole(r, keep) {
    // Switching roles is not an edit: a shared link on show is left, not saved over the
    // assessment kept for this role (reopen the link to see it again).
    if (shared) {
      shared = false;
      history.replaceState(null, '', location.pathname + location.search);
    } else if (!keep) {
      save();
    }
    showRole(r);
    try { localStorage.setItem(base + '#role', r); } catch (e) { /* the role is not remembered */ }
    var res = apply(storageGet(r));
    say(notice(res));
    heading();
    progress();
  }
  var lead = page.querySelector('.page-header .lead').firstChild;
  var leadSelf = lead.nodeValue;
  var crumb = page.querySelector('.breadcrumb [aria-current="page"]');
  var titleRest = document.title.slice(document.title.indexOf(' · '));
  function heading() {
    var h = page.querySelector('h1');
    var name = person.value.trim();
    lead.nodeValue = role === 'manager' ? 'Rate how often ' + (name || 'the person you are assessing') + ' shows each behaviour of ' : leadSelf;
    crumb.textContent = role === 'manager' ? 'Assessment' : 'Self-assessment';
    h.textContent = role === 'manager'
      ? 'Assessing ' + (name || 'a report') + ': ' + page.dataset.levelTitle
      : 'Self-assessment: ' + page.dataset.levelTitle;
    document.title = h.textContent + titleRest;
  }
  who.forEach(function (i) { i.addEventListener('change', function () { if (i.checked) setRole(i.value); }); });
  // One report per level in a browser: renaming the person keeps the ratings on the page,
  // so say whose they were rather than let them pass as the new person's.
  var named = '';
  function remember() { named = person.value.trim(); }
  person.addEventListener('focus', remember);
  person.addEventListener('change', function () {
    var now = person.value.trim();
    if (role === 'manager' && named && now && now !== named && read().entries.length) {
      say('The ratings on this page were made for ' + named + '. To assess ' + now + ' at this level, put back ' + named + '’s name and export the record, then use Clear and start again.');
    }
    remember();
  });

  // Views: the checklist, the plan or the calibration (the first two print together).
  var views = page.querySelectorAll('[data-view]');
  function view(name) {
    views.forEach(function (b) {
      var on = b.dataset.view === name;
      b.setAttribute('aria-pressed', String(on));
      b.classList.toggle('button-quiet', !on);
    });
    document.getElementById('assess-checklist').hidden = name !== 'checklist';
    document.getElementById('plan').hidden = name !== 'plan';
    document.getElementById('calibrate').hidden = name !== 'calibrate';
    page.dataset.view = name;
  }
  views.forEach(function (b) { b.addEventListener('click', function () { view(b.dataset.view); }); });

  // Each competency of a plan target links to its rows on the comparison (the links are
  // made here to keep the page light: the comparison's path would repeat on every line).
  page.querySelectorAll('.plan-target').forEach(function (t) {
    var compare = t.querySelector('.section-note a').getAttribute('href');
    t.querySelectorAll('.plan-counts li[data-c]').forEach(function (li) {
      var words = li.textContent;
      var cut = words.lastIndexOf(': ');
      var a = document.createElement('a');
      a.href = compare + '#competency-' + li.dataset.c;
      a.textContent = words.slice(0, cut);
      li.textContent = words.slice(cut);
      li.insertBefore(a, li.firstChild);
    });
  });
  var select = document.getElementById('plan-target');
  function showTarget() {
    page.querySelectorAll('.plan-target').forEach(function (s) { s.hidden = select && s.dataset.target !== select.value; });
  }
  if (select) {
    select.closest('.plan-target-picker').hidden = false;
    select.addEventListener('change', showTarget);
    showTarget();
  }

  // Files.
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
  function fileSlug(words) {
    return String(words).toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  }
  var expect = {
    site: page.dataset.siteTitle, level: page.dataset.level, scale: ratings, evidence: Object.keys(evidenceTitle),
  };
  /** This role's ratings as a record (not yet sealed): every behaviour of the level. */
  function record() {
    var state = read();
    var by = {};
    state.entries.forEach(function (e) { by[e.anchor] = e; });
    return {
      format: R.FORMAT, schema: R.SCHEMA, site: expect.site, framework_version: page.dataset.version,
      level: { id: expect.level, title: page.dataset.levelTitle }, build: R.build(desc), role: role,
      person: state.person.trim(), date: today(), scale: ratings,
      behaviours: desc.map(function (d) {
        var e = by[d.anchor] || {};
        return { competency: d.competency, anchor: d.anchor, hash: e.hash || R.textHash(d.text), text: e.text || d.text, rating: e.rating || null, evidence: e.evidence || null, note: e.note || '' };
      }),
      notes: state.notes, summary: state.summary,
    };
  }
  /** Downloads this role's record and remembers that it was exported; returns its text. */
  function exportRecord() {
    var r = record();
    var body = R.seal(r);
    var name = 'assessment-' + (role === 'manager' ? 'manager' : 'self') + '-' + page.dataset.level + (r.person ? '-' + fileSlug(r.person) : '') + '-' + r.date + '.json';
    download(name, 'application/json', body);
    var state = read();
    state.exported = fingerprint(state);
    storageSet(state);
    var unrated = r.behaviours.filter(function (b) { return !b.rating; }).length;
    var other = role === 'manager' ? (r.person || 'the person you assessed') : 'your manager';
    say('Exported ' + name + ' (look in your downloads). Keep it: it is the record of this assessment.' +
      (unrated ? ' ' + unrated + ' of ' + r.behaviours.length + ' behaviours are unrated in it.' : '') +
      ' Next: swap record files with ' + other + ', then load both in Calibrate.');
    blind();
    return body;
  }
  document.getElementById('assess-export-json').addEventListener('click', exportRecord);
  document.getElementById('assess-open').addEventListener('change', function (ev) {
    var file = ev.target.files[0];
    ev.target.value = '';
    if (!file) return;
    file.text().then(function (body) {
      var rec;
      try { rec = R.open(body, expect); } catch (e) { say(e.message); return; }
      if (rec.role !== role) {
        say(rec.role === 'agreed' ? 'This is an agreed record: open it in Calibrate.'
          : 'This is ' + (rec.role === 'self' ? 'a self-assessment' : 'a manager\'s assessment') + ', not ' + (role === 'self' ? 'yours' : 'one of yours as a manager') + '. Blind first: load it in Calibrate, next to your own exported record.');
        return;
      }
      var res = apply({ person: rec.person, entries: rec.behaviours.filter(function (b) { return b.rating || b.evidence || b.note; }), notes: rec.notes, summary: rec.summary });
      save();
      say('Opened the record of ' + (rec.date || 'an unknown date') + '. ' + notice(res));
    });
  });

  function markdown() {
    var state = read();
    var by = {};
    state.entries.forEach(function (e) { by[e.anchor] = e; });
    var name = state.person.trim();
    var title = role === 'manager' ? 'Assessment of ' + (name || 'a report') : 'Self-assessment';
    var out = ['# ' + title + ': ' + page.dataset.levelTitle, '',
      '_' + page.dataset.siteTitle + ', exported ' + today() + '. A guide for conversations, not a promotion checklist._', '',
      'Rating scale: ' + ratings.map(function (r) { return titleOf[r] || r; }).join(', ') + '.', ''];
    page.querySelectorAll('.assess-area').forEach(function (area) {
      out.push('## ' + area.querySelector('h2').textContent.trim(), '');
      area.querySelectorAll('.assess-competency').forEach(function (c) {
        out.push('### ' + c.dataset.title, '');
        c.querySelectorAll('.assess-item').forEach(function (f) {
          var e = by[f.dataset.anchor] || {};
          var extra = (e.evidence ? ' (evidence: ' + evidenceTitle[e.evidence] + ')' : '') + (e.note ? ' Note: ' + e.note : '');
          out.push('- **' + (e.rating ? titleOf[e.rating] || e.rating : 'Not rated') + '**: ' + text(f) + extra);
        });
        var note = state.notes[c.dataset.competency];
        out.push('');
        if (note) out.push('Evidence and notes:', '', note.split('\n').map(function (l) { return '> ' + l; }).join('\n'), '');
      });
    });
    if (state.summary.trim()) out.push('## Summary', '', state.summary.trim(), '');
    out.push('## Development plan', '', '### Not yet ' + (titleOf[top] || top).toLowerCase(), '');
    var any = false;
    items.forEach(function (f, i) {
      var v = (by[f.dataset.anchor] || {}).rating;
      if (v && v !== top) { any = true; out.push('- ' + competencyOf(f).dataset.title + ': ' + desc[i].text + ' (' + (titleOf[v] || v) + ')'); }
    });
    if (!any) out.push('- Nothing rated below ' + (titleOf[top] || top).toLowerCase() + '.');
    out.push.apply(out, targetLines(select ? select.value : ''));
    return out.join('\n') + '\n';
  }
  /** The chosen target's counts as Markdown lines, linking to the comparison. */
  function targetLines(id) {
    var t = id && page.querySelector('.plan-target[data-target="' + CSS.escape(id) + '"]');
    if (!t) return [];
    var out = ['', '### New at ' + t.dataset.label, ''];
    t.querySelectorAll('.plan-counts li').forEach(function (li) {
      var a = li.querySelector('a');
      out.push('- ' + li.textContent.replace(/\s+/g, ' ').trim() + ' (' + a.href + ')');
    });
    return out;
  }

  function cell(v) {
    v = String(v == null ? '' : v);
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function csvText(rows) { return '\ufeff' + rows.map(function (r) { return r.map(cell).join(','); }).join('\r\n') + '\r\n'; }
  function areaOf(f) { return f.closest('.assess-area').querySelector('h2').textContent.trim(); }
  function csv() {
    var state = read();
    var by = {};
    state.entries.forEach(function (e) { by[e.anchor] = e; });
    var rows = [['level', 'area', 'competency', 'behaviour', 'rating', 'evidence', 'note', 'competency_notes']];
    items.forEach(function (f, i) {
      var c = competencyOf(f);
      var e = by[f.dataset.anchor] || {};
      rows.push([page.dataset.levelTitle, areaOf(f), c.dataset.title, desc[i].text, e.rating ? titleOf[e.rating] || e.rating : '',
        e.evidence ? evidenceTitle[e.evidence] : '', e.note || '', state.notes[c.dataset.competency] || '']);
    });
    return csvText(rows);
  }
  function stem() { return (role === 'manager' ? 'assessment-' : 'self-assessment-') + page.dataset.level + '-' + today(); }
  document.getElementById('assess-export-md').addEventListener('click', function () {
    download(stem() + '.md', 'text/markdown;charset=utf-8', markdown());
  });
  document.getElementById('assess-export-csv').addEventListener('click', function () {
    download(stem() + '.csv', 'text/csv;charset=utf-8', csv());
  });
  document.getElementById('assess-print').addEventListener('click', function () { window.print(); });
  document.getElementById('assess-share').addEventListener('click', function () {
    var url = location.origin + location.pathname + '#' + R.linkQuery(desc, ratings, read(), role);
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
    apply({ entries: [], notes: {}, person: '' });
    try { localStorage.removeItem(storeKey(role)); } catch (e) { /* nothing stored */ }
    say('Cleared.');
    progress();
  });

  page.addEventListener('change', function (e) {
    if (!e.target.closest('#assess-checklist')) return;
    if (e.target.type === 'radio') {
      var f = e.target.closest('.assess-item');
      mark(f, items.indexOf(f), null);
    }
    save();
  });
  var timer;
  page.addEventListener('input', function (e) {
    if (!e.target.closest('#assess-checklist') && e.target !== person) return;
    if (e.target === person) heading();
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  });

  // Start: a shared link wins over what is stored, but is saved only once edited.
  document.getElementById('assess-role').hidden = false;
  document.getElementById('assess-toolbar').hidden = false;
  var fromHash = null, refused = '';
  try {
    fromHash = R.readLink(location.hash, desc, ratings);
  } catch (e) {
    refused = e.message;
  }
  if (fromHash) {
    shared = true;
    // A manager's link opens as the manager's assessment, not in the person's own slot.
    showRole(fromHash.role);
    var r = apply(fromHash);
    if (fromHash.lost.length) {
      showRemoved(fromHash.lost.map(function (l) {
        var c = page.querySelector('.assess-competency[data-competency="' + CSS.escape(l.competency) + '"]');
        return { rating: l.rating, text: 'a behaviour of ' + (c ? c.dataset.title : l.competency) };
      }), true);
      r.lost = fromHash.lost.length;
    }
    say('Showing an assessment from a shared link.' + fromHash.warning + ' ' + notice(r) +
      ' It is saved in this browser, replacing the ' + (role === 'manager' ? 'assessment of a report' : 'self-assessment') + ' of this level kept here, as soon as you change something.');
    heading();
  } else {
    // A refused link loads nothing, but what is kept here is shown as usual: an empty
    // form would otherwise replace it at the first change.
    var last = null;
    try { last = localStorage.getItem(base + '#role'); } catch (e) { /* start as self */ }
    setRole(last === 'manager' ? 'manager' : 'self', true);
    if (refused) say(refused + (status.textContent ? ' ' + status.textContent : ''));
  }
  view('checklist');
  progress();

  window.__rungsAssess = {
    page: page, items: items, desc: desc, text: text, titleOf: titleOf, evidenceTitle: evidenceTitle,
    ratings: ratings, top: top, expect: expect, role: function () { return role; },
    exported: exported, exportRecord: exportRecord, download: download, csvText: csvText, areaOf: areaOf,
    today: today, fileSlug: fileSlug, was: was, plan: plan, targetLines: targetLines, view: view,
  };
})();
