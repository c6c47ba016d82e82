// The public survey's only script (served as /static/survey.js; survey.cpp allows it by CSP).
// Progressive enhancement: the form works without it, and the server checks every answer anyway.
// It keeps the chosen options in this browser's localStorage under the survey link's token and
// restores them when the link is opened again; nothing is sent anywhere before the respondent
// presses "ส่งคำตอบ" (no request, no cookie: the answers stay on this device). The access code is
// never kept. It shows how many questions are answered, lists the unanswered ones in Thai (the
// form has novalidate: no browser-English bubble) and forgets the answers on the thank-you page.
(function () {
  'use strict';
  var PREFIX = 'openita-survey:';

  // The browser's storage, or null (private mode, disabled, full): then nothing is kept.
  function storage() {
    try {
      var s = window.localStorage;
      s.getItem(PREFIX);
      return s;
    } catch (e) {
      return null;
    }
  }

  function forget(token) {
    var s = storage();
    if (s) s.removeItem(PREFIX + token);
  }

  // The thank-you page: the answers are stored on the server, so this device forgets them.
  var done = document.querySelector('[data-survey-done]');
  if (done) {
    forget(done.getAttribute('data-survey-done'));
    return;
  }

  var form = document.querySelector('form[data-survey]');
  if (!form) return;
  var key = PREFIX + form.getAttribute('data-survey');
  var summary = document.getElementById('msg');
  var answeredLine = document.getElementById('answered');
  var questions = Array.prototype.slice.call(form.querySelectorAll('fieldset.q'));

  // The names of the radio groups of `fieldset` (one per sub-question).
  function unitsOf(fieldset) {
    var names = [];
    fieldset.querySelectorAll('input[type=radio]').forEach(function (input) {
      if (names.indexOf(input.name) < 0) names.push(input.name);
    });
    return names;
  }

  function chosen(name) {
    return form.querySelector('input[type=radio][name="' + name + '"]:checked');
  }

  function isAnswered(fieldset) {
    return unitsOf(fieldset).every(function (name) { return chosen(name) !== null; });
  }

  // Every chosen option, as { unit: option }.
  function answers() {
    var out = {};
    form.querySelectorAll('input[type=radio]:checked').forEach(function (input) {
      out[input.name] = input.value;
    });
    return out;
  }

  function save() {
    var s = storage();
    if (!s) return;
    try {
      s.setItem(key, JSON.stringify(answers()));
    } catch (e) {
      // Full or refused: the form still works, only the answers are not kept.
    }
  }

  // Restores the kept options for the groups the page left unanswered (a page the server sent
  // back after a failed send already shows what was sent, which is newer). Returns how many.
  function restore() {
    var s = storage();
    if (!s) return 0;
    var kept;
    try {
      kept = JSON.parse(s.getItem(key) || '{}');
    } catch (e) {
      return 0;
    }
    var restored = 0;
    Object.keys(kept).forEach(function (name) {
      if (chosen(name)) return;
      form.querySelectorAll('input[type=radio]').forEach(function (input) {
        if (input.name === name && input.value === kept[name]) {
          input.checked = true;
          restored++;
        }
      });
    });
    return restored;
  }

  function updateProgress() {
    var count = 0;
    questions.forEach(function (q) {
      var ok = isAnswered(q);
      if (ok) {
        count++;
        q.classList.remove('missing');
      }
    });
    answeredLine.textContent = 'ตอบแล้ว ' + count + ' จาก ' + questions.length + ' ข้อ';
    return count;
  }

  // Fills the summary above the form with `items` (text, and the questions to link to) and
  // moves the focus there, so that a screen reader reads it and the page scrolls to it.
  function showSummary(items) {
    summary.textContent = '';
    var lead = document.createElement('p');
    lead.textContent = 'กรุณาแก้ไขก่อนส่งคำตอบ (คำตอบยังไม่ถูกส่ง):';
    summary.appendChild(lead);
    var list = document.createElement('ul');
    items.forEach(function (item) {
      var li = document.createElement('li');
      li.appendChild(document.createTextNode(item.text));
      (item.links || []).forEach(function (link, i) {
        if (i > 0) li.appendChild(document.createTextNode(', '));
        var a = document.createElement('a');
        a.href = '#' + link.id;
        a.textContent = link.label;
        li.appendChild(a);
      });
      list.appendChild(li);
    });
    summary.appendChild(list);
    summary.hidden = false;
    summary.focus();
    summary.scrollIntoView({ block: 'start' });
  }

  // A link of the summary: to the question, with the focus on its first option.
  summary.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) return;
    var target = document.getElementById(link.getAttribute('href').slice(1));
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ block: 'start' });
    var first = target.matches('input') ? target : target.querySelector('input');
    if (first) first.focus({ preventScroll: true });
  });

  form.addEventListener('change', function (event) {
    if (event.target.type !== 'radio') return;
    save();
    updateProgress();
  });

  form.addEventListener('submit', function (event) {
    var items = [];
    var code = form.querySelector('#access_code');
    if (code && code.value.trim() === '')
      items.push({ text: 'ยังไม่ได้กรอก', links: [{ id: 'access_code', label: 'รหัสเข้าตอบ' }] });
    var missing = questions.filter(function (q) { return !isAnswered(q); });
    missing.forEach(function (q) { q.classList.add('missing'); });
    if (missing.length > 0) {
      items.push({
        text: 'ยังไม่ได้ตอบข้อ ',
        links: missing.map(function (q) {
          return { id: q.id, label: q.getAttribute('data-number') };
        }),
      });
    }
    if (items.length > 0) {
      event.preventDefault();
      showSummary(items);
    }
    // Otherwise the form goes; the answers stay kept until the thank-you page is shown, so a
    // failed send loses nothing.
  });

  var restored = restore();
  answeredLine.hidden = false;
  updateProgress();
  if (restored > 0) save();

  // A note that the answers are kept on this device, with a way to forget them (a shared
  // computer): shown only where they can be kept.
  var note = document.querySelector('.saved-note');
  if (note && storage()) {
    note.hidden = false;
    note.querySelector('[data-forget]').addEventListener('click', function () {
      forget(form.getAttribute('data-survey'));
      form.querySelectorAll('input[type=radio]:checked').forEach(function (input) {
        input.checked = false;
      });
      updateProgress();
    });
  }

  // A page the server sent back with problems: the summary has the focus.
  if (!summary.hidden) summary.focus();
})();
