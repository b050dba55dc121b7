// toolkit read-along player: highlights the sentence being read, keys and clicks seek.
// Everything it needs is in the page: the cues (sentence ID, paragraph, start, end in
// seconds) and the MP3 beside the page.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("reader-data").textContent);
  var cues = data.cues;
  var audio = document.getElementById("audio");
  var root = document.getElementById("reader");
  if (!audio || !cues.length) { return; }
  var toggle = document.getElementById("play");
  var speed = document.getElementById("speed");
  var keysOn = document.getElementById("shortcuts-on");
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
  var index = {};
  cues.forEach(function (cue, i) { index[cue.id] = i; });
  var current = -1;

  function nodes(i) { return root.querySelectorAll('[data-s="' + cues[i].id + '"]'); }
  function primary(i) { return document.getElementById(cues[i].id); }

  // The cue being read at time t: the last one that started (a pause belongs to the
  // sentence before it, so the highlight never flickers off between sentences).
  function cueAt(t) {
    var lo = 0, hi = cues.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cues[mid].start <= t + 0.0005) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function inView(el) {
    var box = el.getBoundingClientRect();
    var top = document.querySelector("section.player").getBoundingClientRect().bottom;
    return box.top >= Math.max(0, top) && box.bottom <= window.innerHeight;
  }

  function highlight(i, scroll) {
    if (i === current) { return; }
    if (current >= 0) {
      nodes(current).forEach(function (el) { el.classList.remove("current"); el.removeAttribute("aria-current"); });
    }
    current = i;
    nodes(i).forEach(function (el) { el.classList.add("current"); el.setAttribute("aria-current", "true"); });
    root.setAttribute("data-current", cues[i].id);
    var el = primary(i);
    if (scroll && el && el.offsetParent !== null && !inView(el)) {
      el.scrollIntoView({ block: "center", behavior: reduced.matches ? "auto" : "smooth" });
    }
  }

  function sync() { highlight(cueAt(audio.currentTime), true); }

  function seek(i, focus) {
    i = Math.max(0, Math.min(cues.length - 1, i));
    audio.currentTime = cues[i].start + 0.001;
    highlight(i, true);
    if (focus) {
      var el = primary(i);
      if (el) { el.focus({ preventScroll: true }); }
    }
  }

  function playFrom(i) { seek(i, false); audio.play(); }
  function togglePlay() { if (audio.paused) { audio.play(); } else { audio.pause(); } }
  function here() { return current >= 0 ? current : cueAt(audio.currentTime); }

  function paragraphStart(i) {
    var p = cues[i].p;
    while (i > 0 && cues[i - 1].p === p) { i -= 1; }
    return i;
  }
  function nextParagraph(i) {
    var p = cues[i].p;
    while (i < cues.length - 1 && cues[i].p === p) { i += 1; }
    return i;
  }
  function previousParagraph(i) {
    var start = paragraphStart(i);
    return start === 0 ? 0 : paragraphStart(start - 1);
  }

  function setSpeed(step) {
    var options = Array.prototype.map.call(speed.options, function (o) { return o.value; });
    var at = options.indexOf(speed.value) + step;
    if (at >= 0 && at < options.length) { speed.value = options[at]; applySpeed(); }
  }
  function applySpeed() { audio.playbackRate = parseFloat(speed.value); }

  // "from" is the sentence that has the focus, if any: the keys move from where the reader
  // is, not from where the audio was left.
  var actions = {
    play: togglePlay,
    "prev-sentence": function (focus, from) { seek(from - 1, focus); },
    "next-sentence": function (focus, from) { seek(from + 1, focus); },
    "prev-paragraph": function (focus, from) { seek(previousParagraph(from), focus); },
    "next-paragraph": function (focus, from) { seek(nextParagraph(from), focus); }
  };

  root.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () { actions[button.getAttribute("data-action")](false, here()); });
  });
  speed.addEventListener("change", applySpeed);
  root.querySelectorAll(".s[data-s]").forEach(function (el) {
    var i = index[el.getAttribute("data-s")];
    if (i === undefined) { return; }
    el.addEventListener("click", function () { playFrom(i); });
  });

  // Shortcuts act only while the focus is inside the reader (a sentence or the player), and
  // never with Ctrl, Alt or Meta: outside it, and in browse mode, keys stay the screen reader's.
  var keys = { k: "play", j: "prev-sentence", l: "next-sentence", J: "prev-paragraph", L: "next-paragraph" };
  root.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    var sentence = target.closest && target.closest(".s[data-s]");
    if (event.key === "Enter" && sentence && index[sentence.getAttribute("data-s")] !== undefined) {
      event.preventDefault();
      playFrom(index[sentence.getAttribute("data-s")]);
      return;
    }
    if (!keysOn.checked || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) { return; }
    var action = keys[event.key];
    if (action) {
      event.preventDefault();
      var from = sentence ? index[sentence.getAttribute("data-s")] : undefined;
      actions[action](Boolean(sentence), from === undefined ? here() : from);
    } else if (event.key === "<" || event.key === ">") {
      event.preventDefault();
      setSpeed(event.key === ">" ? 1 : -1);
    }
  });

  document.querySelectorAll('input[name="view"]').forEach(function (radio) {
    radio.addEventListener("change", function () { root.setAttribute("data-view", radio.value); });
  });

  audio.addEventListener("play", function () {
    toggle.textContent = toggle.getAttribute("data-pause");
    requestAnimationFrame(tick);
  });
  audio.addEventListener("pause", function () {
    toggle.textContent = toggle.getAttribute("data-play");
    sync();
  });
  audio.addEventListener("seeked", sync);
  audio.addEventListener("timeupdate", sync);
  // timeupdate fires only about four times a second: follow the clock on every frame.
  function tick() { if (!audio.paused) { sync(); requestAnimationFrame(tick); } }

  document.getElementById("player-controls").hidden = false;
  highlight(0, false);
})();
